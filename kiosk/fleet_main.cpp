// smzc-fleet: the fleet service as a program — subscribes to the terminals' reports on an MQTT
// broker and serves the fleet page (docs/fleet.md).
#include <signal.h>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <thread>

#include "fleet/fleet_service.h"

int main(int argc, char** argv) {
  // stdout carries only the "listening on" line a parent may read.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("smzc-fleet"));
  CLI::App app{"市民之窗 fleet service: every terminal's health on one page (docs/fleet.md)"};
  smzc::fleet::FleetService::Options options;
  std::string host = "127.0.0.1";
  int port = 8090;
  int broker_port = 1883;
  app.add_option("--host", host, "address the page is served on")->capture_default_str();
  app.add_option("--port", port, "port of the page; 0 picks a free one")->capture_default_str();
  app.add_option("--broker", options.broker.host, "the MQTT broker's host")->capture_default_str();
  app.add_option("--broker-port", broker_port, "the MQTT broker's port")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  app.add_option("--prefix", options.topic_prefix, "the terminals' topic prefix")
      ->capture_default_str();
  app.add_option("--client-id", options.client_id, "this service's MQTT client id")
      ->capture_default_str();
  app.add_option("--ca", options.broker.ca, "the broker's CA (PEM): TLS");
  app.add_option("--cert", options.broker.cert, "this service's certificate for mutual TLS");
  app.add_option("--key", options.broker.key, "this service's key for mutual TLS");
  CLI11_PARSE(app, argc, argv);
  options.broker.port = broker_port;

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts

  auto service = smzc::fleet::FleetService::start(options);
  if (!service) {
    spdlog::error("{}", service.error().message);
    return 1;
  }
  auto bound = service.value()->bind(host, port);
  if (!bound) {
    spdlog::error("{}", bound.error().message);
    return 1;
  }
  std::jthread stopper([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    service.value()->stop();
  });
  std::cout << "listening on http://" << host << ":" << bound.value() << std::endl;
  service.value()->serve();
  return 0;
}
