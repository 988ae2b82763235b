#include "ui/speech.h"

#include <spdlog/spdlog.h>

namespace smzc::ui {

Speaker::Speaker(QObject* parent) : QObject(parent) {}

Speaker::~Speaker() {
  stop();
}

QString Speaker::voice_for(const QString& locale) {
  if (locale == "zh-HK") return "yue";
  if (locale == "en") return "en";
  return "cmn";
}

void Speaker::set_enabled(bool on) {
  enabled_ = on;
  if (!on) stop();
}

void Speaker::stop() {
  if (!process_) return;
  process_->disconnect(this);
  // Killed, not waited for: the UI thread goes on; the process object reaps it when it ends.
  process_->kill();
  process_->setParent(nullptr);
  connect(process_, &QProcess::finished, process_, &QObject::deleteLater);
  if (process_->state() == QProcess::NotRunning) process_->deleteLater();
  process_ = nullptr;
}

void Speaker::say(const QString& text, const QString& locale) {
  if (!enabled_ || text.trimmed().isEmpty()) return;
  stop();
  last_ = text;
  QStringList args = {"-v", voice_for(locale), "-s", "150"};
  if (!record_dir_.empty())
    args << "-w"
         << QString::fromStdString((record_dir_ / (std::to_string(++count_) + ".wav")).string());
  // The text goes on stdin, never on the command line another user could read.
  args << "--stdin";
  process_ = new QProcess(this);
  connect(process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
    emit finished(status == QProcess::NormalExit && code == 0);
  });
  connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart) return;
    spdlog::warn("spoken guidance: espeak-ng did not start");
    emit finished(false);
  });
  process_->start("espeak-ng", args);
  process_->write(text.toUtf8());
  process_->closeWriteChannel();
}

}  // namespace smzc::ui
