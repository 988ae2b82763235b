#include "backend/connection_gate.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

namespace smzc::backend {
namespace {

using SteadyClock = std::chrono::steady_clock;

// What one direction may hold before the gate stops reading its source (back-pressure).
constexpr size_t kMaxBuffered = 256 << 10;
constexpr size_t kReadChunk = 64 << 10;
constexpr int kListenBacklog = 1024;
// How often deadlines are looked at: the deadline is kept to within this much.
constexpr auto kSweepEvery = std::chrono::milliseconds(50);

// One relayed connection: the peer's socket and the one to the server behind.
struct Link {
  int client = -1;
  int server = -1;
  std::string peer;         // the peer's address, for the per-peer count
  std::string to_server;    // read from the client, not yet written to the server
  std::string to_client;    // read from the server, not yet written to the client
  bool client_eof = false;  // the client will send nothing more
  bool server_write_shut = false;
  bool server_eof = false;
  bool dead = false;
  std::optional<SteadyClock::time_point> waiting_since;  // a request with no answer yet
};

enum class Io { kProgress, kBlocked, kEof, kFailed };

Io read_into(int fd, std::string& buffer) {
  if (buffer.size() >= kMaxBuffered) return Io::kBlocked;
  std::array<char, kReadChunk> chunk;
  const ssize_t n =
      ::recv(fd, chunk.data(), std::min(chunk.size(), kMaxBuffered - buffer.size()), 0);
  if (n > 0) {
    buffer.append(chunk.data(), static_cast<size_t>(n));
    return Io::kProgress;
  }
  if (n == 0) return Io::kEof;
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Io::kBlocked : Io::kFailed;
}

Io write_from(int fd, std::string& buffer) {
  if (buffer.empty()) return Io::kBlocked;
  const ssize_t n = ::send(fd, buffer.data(), buffer.size(), MSG_NOSIGNAL);
  if (n > 0) {
    buffer.erase(0, static_cast<size_t>(n));
    return Io::kProgress;
  }
  // A connect still in progress also answers EAGAIN.
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? Io::kBlocked
                                                                              : Io::kFailed;
}

// One direction of a link: what `from` has is read into `buffer`, and what `to` takes is written
// from it. `read` says whether bytes came in; false when either side failed.
bool relay(int from, bool& from_eof, std::string& buffer, int to, bool& progress, bool& read) {
  if (!from_eof) {
    switch (read_into(from, buffer)) {
      case Io::kProgress:
        progress = read = true;
        break;
      case Io::kEof:
        from_eof = true;
        break;
      case Io::kFailed:
        return false;
      case Io::kBlocked:
        break;
    }
  }
  switch (write_from(to, buffer)) {
    case Io::kProgress:
      progress = true;
      break;
    case Io::kFailed:
      return false;
    default:
      break;
  }
  return true;
}

// Moves whatever can move, both ways, until nothing more can without waiting. Returns false when
// the link is finished: the server has answered and closed, or either side failed.
bool pump(Link& link) {
  for (bool progress = true; progress;) {
    progress = false;
    bool asked = false, answered = false;
    if (!relay(link.client, link.client_eof, link.to_server, link.server, progress, asked))
      return false;
    if (asked && !link.waiting_since) link.waiting_since = SteadyClock::now();
    // The client is done: tell the server, which answers what it has and closes.
    if (link.client_eof && link.to_server.empty() && !link.server_write_shut) {
      ::shutdown(link.server, SHUT_WR);
      link.server_write_shut = true;
    }
    if (!relay(link.server, link.server_eof, link.to_client, link.client, progress, answered))
      return false;
    if (answered) link.waiting_since.reset();
  }
  // An HTTP server that closes is done with the connection; so is the gate, once the answer is out.
  return !(link.server_eof && link.to_client.empty());
}

std::string peer_address(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET)
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, text, sizeof text);
  else if (addr.ss_family == AF_INET6)
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr, text,
                sizeof text);
  return text;
}

