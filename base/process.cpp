#include "base/process.h"

#include <sys/syscall.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace smzc {
namespace {

using Clock = std::chrono::steady_clock;

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

Result<ChildProcess> ChildProcess::start(const Options& options) {
  if (options.argv.empty()) return Error{Completion::kInvalidData, "no program to start"};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // Children are services and tools; none reads the parent's terminal.
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  int pipe_fds[2] = {-1, -1};
  if (options.capture_stdout) {
    if (pipe2(pipe_fds, O_CLOEXEC) != 0)
      return Error{Completion::kHardwareError, std::string("pipe: ") + strerror(errno)};
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  }
  if (!options.log_path.empty()) {
    const int flags = O_WRONLY | O_CREAT | O_APPEND;
    if (!options.capture_stdout)
      posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, options.log_path.c_str(), flags,
                                       0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, options.log_path.c_str(), flags,
                                     0644);
  }
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  for (const auto& extra : options.env) env_strings.push_back(extra);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = options.argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // A parent that blocks SIGTERM to take it on a thread of its own (kiosk/shell.h) must not pass
  // the block on: the child would then ignore the SIGTERM that stop() sends it.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  ChildProcess child;
  int rc = posix_spawnp(&child.pid_, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (options.capture_stdout) {
    close(pipe_fds[1]);
    if (rc == 0) {
      child.stdout_fd_ = pipe_fds[0];
    } else {
      close(pipe_fds[0]);
    }
  }
  if (rc != 0) {
    child.pid_ = -1;
    return Error{Completion::kDeviceNotReady,
                 "cannot start " + options.argv[0] + ": " + strerror(rc)};
  }
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept {
  *this = std::move(other);
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) stop();
    if (stdout_fd_ >= 0) close(stdout_fd_);
    pid_ = std::exchange(other.pid_, -1);
    stdout_fd_ = std::exchange(other.stdout_fd_, -1);
    exit_status_ = std::exchange(other.exit_status_, std::nullopt);
    pending_ = std::move(other.pending_);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) stop();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

bool ChildProcess::running() {
  if (pid_ <= 0 || exit_status_) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_status_ = status;
    return false;
  }
  return r == 0;
}

Result<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
  if (stdout_fd_ < 0) return Error{Completion::kUnsupported, "stdout is not captured"};
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto nl = pending_.find('\n'); nl != std::string::npos) {
      std::string line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Error{Completion::kTimeout, "no line from the child process"};
    pollfd pfd{stdout_fd_, POLLIN, 0};
    int n = poll(&pfd, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    char buf[512];
    ssize_t got = read(stdout_fd_, buf, sizeof buf);
    if (got <= 0) return Error{Completion::kHardwareError, "the child process closed its output"};
    pending_.append(buf, static_cast<size_t>(got));
  }
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return -1;
  if (!exit_status_ && running()) {
    kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + grace;
    while (running() && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (running()) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
      exit_status_ = status;
    }
  }
  pid_ = -1;
  return exit_status_ ? decode_wait_status(*exit_status_) : -1;
}

int ChildProcess::wait() {
  if (pid_ <= 0) return -1;
  if (!exit_status_) {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    exit_status_ = status;
  }
  return decode_wait_status(*exit_status_);
}

Result<int> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return Error{Completion::kInvalidData, "no process"};
  if (!exit_status_) {
    // A pidfd becomes readable when the process exits: a wait with a deadline and no polling.
    const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    if (fd < 0)
      return Error{Completion::kHardwareError, std::string("pidfd_open: ") + strerror(errno)};
    pollfd p{fd, POLLIN, 0};
    int ready;
    while ((ready = poll(&p, 1, static_cast<int>(timeout.count()))) < 0 && errno == EINTR) {
    }
    close(fd);
    if (ready == 0)
      return Error{Completion::kTimeout, "process " + std::to_string(pid_) +
                                             " still running after " +
                                             std::to_string(timeout.count()) + " ms"};
  }
  return wait();
}

Result<int> find_free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error{Completion::kHardwareError, std::string("socket: ") + strerror(errno)};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return Error{Completion::kHardwareError, std::string("bind: ") + strerror(errno)};
  }
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

Status wait_for_loopback_port(int port, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    bool up = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (up) return ok_status();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Error{Completion::kTimeout,
               "nothing is listening on 127.0.0.1:" + std::to_string(port) + " yet"};
}

std::filesystem::path executable_dir() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : self.parent_path();
}

}  // namespace smzc
