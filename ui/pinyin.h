// Chinese input by pinyin for the on-screen keyboard: Debian's libgooglepinyin (the Android
// pinyin engine) and the dictionary it ships with.
#pragma once

#include <QString>
#include <QStringList>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"

namespace smzc::ui {

/// Turns typed letters into Chinese. The engine keeps its state in the process, so one decoder
/// may be open at a time (open() refuses a second); use it from one thread. It runs without a
/// user dictionary: nothing a citizen chooses is learnt, kept on disk, or offered to the next.
class PinyinDecoder {
 public:
  /// At most this many letters are decoded at once (longer input is refused, not cut).
  static constexpr size_t kMaxLetters = 32;
  /// The dictionary Debian's libgooglepinyin0 installs.
  static std::filesystem::path default_dictionary();
  static Result<std::unique_ptr<PinyinDecoder>> open(
      const std::filesystem::path& dictionary = default_dictionary());
  ~PinyinDecoder();
  PinyinDecoder(const PinyinDecoder&) = delete;
  PinyinDecoder& operator=(const PinyinDecoder&) = delete;

  /// Replaces the letters being decoded (a–z only; anything else, or more than kMaxLetters, is
  /// refused and nothing changes). Empty letters clear the composition.
  bool set_letters(const std::string& letters);
  const std::string& letters() const { return letters_; }
  /// What is being composed: the characters chosen so far, then the letters still open.
  QString composition() const;
  /// Candidates for the open letters, best first (at most `max`).
  QStringList candidates(size_t max = 64) const;
  /// Chooses candidates()[index]. When that completes the composition, returns the whole text
  /// and starts afresh; otherwise returns nothing and candidates() continue with the letters
  /// still open.
  std::optional<QString> choose(size_t index);
  /// Drops the composition: all the decoder holds of a session, since it learns nothing.
  void clear() { set_letters(""); }

 private:
  PinyinDecoder() = default;
  std::string letters_;
  size_t total_ = 0;  // candidates the engine has for the letters
  size_t fixed_ = 0;  // characters chosen so far
};

}  // namespace smzc::ui
