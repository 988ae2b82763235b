// kioskctl technician hash-pin: a technician's PIN as the configuration keeps it (`technicians`,
// docs/configuration.md). The PIN is read from stdin, never from the command line, where it
// would stay in the shell's history and show in the process list.

#include <iostream>
#include <string>

#include "certs/pin_hash.h"
#include "kiosk/kioskctl.h"

namespace smzc::kioskctl {

void add_technician_commands(CLI::App& app, int& rc) {
  auto* technician = app.add_subcommand("technician", "technicians' access at the screen");
  technician->require_subcommand(1);
  auto* hash = technician->add_subcommand(
      "hash-pin", "read a PIN (6 to 32 characters) on stdin; print the hash for `technicians`");
  hash->callback([&rc] {
    std::string pin;
    std::getline(std::cin, pin);
    auto hashed = certs::hash_pin(pin);
    std::fill(pin.begin(), pin.end(), '\0');
    if (!hashed) {
      rc = fail(2, hashed.error().message);
      return;
    }
    std::cout << hashed.value() << '\n';
    rc = 0;
  });
}

}  // namespace smzc::kioskctl
