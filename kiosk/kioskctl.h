// kioskctl's command groups; each adds its subcommands to the app and sets `rc` when it runs.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "services/config.h"
#include "services/forward_queue.h"
#include "services/journal.h"

namespace smzc::camera {
class Camera;
}

namespace smzc::kioskctl {

void add_idcard_commands(CLI::App& app, int& rc);
void add_printer_commands(CLI::App& app, int& rc);
void add_queue_commands(CLI::App& app, int& rc);
void add_camera_commands(CLI::App& app, int& rc);
void add_cert_commands(CLI::App& app, int& rc);
void add_journal_commands(CLI::App& app, int& rc);
void add_backend_commands(CLI::App& app, int& rc);
void add_config_commands(CLI::App& app, int& rc);
void add_status_commands(CLI::App& app, int& rc);
void add_bundle_commands(CLI::App& app, int& rc);
void add_selftest_commands(CLI::App& app, int& rc);
void add_catalogue_commands(CLI::App& app, int& rc);
void add_reprint_commands(CLI::App& app, int& rc);
void add_logs_commands(CLI::App& app, int& rc);
void add_technician_commands(CLI::App& app, int& rc);

/// The terminal's journal and store-and-forward queue, opened with its data key, loaded once.
/// What could not be opened is null, with the reason in its error.
struct TerminalStores {
  std::unique_ptr<services::Journal> journal;
  std::unique_ptr<services::ForwardQueue> queue;
  std::string journal_error, queue_error;
};
/// Opens the journal, and the queue when `with_queue`.
TerminalStores open_stores(const services::Config& config, bool with_queue = true);

/// The terminal at a glance (kioskctl status --json): devices, backends, journal head, queue.
nlohmann::json terminal_status(const services::Config& config, const TerminalStores& stores);

/// One journal entry as the commands show it: its detail parsed when it is JSON, the time local.
nlohmann::json journal_entry_json(const services::JournalEntry& entry);
/// One waiting or sent application as the commands show it; never its sealed request.
nlohmann::json queue_entry_json(const services::QueuedApplication& entry);

/// Prints "kioskctl: MESSAGE" to stderr and returns `code`.
int fail(int code, const std::string& message);

/// Which device a command means: the configuration's (the first of the kind, or --device ID),
/// unless a flag names an address.
struct DeviceArgs {
  std::string config = "/etc/smzc/kiosk.json";
  std::string id;
  std::string address;  ///< from a flag; wins over the configuration
};
void add_device_options(CLI::App* command, DeviceArgs& args, const std::string& address_flag,
                        const std::string& address_help);
Result<services::DeviceSpec> device_spec(DeviceKind kind, const DeviceArgs& args);

/// The camera a command means: the configuration's, or the flag's address (a V4L2 device, or a
/// file — an image, a video, an image-sequence pattern — played as fast as it is read).
Result<std::unique_ptr<camera::Camera>> open_camera(const DeviceArgs& args);

void add_face_commands(CLI::App& app, int& rc);

}  // namespace smzc::kioskctl