int connect_upstream(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

ConnectionGate::~ConnectionGate() {
  stop();
}

Result<int> ConnectionGate::start(const std::string& host, int port, int upstream_port) {
  upstream_port_ = upstream_port;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found)
    return Error{Completion::kInvalidData, "cannot resolve the address to listen on: " + host};
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
  listen_fd_ = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  if (listen_fd_ < 0 || ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      ::bind(listen_fd_, found->ai_addr, found->ai_addrlen) != 0 ||
      ::listen(listen_fd_, kListenBacklog) != 0) {
    const std::string why = std::strerror(errno);
    stop();
    return Error{Completion::kDeviceNotReady,
                 "cannot listen on " + host + ":" + std::to_string(port) + ": " + why};
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length);
  const int bound_port =
      ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6&>(bound).sin6_port
                                        : reinterpret_cast<sockaddr_in&>(bound).sin_port);
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event listening{.events = EPOLLIN, .data = {.ptr = nullptr}};
  epoll_event waking{.events = EPOLLIN, .data = {.ptr = &wake_fd_}};
  if (epoll_fd_ < 0 || wake_fd_ < 0 ||
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &listening) != 0 ||
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &waking) != 0) {
    stop();
    return Error{Completion::kDeviceNotReady, "cannot watch the listening socket"};
  }
  thread_ = std::thread([this] { run(); });
  return bound_port;
}

void ConnectionGate::stop() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
    thread_.join();
  }
  for (int* fd : {&listen_fd_, &epoll_fd_, &wake_fd_})
    if (*fd >= 0) ::close(std::exchange(*fd, -1));
}

ConnectionGate::Counters ConnectionGate::counters() const {
  return {accepted_.load(), refused_per_peer_.load(), refused_total_.load(),
          cut_by_deadline_.load()};
}

void ConnectionGate::run() {
  std::unordered_map<Link*, std::unique_ptr<Link>> links;
  std::unordered_map<std::string, size_t> per_peer;
  std::vector<Link*> finished;

  auto finish = [&](Link* link) {
    if (link->dead) return;
    link->dead = true;
    ::close(link->client);
    ::close(link->server);
    if (--per_peer[link->peer] == 0) per_peer.erase(link->peer);
    finished.push_back(link);
  };
  auto accept_all = [&] {
    for (;;) {
      sockaddr_storage from{};
      socklen_t length = sizeof from;
      const int client = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&from), &length,
                                   SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (client < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
          spdlog::warn("gate: accept: {}", std::strerror(errno));
        return;
      }
      std::string peer = peer_address(from);
      if (links.size() >= limits_.total) {
        ++refused_total_;
        ::close(client);
        continue;
      }
      if (per_peer[peer] >= limits_.per_peer) {
        ++refused_per_peer_;
        ::close(client);
        continue;
      }
      // Answers come through in the pieces the server wrote them; Nagle would hold the second
      // piece back for the peer's delayed ACK.
      const int one = 1;
      ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      const int server = connect_upstream(upstream_port_);
      if (server < 0) {
        spdlog::warn("gate: cannot reach the server behind: {}", std::strerror(errno));
        ::close(client);
        continue;
      }
      auto link = std::make_unique<Link>();
      link->client = client;
      link->server = server;
      link->peer = std::move(peer);
      ++per_peer[link->peer];
      ++accepted_;
      epoll_event event{.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                        .data = {.ptr = link.get()}};
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, client, &event);
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, server, &event);
      Link* raw = link.get();
      links.emplace(raw, std::move(link));
      if (!pump(*raw)) finish(raw);
    }
  };

  auto next_sweep = SteadyClock::now() + kSweepEvery;
  std::array<epoll_event, 256> events;
  for (;;) {
    int timeout = -1;
    if (!links.empty())
      timeout = static_cast<int>(std::max<int64_t>(
          0, std::chrono::duration_cast<std::chrono::milliseconds>(next_sweep - SteadyClock::now())
                 .count()));
    const int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), timeout);
    for (int i = 0; i < n; ++i) {
      void* what = events[i].data.ptr;
      if (what == &wake_fd_) {
        for (auto& [raw, link] : links) finish(raw);
        return;
      }
      if (what == nullptr) {
        accept_all();
        continue;
      }
      auto* link = static_cast<Link*>(what);
      if (!link->dead && !pump(*link)) finish(link);
    }
    const auto now = SteadyClock::now();
    if (now >= next_sweep) {
      next_sweep = now + kSweepEvery;
      for (auto& [raw, link] : links)
        if (!link->dead && link->waiting_since &&
            now - *link->waiting_since > limits_.request_deadline) {
          ++cut_by_deadline_;
          finish(raw);
        }
    }
    for (Link* link : finished) links.erase(link);
    finished.clear();
  }
}

}  // namespace smzc::backend
