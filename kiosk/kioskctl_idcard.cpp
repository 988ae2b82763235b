// kioskctl idcard: read the configured reader (or one named by a flag), decode a captured frame.
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "base/privacy.h"
#include "drivers/idcard/card_reader.h"
#include "drivers/idcard/frame.h"
#include "kiosk/kioskctl.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;
using namespace smzc::idcard;

json card_json(const IdentityCard& card, bool reveal) {
  auto personal = [reveal](const std::string& value, std::string (*mask)(std::string_view)) {
    return reveal ? value : mask(value);
  };
  json j = {{"type", to_string(card.type)},
            {"name", personal(card.name, mask_name)},
            {"sex", sex_name(card.sex_code)},
            // The birth date is the hidden middle of the ID number: masked with it.
            {"birth_date", reveal ? card.birth_date : std::string(card.birth_date.size(), '*')},
            {"id_number", personal(card.id_number, mask_id_number)},
            {"id_number_valid", valid_id_number(card)},
            {"valid_from", card.valid_from},
            {"valid_to", card.valid_to},
            {"photo_bytes", card.photo.size()}};
  auto optional = [&j](const char* key, const std::string& value) {
    if (!value.empty()) j[key] = value;
  };
  if (card.type == CardType::kResident) optional("nation", nation_name(card.nation_code));
  optional("address", personal(card.address, mask_address));
  optional("english_name", personal(card.english_name, mask_name));
  optional("nationality", card.nationality);
  optional("authority", card.authority);
  optional("pass_number", personal(card.pass_number, mask_id_number));
  optional("issue_count", card.issue_count);
  optional("card_version", card.card_version);
  return j;
}

int print_card(const IdentityCard& card, bool as_json, bool reveal) {
  json j = card_json(card, reveal);
  if (as_json) {
    std::cout << j.dump(2) << '\n';
    return 0;
  }
  for (const auto& [k, v] : j.items())
    std::cout << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << '\n';
  return 0;
}

}  // namespace

void add_idcard_commands(CLI::App& app, int& rc) {
  auto* idcard = app.add_subcommand("idcard", "ID-card reader")->require_subcommand(1);

  struct ReadArgs {
    DeviceArgs device;
    std::string baud;
    bool usb = false, json = false, reveal = false;
    int wait_s = 3;
  };
  static ReadArgs read_args;
  auto* read = idcard->add_subcommand("read", "read the card on the configured reader");
  add_device_options(read, read_args.device, "--port", "serial device (instead of the config's)");
  read->add_option("--baud", read_args.baud, "line rate, with --port");
  read->add_flag("--usb", read_args.usb, "a USB reader (0400:c35a) instead of the config's");
  read->add_option("--wait", read_args.wait_s, "seconds to wait for a card")->capture_default_str();
  read->add_flag("--json", read_args.json, "print JSON");
  read->add_flag("--reveal", read_args.reveal, "show ID number, name and address unmasked");
  read->callback([&rc] {
    if (read_args.usb) read_args.device.address = "usb";
    auto spec = device_spec(DeviceKind::kCardReader, read_args.device);
    if (!spec) {
      rc = fail(2, spec.error().message);
      return;
    }
    if (!read_args.baud.empty()) spec->options["baud"] = read_args.baud;
    auto device = services::DeviceManager::make_device(spec.value());
    if (!device) {
      rc = fail(2, device.error().message);
      return;
    }
    auto& reader = static_cast<CardReader&>(*device.value());
    reader.poll(after(std::chrono::seconds(2)));
    if (reader.status().state == DeviceState::kNoDevice) {
      rc = fail(1, "no reader at " + reader.address() + ": " + reader.status().detail);
      return;
    }
    auto card = reader.wait_for_card(after(std::chrono::seconds(read_args.wait_s)), {});
    rc = card ? print_card(card.value(), read_args.json, read_args.reveal)
              : fail(1, card.error().message);
  });

  struct DecodeArgs {
    std::string file;
    bool json = false, reveal = false;
  };
  static DecodeArgs decode_args;
  auto* decode = idcard->add_subcommand("decode", "decode a captured read response frame");
  decode->add_option("file", decode_args.file, "raw response bytes (from AA AA AA 96 69)")
      ->required();
  decode->add_flag("--json", decode_args.json, "print JSON");
  decode->add_flag("--reveal", decode_args.reveal, "show ID number, name and address unmasked");
  decode->callback([&rc] {
    std::ifstream in(decode_args.file, std::ios::binary);
    if (!in) {
      rc = fail(2, "cannot read " + decode_args.file);
      return;
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    auto response = decode_response(bytes);
    if (!response) {
      rc = fail(2, response.error().message);
      return;
    }
    if (response->sw3 != sw3::kOk) {
      rc = fail(2, std::string("the reader answered: ") + describe_sw3(response->sw3).en);
      return;
    }
    // 30 10 answers carry a third length (fingerprint); tell them apart by the sizes.
    const auto& d = response->data;
    const bool with_fp =
        d.size() >= 6 &&
        d.size() == 6u + ((d[0] << 8) | d[1]) + ((d[2] << 8) | d[3]) + ((d[4] << 8) | d[5]);
    auto card = decode_base_message(d, with_fp);
    rc = card ? print_card(card.value(), decode_args.json, decode_args.reveal)
              : fail(2, card.error().message);
  });
}

}  // namespace smzc::kioskctl
