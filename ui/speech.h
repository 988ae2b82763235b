// Spoken guidance (语音引导): espeak-ng reads each step aloud in the language on show, Mandarin,
// Cantonese for zh-HK, or English. Off until the citizen switches it on.
#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <filesystem>

namespace smzc::ui {

/// Says one thing at a time: a new utterance cuts the one before off. Speaking never blocks the
/// UI thread (espeak-ng runs as a child process), and the speaker owns that process.
class Speaker : public QObject {
  Q_OBJECT

 public:
  explicit Speaker(QObject* parent = nullptr);
  ~Speaker() override;

  void set_enabled(bool on);
  bool enabled() const { return enabled_; }
  /// Says `text` in `locale` ("zh-CN", "zh-HK", "en") when enabled; nothing otherwise.
  void say(const QString& text, const QString& locale);
  /// What was said last (whatever became of the sound), for tests and logs.
  const QString& last_said() const { return last_; }
  /// Writes each utterance as NUMBER.wav into `dir` instead of playing it (tests, no sound card).
  void record_into(const std::filesystem::path& dir) { record_dir_ = dir; }
  /// The espeak-ng voice for a locale.
  static QString voice_for(const QString& locale);

 signals:
  /// An utterance ended (or could not start: `ok` false).
  void finished(bool ok);

 private:
  void stop();
  bool enabled_ = false;
  QString last_;
  std::filesystem::path record_dir_;
  int count_ = 0;
  QProcess* process_ = nullptr;
};

}  // namespace smzc::ui
