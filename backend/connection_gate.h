// The reference backend's front door: a byte-for-byte relay on the public address that keeps a
// few peers from holding the server's workers. cpp-httplib gives a worker to each connection and
// times out only each single read, so a peer that trickles a byte a second, or opens hundreds of
// sockets, holds workers for as long as it likes; the library offers no hook at accept time. The
// gate sits in front of it and decides per connection, before the server sees it:
//   - no more than `per_peer` connections from one address at once (more are closed at accept);
//   - no more than `total` connections in all;
//   - a peer that has started a request (sent bytes) must see the first byte of an answer within
//     `request_deadline`, or the connection is cut: a trickled request, a stalled TLS handshake.
// Bytes pass through untouched, so TLS still ends in the server behind, with its client
// certificates. One thread relays every connection (epoll).
#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>

#include "base/status.h"

namespace smzc::backend {

class ConnectionGate {
 public:
  struct Limits {
    size_t per_peer = 64;  ///< connections open at once from one IP address
    size_t total = 4096;   ///< connections open at once in all
    /// From a peer's first byte of a request (or of its TLS handshake) to the server's first byte
    /// of the answer.
    std::chrono::milliseconds request_deadline{10000};
  };
  /// What the gate has done since it started (for tests, benchmarks and logs).
  struct Counters {
    uint64_t accepted = 0;
    uint64_t refused_per_peer = 0;
    uint64_t refused_total = 0;
    uint64_t cut_by_deadline = 0;
  };

  explicit ConnectionGate(Limits limits) : limits_(limits) {}
  ~ConnectionGate();
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  /// Listens on host:port (0: any free port) and relays each connection to 127.0.0.1:upstream_port
  /// on a thread of its own. Returns the port it listens on.
  Result<int> start(const std::string& host, int port, int upstream_port);
  /// Stops accepting and closes every connection it relays; idempotent.
  void stop();
  Counters counters() const;

 private:
  void run();

  Limits limits_;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // eventfd that tells run() to return
  int upstream_port_ = 0;
  std::thread thread_;
  std::atomic<uint64_t> accepted_{0}, refused_per_peer_{0}, refused_total_{0}, cut_by_deadline_{0};
};

}  // namespace smzc::backend
