#include "kiosk/shell.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QScreen>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <spdlog/spdlog.h>

namespace smzc::kiosk {

Result<std::unique_ptr<services::Terminal>> start_terminal(const services::Config& config,
                                                           services::Terminal::Parts parts) {
  auto terminal = services::Terminal::open(config, std::move(parts));
  if (!terminal) return terminal.error();
  terminal.value()->start_devices();
  // Whatever a crash or power cut left unfinished is settled before the first citizen.
  if (auto recovered = terminal.value()->engine().recover(); !recovered) {
    spdlog::error("start-up recovery: {}", recovered.error().message);
  } else {
    for (const auto& note : recovered->notes) spdlog::info("recovery: {}", note);
  }
  return terminal;
}

void show(ui::KioskWindow& window, bool windowed) {
  if (windowed) {
    window.resize(1280, 800);
    window.show();
  } else {
    window.setWindowFlags(window.windowFlags() | Qt::FramelessWindowHint);
    if (const QScreen* screen = window.screen()) window.setGeometry(screen->geometry());
    window.showFullScreen();
  }
}

Result<InstanceLock> InstanceLock::acquire(const std::filesystem::path& state_file) {
  const std::string path = state_file.string() + ".lock";
  std::error_code ec;
  if (state_file.has_parent_path())
    std::filesystem::create_directories(state_file.parent_path(), ec);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return Error{Completion::kDeviceNotReady, "cannot open " + path + ": " + std::strerror(errno)};
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {};
    const ssize_t n = ::pread(fd, pid, sizeof pid - 1, 0);
    ::close(fd);
    return Error{Completion::kDeviceNotReady,
                 "another kiosk is already running on " + state_file.string() +
                     (n > 0 ? " (pid " + std::string(pid, static_cast<size_t>(n)) + ")" : "") +
                     "; it holds " + path};
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0)
    spdlog::warn("cannot write the kiosk's pid into {}", path);
  return InstanceLock(fd);
}

InstanceLock::~InstanceLock() {
  if (fd_ >= 0) ::close(fd_);
}

namespace {
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}
}  // namespace

void prepare_qt_environment() {
  if (!std::getenv("XDG_RUNTIME_DIR")) {
    const std::string dir = "/tmp/smzc-runtime-" + std::to_string(::getuid());
    ::mkdir(dir.c_str(), 0700);
    struct stat st {};
    // Only a folder of our own, that nobody else can enter.
    if (::lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::getuid() &&
        (st.st_mode & 077) == 0)
      ::setenv("XDG_RUNTIME_DIR", dir.c_str(), 1);
  }
  static const QtMessageHandler qt_default = qInstallMessageHandler(nullptr);
  qInstallMessageHandler([](QtMsgType type, const QMessageLogContext& context, const QString& m) {
    if (m.contains(QLatin1String("does not support propagateSizeHints"))) return;
    if (qt_default) qt_default(type, context, m);
  });
}

void block_stop_signals() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void quit_on_stop_signals(QCoreApplication& app, std::function<void(int)> on_stop) {
  // Detached: it waits for a signal that may never come, and the process may end first.
  std::thread([&app, on_stop = std::move(on_stop)] {
    const sigset_t set = stop_signals();
    int signal = 0;
    if (sigwait(&set, &signal) != 0) return;
    QMetaObject::invokeMethod(
        &app,
        [&app, on_stop, signal] {
          spdlog::info("stopping on signal {}", signal);
          if (on_stop) on_stop(signal);
          app.quit();
        },
        Qt::QueuedConnection);
  }).detach();
}

}  // namespace smzc::kiosk
