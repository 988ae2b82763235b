// smzc-sim: the device simulators as a program, for technicians and integrators who want a
// terminal without hardware. `smzc-sim idcard` runs the reader simulator on a pseudo-terminal and
// takes commands on stdin. Linked with the simulators; not installed on production systems.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "drivers/idcard/simulator.h"

namespace {

using namespace smzc;
using namespace smzc::idcard;

// The simulator's console: one command per line on stdin.
void run_console(ReaderSimulator& sim) {
  std::cout << "port: " << sim.port_path() << "\n"
            << "commands: lay FILE.json | lift | fault NAME | clear | delay MS | unplug | replug"
            << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd, arg;
    in >> cmd >> arg;
    if (cmd == "lay") {
      auto card = load_card_json(arg);
      if (!card) {
        std::cout << "error: " << card.error().message << std::endl;
        continue;
      }
      sim.lay_card(card.value());
    } else if (cmd == "lift") {
      sim.lift_card();
    } else if (cmd == "fault" || cmd == "unplug") {
      auto fault = fault_from_string(cmd == "unplug" ? "unplug" : arg);
      if (!fault) {
        std::cout << "error: " << fault.error().message << std::endl;
        continue;
      }
      sim.inject(fault.value());
    } else if (cmd == "replug") {
      if (auto s = sim.replug(); !s) {
        std::cout << "error: " << s.error().message << std::endl;
        continue;
      }
      std::cout << "port: " << sim.port_path() << std::endl;
    } else if (cmd == "clear") {
      sim.clear_faults();
    } else if (cmd == "delay") {
      sim.set_answer_delay(std::chrono::milliseconds(std::atoi(arg.c_str())));
    } else if (!cmd.empty()) {
      std::cout << "error: unknown command " << cmd << std::endl;
      continue;
    }
    std::cout << "ok" << std::endl;
  }
  // Input closed (run from a script): keep answering until a signal ends the process.
  for (;;) pause();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"市民之窗 device simulators"};
  app.require_subcommand(1);
  std::string card_file, link;
  int baud = 115200;
  int rc = 0;
  auto* idcard = app.add_subcommand("idcard", "the ID-card reader simulator on a pseudo-terminal");
  idcard->add_option("--card", card_file, "lay this card (JSON) at start");
  idcard->add_option("--baud", baud, "simulated line rate")->capture_default_str();
  idcard->add_option("--link", link, "keep a symlink to the port here (as udev would)");
  idcard->callback([&] {
    auto simulator = ReaderSimulator::start({.baud = baud, .link = link});
    if (!simulator) {
      std::cerr << "smzc-sim: " << simulator.error().message << '\n';
      rc = 1;
      return;
    }
    if (!card_file.empty()) {
      auto card = load_card_json(card_file);
      if (!card) {
        std::cerr << "smzc-sim: " << card.error().message << '\n';
        rc = 2;
        return;
      }
      simulator.value()->lay_card(card.value());
    }
    run_console(*simulator.value());
  });
  CLI11_PARSE(app, argc, argv);
  return rc;
}
