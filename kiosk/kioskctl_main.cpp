// kioskctl: the technicians' command line (docs/kioskctl.md).
#include <cstdio>

#include "kiosk/kioskctl.h"

namespace smzc::kioskctl {

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "kioskctl: %s\n", message.c_str());
  return code;
}

}  // namespace smzc::kioskctl

int main(int argc, char** argv) {
  CLI::App app{"市民之窗 technicians' command line"};
  app.require_subcommand(1);
  int rc = 0;
  smzc::kioskctl::add_idcard_commands(app, rc);
  smzc::kioskctl::add_printer_commands(app, rc);
  smzc::kioskctl::add_queue_commands(app, rc);
  CLI11_PARSE(app, argc, argv);
  return rc;
}
