// kioskctl's command groups; each adds its subcommands to the app and sets `rc` when it runs.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace smzc::kioskctl {

void add_idcard_commands(CLI::App& app, int& rc);
void add_printer_commands(CLI::App& app, int& rc);
void add_queue_commands(CLI::App& app, int& rc);

/// Prints "kioskctl: MESSAGE" to stderr and returns `code`.
int fail(int code, const std::string& message);

}  // namespace smzc::kioskctl
