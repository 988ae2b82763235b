// kioskctl: the technicians' command line (docs/kioskctl.md).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "base/privacy.h"
#include "kiosk/kioskctl.h"

namespace smzc::kioskctl {

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "kioskctl: %s\n", message.c_str());
  return code;
}

void add_device_options(CLI::App* command, DeviceArgs& args, const std::string& address_flag,
                        const std::string& address_help) {
  command->add_option("--config", args.config, "kiosk configuration")->capture_default_str();
  command->add_option("--device", args.id, "the device's id in the configuration");
  command->add_option(address_flag, args.address, address_help);
}

Result<services::DeviceSpec> device_spec(DeviceKind kind, const DeviceArgs& args) {
  if (!args.address.empty()) {
    const char* driver = kind == DeviceKind::kPrinter   ? "ipp"
                         : kind == DeviceKind::kCamera  ? "opencv"
                         : kind == DeviceKind::kScanner ? "sane"
                                                        : "sam";
    return services::DeviceSpec{"cli", kind, driver, args.address, {}};
  }
  auto config = services::load_config(args.config);
  if (!config)
    return Error{config.code(), config.error().message + " (or name the device with a flag)"};
  for (const auto& d : config->devices)
    if (d.kind == kind && (args.id.empty() || d.id == args.id)) return d;
  return Error{Completion::kInvalidData, args.config + " has no " + to_string(kind) + " device" +
                                             (args.id.empty() ? "" : " \"" + args.id + "\"")};
}

}  // namespace smzc::kioskctl

int main(int argc, char** argv) {
  // Citizens' data lives in this process: a crash must not write it to disk.
  smzc::forbid_core_dumps();
  // Output (text or --json) is stdout's; the log goes to stderr.
  spdlog::set_default_logger(spdlog::stderr_color_mt("kioskctl"));
  CLI::App app{"市民之窗 technicians' command line"};
  app.require_subcommand(1);
  int rc = 0;
  smzc::kioskctl::add_idcard_commands(app, rc);
  smzc::kioskctl::add_printer_commands(app, rc);
  smzc::kioskctl::add_queue_commands(app, rc);
  smzc::kioskctl::add_camera_commands(app, rc);
  smzc::kioskctl::add_face_commands(app, rc);
  smzc::kioskctl::add_cert_commands(app, rc);
  smzc::kioskctl::add_journal_commands(app, rc);
  smzc::kioskctl::add_backend_commands(app, rc);
  smzc::kioskctl::add_config_commands(app, rc);
  smzc::kioskctl::add_status_commands(app, rc);
  smzc::kioskctl::add_bundle_commands(app, rc);
  smzc::kioskctl::add_selftest_commands(app, rc);
  smzc::kioskctl::add_catalogue_commands(app, rc);
  smzc::kioskctl::add_reprint_commands(app, rc);
  smzc::kioskctl::add_logs_commands(app, rc);
  smzc::kioskctl::add_technician_commands(app, rc);
  CLI11_PARSE(app, argc, argv);
  return rc;
}
