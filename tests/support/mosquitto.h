// A private MQTT broker for tests and benchmarks: Debian's mosquitto on a free loopback port,
// anonymous, nothing persisted.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "base/process.h"
#include "base/status.h"

namespace smzc::testing {

class MosquittoBroker {
 public:
  /// `pki`: a folder from packaging/make-dev-pki.sh. Given, the broker takes mutual TLS only
  /// (the client certificate's CN is the client's name) and each terminal may read and write
  /// its own topics only (PREFIX/REGION/TERMINAL/...); smzc-fleet may read them all.
  static Result<std::unique_ptr<MosquittoBroker>> start(const std::filesystem::path& dir,
                                                        const std::filesystem::path& pki = {}) {
    const std::filesystem::path binary = "/usr/sbin/mosquitto";
    if (!std::filesystem::exists(binary))
      return Error{Completion::kDeviceNotReady,
                   "no MQTT broker at /usr/sbin/mosquitto (Debian package mosquitto; `./dev test` "
                   "installs it)"};
    auto port = find_free_loopback_port();
    if (!port) return port.error();
    std::filesystem::create_directories(dir);
    const auto conf = dir / "mosquitto.conf";
    std::ofstream(conf) << "listener " << port.value() << " 127.0.0.1\n"
                        << "allow_anonymous true\npersistence false\n"
                        // A fleet's worth of terminals, each with its own connection.
                        << "max_connections -1\nmax_queued_messages 100000\n";
    if (!pki.empty()) {
      std::ofstream(dir / "acl") << "pattern readwrite smzc/v1/+/%u/#\n"
                                 << "user smzc-fleet\ntopic read smzc/v1/#\n";
      std::ofstream(conf, std::ios::app)
          << "cafile " << (pki / "ca.pem").string() << "\ncertfile "
          << (pki / "server.pem").string() << "\nkeyfile " << (pki / "server.key").string()
          << "\nrequire_certificate true\nuse_identity_as_username true\nacl_file "
          << (dir / "acl").string() << "\n";
    }
    // Run by root, mosquitto would become the mosquitto user, who cannot read a test's keys.
    if (::geteuid() == 0) std::ofstream(conf, std::ios::app) << "user root\n";
    auto process = ChildProcess::start(
        {.argv = {binary.string(), "-c", conf.string()}, .log_path = dir / "mosquitto.log"});
    if (!process) return process.error();
    if (auto s = wait_for_loopback_port(port.value(), std::chrono::seconds(10)); !s)
      return Error{Completion::kDeviceNotReady, "mosquitto did not listen on port " +
                                                    std::to_string(port.value()) + "; see " +
                                                    (dir / "mosquitto.log").string()};
    return std::unique_ptr<MosquittoBroker>(
        new MosquittoBroker(std::move(process.value()), port.value()));
  }
  int port() const { return port_; }

 private:
  MosquittoBroker(ChildProcess process, int port) : process_(std::move(process)), port_(port) {}
  ChildProcess process_;
  int port_;
};

}  // namespace smzc::testing
