// A private PostgreSQL server for tests and benchmarks: Debian's postgresql binaries, a fresh
// cluster in a folder, listening on a free loopback port, trusted for the user `smzc`. Run as the
// `postgres` system user when the tests run as root (PostgreSQL refuses root).
#pragma once
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/process.h"
#include "base/status.h"

namespace smzc::testing {

class PostgresServer {
 public:
  /// `durable`: fsync as in production (benchmarks); otherwise off, for speed.
  static Result<std::unique_ptr<PostgresServer>> start(const std::filesystem::path& dir,
                                                       bool durable = false) {
    std::filesystem::path bin;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
      if (std::filesystem::exists(e.path() / "bin/initdb")) bin = e.path() / "bin";
    if (bin.empty())
      return Error{Completion::kDeviceNotReady,
                   "no PostgreSQL server (Debian package postgresql; `./dev test` installs it)"};
    const auto data = dir / "pgdata";
    std::filesystem::create_directories(data, ec);
    std::vector<std::string> as_user;  // prefix that runs a command as the postgres user
    if (::geteuid() == 0) {
      const passwd* pg = ::getpwnam("postgres");
      if (!pg)
        return Error{Completion::kDeviceNotReady, "no postgres user (Debian package postgresql)"};
      // The server reaches its folder through the test's own, which only root could enter.
      std::filesystem::permissions(dir, std::filesystem::perms(0755), ec);
      std::filesystem::permissions(dir.parent_path(), std::filesystem::perms(0755), ec);
      if (::chown(data.c_str(), pg->pw_uid, pg->pw_gid) != 0 ||
          ::chown(dir.c_str(), pg->pw_uid, pg->pw_gid) != 0)
        return Error{Completion::kDeviceNotReady, "cannot hand " + dir.string() + " to postgres"};
      as_user = {"setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"};
    }
    std::string init;
    for (const auto& a : as_user) init += a + " ";
    init += "'" + (bin / "initdb").string() + "' -D '" + data.string() +
            "' -U smzc -A trust -E UTF8 --no-sync >'" + (dir / "initdb.log").string() + "' 2>&1";
    if (std::system(init.c_str()) != 0)
      return Error{Completion::kDeviceNotReady,
                   "initdb failed; see " + (dir / "initdb.log").string()};
    auto port = find_free_loopback_port();
    if (!port) return port.error();
    std::vector<std::string> argv = as_user;
    for (const std::string& a :
         {(bin / "postgres").string(), std::string("-D"), data.string(), std::string("-p"),
          std::to_string(port.value()), std::string("-k"), dir.string(), std::string("-c"),
          std::string("listen_addresses=127.0.0.1"), std::string("-c"),
          std::string("max_connections=200"), std::string("-c"),
          std::string(durable ? "fsync=on" : "fsync=off")})
      argv.push_back(a);
    auto process = ChildProcess::start({.argv = argv, .log_path = dir / "postgres.log"});
    if (!process) return process.error();
    std::unique_ptr<PostgresServer> server(
        new PostgresServer(std::move(process.value()), port.value(), dir));
    // Listening comes before accepting sessions: ask until a database can be made.
    for (int tries = 0; tries < 200; ++tries) {
      if (!server->process_.running())
        return Error{Completion::kDeviceNotReady,
                     "postgres exited; see " + (dir / "postgres.log").string()};
      if (server->psql("SELECT 1")) return server;
      (void)wait_for_loopback_port(port.value(), std::chrono::milliseconds(50));
    }
    return Error{Completion::kTimeout, "postgres did not accept sessions within 10 s"};
  }

  ~PostgresServer() {
    // Fast shutdown (SIGINT): sessions are ended, not waited for.
    if (process_.running()) ::kill(process_.pid(), SIGINT);
    (void)process_.wait_for(std::chrono::seconds(10));
  }

  int port() const { return port_; }
  /// postgresql://smzc@127.0.0.1:PORT/DATABASE
  std::string uri(const std::string& database) const {
    return "postgresql://smzc@127.0.0.1:" + std::to_string(port_) + "/" + database;
  }
  Status create_database(const std::string& name) {
    if (!psql("CREATE DATABASE " + name))
      return Error{Completion::kDeviceNotReady, "cannot create database " + name};
    return ok_status();
  }
  /// Runs SQL in `database` through psql; true when it succeeded.
  bool psql(const std::string& sql, const std::string& database = "postgres") const {
    const std::string command =
        "psql -X -q -v ON_ERROR_STOP=1 '" + uri(database) + "' -c \"" + sql + "\" >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
  }

 private:
  PostgresServer(ChildProcess process, int port, std::filesystem::path dir)
      : process_(std::move(process)), port_(port), dir_(std::move(dir)) {}
  ChildProcess process_;
  int port_;
  std::filesystem::path dir_;
};

}  // namespace smzc::testing
