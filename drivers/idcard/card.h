// The contents of an identity card as read by the SAM: the 256-byte text block, the photo block,
// and the checks a terminal makes on them. Layouts: shared/research/idcard-protocol.md.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/identity.h"
#include "base/status.h"

namespace smzc::idcard {

// The identity document and its number rules are the domain's (base/identity.h); the driver only
// reads and writes them in the reader's layouts.
using smzc::card_type_of_number;
using smzc::CardType;
using smzc::expired;
using smzc::gb11643_check_char;
using smzc::icao_check_digit;
using smzc::IdentityCard;
using smzc::valid_id_number;
using smzc::valid_resident_id_number;

inline constexpr size_t kTextSize = 256;
inline constexpr size_t kPhotoSize = 1024;
inline constexpr size_t kMaxCardJsonBytes = 64 << 10;

/// "resident", "J", "I", "Y" (or the to_string() names) to a type.
Result<CardType> card_type_from_string(std::string_view name);

/// Decodes a 256-byte text block of any of the four layouts.
Result<IdentityCard> decode_text(std::span<const uint8_t> text);
/// Encodes the text block a reader would send for `card` (used by the simulator).
std::array<uint8_t, kTextSize> encode_text(const IdentityCard& card);

/// Decodes the data of a 30 01 / 30 10 response: textLen, photoLen, [fpLen,] text, photo.
Result<IdentityCard> decode_base_message(std::span<const uint8_t> data,
                                         bool with_fingerprint = false);
std::vector<uint8_t> encode_base_message(const IdentityCard& card);

/// A card from a JSON object of its fields (the simulator's card files, drivers/idcard/sim/cards/):
/// type, name, english_name, sex, nation, nationality, birth, address, id_number, authority,
/// valid_from, valid_to, pass_number, issue_count, card_version. Refuses anything over 64 KiB or
/// nested, a field that is not text, and a card without an id_number; `where` names the source in
/// errors.
Result<IdentityCard> card_from_json(std::string_view text, const std::string& where);

/// 性别 and 民族 in words.
std::string sex_name(std::string_view sex_code);
std::string nation_name(std::string_view nation_code);

/// A decoded ID photo: 24-bit RGB, row-major.
struct Photo {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;
};

/// Turns the card's WLT photo block into pixels. WLT is proprietary and only vendor libraries
/// decode it, so none ships here; a vendor build provides one (output is normally 102×126).
class PhotoDecoder {
 public:
  virtual ~PhotoDecoder() = default;
  virtual Result<Photo> decode(std::span<const uint8_t> wlt) = 0;
};

/// Decodes `card.photo` with `decoder`; Completion::kUnsupported when there is no decoder.
Result<Photo> decode_photo(const IdentityCard& card, PhotoDecoder* decoder);

}  // namespace smzc::idcard
