// smzc-backend: the reference government backend as a program.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "backend/reference_backend.h"

int main(int argc, char** argv) {
  CLI::App app{"市民之窗 reference government backend (docs/backend-protocol.md)"};
  smzc::backend::ReferenceBackend::Options options;
  app.add_option("--host", options.host, "address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "port; 0 picks a free one")->capture_default_str();
  app.add_option("--region", options.region_code, "行政区划代码 of this backend")
      ->capture_default_str();
  app.add_option("--today", options.today, "YYYYMMDD used for expiry checks (tests)");
  CLI11_PARSE(app, argc, argv);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server thread starts

  smzc::backend::ReferenceBackend backend(options);
  auto port = backend.start();
  if (!port) {
    std::fprintf(stderr, "smzc-backend: %s\n", port.error().message.c_str());
    return 1;
  }
  std::cout << "listening on " << backend.base_url() << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  backend.stop();
  return 0;
}
