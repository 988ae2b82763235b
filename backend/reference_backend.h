// The reference government backend: the backend protocol (docs/backend-protocol.md) served over
// HTTP on loopback, for demos, tests and integrators who put an adapter for a real platform
// behind the same protocol.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "drivers/common/status.h"

namespace httplib {
class Server;
}

namespace smzc::backend {

class ReferenceBackend {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 0;                        ///< 0: any free port
    std::string region_code = "440605";  ///< 佛山市南海区
    std::string today;                   ///< YYYYMMDD for expiry checks; empty: the real date
  };

  explicit ReferenceBackend(Options options);
  ~ReferenceBackend();
  ReferenceBackend(const ReferenceBackend&) = delete;
  ReferenceBackend& operator=(const ReferenceBackend&) = delete;

  /// Binds and starts serving on a thread of its own; returns the port.
  Result<int> start();
  void stop();
  /// http://HOST:PORT
  std::string base_url() const;
  /// Applications stored so far (one per idempotency key).
  size_t application_count() const;

 private:
  struct Application {
    std::string id;
    std::string request_body;   // for Idempotency-Key replay checks
    std::string response_body;  // the first answer, returned again on replay
    std::string status;         // approved | rejected
    std::string certificate;    // JSON, when approved
    std::string print_state;    // from the print confirmation
  };

  void install_routes();
  std::string decide(const std::string& body, Application& app);

  Options options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::map<std::string, Application> by_key_;     // Idempotency-Key -> application
  std::map<std::string, std::string> key_by_id_;  // application id -> key
  int next_serial_ = 1;
};

/// The catalogue the reference backend serves (JSON text).
std::string reference_catalogue(const std::string& region_code);

}  // namespace smzc::backend
