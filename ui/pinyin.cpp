#include "ui/pinyin.h"

#include <pinyinime.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>

namespace smzc::ui {
namespace {

// The engine is one per process, opened on first use and never closed: libgooglepinyin frees a
// table with the wrong delete when it loads a dictionary a second time (found by ASan), and it
// keeps its dictionary until the process ends.
std::mutex engine_mutex;
bool engine_taken = false;
std::filesystem::path engine_dictionary;  // empty until the engine is open

// No user dictionary: the engine would learn what citizens choose and offer it to the next one.
// A path that can never be created (/dev/null is no directory) leaves it without one.
constexpr const char* kNoUserDictionary = "/dev/null/smzc-no-user-dictionary";

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
  std::lock_guard lock(engine_mutex);
  if (engine_taken) return Error{Completion::kDeviceNotReady, "the pinyin engine is already open"};
  if (engine_dictionary.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(dictionary, ec))
      return Error{Completion::kDeviceNotReady,
                   "no pinyin dictionary at " + dictionary.string() + " (libgooglepinyin0)"};
    if (!ime_pinyin::im_open_decoder(dictionary.c_str(), kNoUserDictionary))
      return Error{Completion::kInvalidData,
                   "the pinyin dictionary " + dictionary.string() + " did not open"};
    ime_pinyin::im_set_max_lens(kMaxLetters, kMaxLetters);
    engine_dictionary = dictionary;
  } else if (dictionary != engine_dictionary) {
    return Error{Completion::kDeviceNotReady, "the pinyin engine has " +
                                                  engine_dictionary.string() + " open, not " +
                                                  dictionary.string()};
  }
  engine_taken = true;
  return std::unique_ptr<PinyinDecoder>(new PinyinDecoder());
}

PinyinDecoder::~PinyinDecoder() {
  clear();
  std::lock_guard lock(engine_mutex);
  engine_taken = false;
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
