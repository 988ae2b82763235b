#include "ui/pinyin.h"

#include <pinyinime.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>

namespace smzc::ui {
namespace {

// The engine is one per process.
std::atomic<bool> engine_taken{false};

// Longest candidate the engine makes, in UTF-16 units.
constexpr size_t kCandidateUnits = 64;

QString candidate(size_t index) {
  ime_pinyin::char16 text[kCandidateUnits + 1] = {};
  if (!ime_pinyin::im_get_candidate(index, text, kCandidateUnits)) return {};
  return QString::fromUtf16(reinterpret_cast<const char16_t*>(text));
}

}  // namespace

std::filesystem::path PinyinDecoder::default_dictionary() {
  return SMZC_PINYIN_DICTIONARY;
}

Result<std::unique_ptr<PinyinDecoder>> PinyinDecoder::open(
    const std::filesystem::path& dictionary) {
  if (engine_taken.exchange(true))
    return Error{Completion::kDeviceNotReady, "the pinyin engine is already open"};
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dictionary, ec)) {
    engine_taken = false;
    return Error{Completion::kDeviceNotReady,
                 "no pinyin dictionary at " + dictionary.string() + " (libgooglepinyin0)"};
  }
  // The user dictionary is this process's alone, and goes when the decoder does.
  const auto user = std::filesystem::temp_directory_path(ec) /
                    ("smzc-pinyin-" + std::to_string(::getpid()) + ".dict");
  std::unique_ptr<PinyinDecoder> decoder(new PinyinDecoder(dictionary, user));
  if (auto s = decoder->start(); !s) {
    decoder.reset();
    return s.error();
  }
  return decoder;
}

PinyinDecoder::PinyinDecoder(std::filesystem::path dictionary,
                             std::filesystem::path user_dictionary)
    : dictionary_(std::move(dictionary)), user_dictionary_(std::move(user_dictionary)) {}

PinyinDecoder::~PinyinDecoder() {
  stop();
  engine_taken = false;
}

Status PinyinDecoder::start() {
  std::error_code ec;
  std::filesystem::remove(user_dictionary_, ec);
  if (!ime_pinyin::im_open_decoder(dictionary_.c_str(), user_dictionary_.c_str()))
    return Error{Completion::kInvalidData,
                 "the pinyin dictionary " + dictionary_.string() + " did not open"};
  ime_pinyin::im_set_max_lens(kMaxLetters, kMaxLetters);
  return ok_status();
}

void PinyinDecoder::stop() {
  letters_.clear();
  total_ = fixed_ = 0;
  ime_pinyin::im_close_decoder();
  std::error_code ec;
  std::filesystem::remove(user_dictionary_, ec);
}

Status PinyinDecoder::forget() {
  stop();
  return start();
}

bool PinyinDecoder::set_letters(const std::string& letters) {
  if (letters.size() > kMaxLetters ||
      !std::all_of(letters.begin(), letters.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return false;
  letters_ = letters;
  fixed_ = 0;
  ime_pinyin::im_reset_search();
  total_ = letters_.empty() ? 0 : ime_pinyin::im_search(letters_.data(), letters_.size());
  return true;
}

QString PinyinDecoder::composition() const {
  if (letters_.empty()) return {};
  const ime_pinyin::uint16* starts = nullptr;
  const size_t spellings = ime_pinyin::im_get_spl_start_pos(starts);
  if (fixed_ == 0 || !starts || fixed_ > spellings) return QString::fromStdString(letters_);
  return candidate(0).left(static_cast<int>(fixed_)) +
         QString::fromStdString(letters_.substr(std::min<size_t>(starts[fixed_], letters_.size())));
}

QStringList PinyinDecoder::candidates(size_t max) const {
  QStringList out;
  for (size_t i = 0; i < total_ && out.size() < static_cast<qsizetype>(max); ++i) {
    QString text = candidate(i);
    // Once part is chosen, the engine's first candidate is the whole sentence: offered is the
    // part for the open letters.
    if (i == 0 && fixed_ > 0) text = text.mid(static_cast<qsizetype>(fixed_));
    if (!text.isEmpty()) out << text;
  }
  return out;
}

std::optional<QString> PinyinDecoder::choose(size_t index) {
  if (letters_.empty() || index >= total_) return std::nullopt;
  total_ = ime_pinyin::im_choose(index);
  fixed_ = ime_pinyin::im_get_fixed_len();
  const ime_pinyin::uint16* starts = nullptr;
  const size_t spellings = ime_pinyin::im_get_spl_start_pos(starts);
  if (fixed_ < spellings) return std::nullopt;
  QString whole = candidate(0);
  clear();
  return whole;
}

}  // namespace smzc::ui
