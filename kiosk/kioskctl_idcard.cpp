// kioskctl idcard: read a reader, decode a captured frame, run the reader simulator.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "drivers/common/privacy.h"
#include "drivers/idcard/frame.h"
#include "drivers/idcard/reader.h"
#include "drivers/idcard/simulator.h"
#include "drivers/idcard/usb_transport.h"
#include "kiosk/kioskctl.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;
using namespace smzc::idcard;

json card_json(const IdentityCard& card, bool reveal) {
  auto personal = [reveal](const std::string& value, std::string (*mask)(std::string_view)) {
    return reveal ? value : mask(value);
  };
  json j = {{"type", to_string(card.type)},
            {"name", personal(card.name, mask_name)},
            {"sex", sex_name(card.sex_code)},
            {"birth_date", card.birth_date},
            {"id_number", personal(card.id_number, mask_id_number)},
            {"id_number_valid", valid_id_number(card)},
            {"valid_from", card.valid_from},
            {"valid_to", card.valid_to},
            {"photo_bytes", card.photo.size()}};
  auto optional = [&j](const char* key, const std::string& value) {
    if (!value.empty()) j[key] = value;
  };
  if (card.type == CardType::kResident) optional("nation", nation_name(card.nation_code));
  optional("address", personal(card.address, mask_address));
  optional("english_name", personal(card.english_name, mask_name));
  optional("nationality", card.nationality);
  optional("authority", card.authority);
  optional("pass_number", personal(card.pass_number, mask_id_number));
  optional("issue_count", card.issue_count);
  optional("card_version", card.card_version);
  return j;
}

int print_card(const IdentityCard& card, bool as_json, bool reveal) {
  json j = card_json(card, reveal);
  if (as_json) {
    std::cout << j.dump(2) << '\n';
    return 0;
  }
  for (const auto& [k, v] : j.items())
    std::cout << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << '\n';
  return 0;
}

// The simulator's console: one command per line on stdin.
void run_simulator(ReaderSimulator& sim) {
  std::cout << "port: " << sim.port_path() << "\n"
            << "commands: lay FILE | lift | fault NAME | clear | delay MS | quit" << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string verb, arg;
    in >> verb >> arg;
    if (verb.empty()) continue;
    if (verb == "quit") return;
    if (verb == "lay") {
      auto card = load_card_json(arg);
      if (!card) {
        std::cout << "error: " << card.error().message << std::endl;
        continue;
      }
      sim.lay_card(card.value());
    } else if (verb == "lift") {
      sim.lift_card();
    } else if (verb == "fault") {
      auto fault = fault_from_string(arg);
      if (!fault) {
        std::cout << "error: " << fault.error().message << std::endl;
        continue;
      }
      sim.inject(fault.value());
    } else if (verb == "clear") {
      sim.clear_faults();
    } else if (verb == "delay") {
      sim.set_answer_delay(std::chrono::milliseconds(std::atoi(arg.c_str())));
    } else {
      std::cout << "error: unknown command " << verb << std::endl;
      continue;
    }
    std::cout << "ok" << std::endl;
  }
  // Input closed (run from a script): keep answering until a signal ends the process.
  for (;;) pause();
}

}  // namespace

void add_idcard_commands(CLI::App& app, int& rc) {
  auto* idcard = app.add_subcommand("idcard", "ID-card reader")->require_subcommand(1);

  struct ReadArgs {
    std::string port = "/dev/ttyUSB0";
    int baud = 115200;
    bool usb = false, json = false, reveal = false;
  };
  static ReadArgs read_args;
  auto* read = idcard->add_subcommand("read", "read the card on a reader");
  read->add_option("--port", read_args.port, "serial device")->capture_default_str();
  read->add_option("--baud", read_args.baud, "line rate")->capture_default_str();
  read->add_flag("--usb", read_args.usb, "a USB reader (0400:c35a) instead of a serial one");
  read->add_flag("--json", read_args.json, "print JSON");
  read->add_flag("--reveal", read_args.reveal, "show ID number, name and address unmasked");
  read->callback([&rc] {
    auto transport = open_transport(read_args.usb ? "usb" : read_args.port, read_args.baud);
    if (!transport) {
      rc = fail(1, transport.error().message);
      return;
    }
    Reader reader(std::move(transport.value()));
    auto card = reader.read_card();
    rc = card ? print_card(card.value(), read_args.json, read_args.reveal)
              : fail(1, card.error().message);
  });

  struct DecodeArgs {
    std::string file;
    bool json = false, reveal = false;
  };
  static DecodeArgs decode_args;
  auto* decode = idcard->add_subcommand("decode", "decode a captured read response frame");
  decode->add_option("file", decode_args.file, "raw response bytes (from AA AA AA 96 69)")
      ->required();
  decode->add_flag("--json", decode_args.json, "print JSON");
  decode->add_flag("--reveal", decode_args.reveal, "show ID number, name and address unmasked");
  decode->callback([&rc] {
    std::ifstream in(decode_args.file, std::ios::binary);
    if (!in) {
      rc = fail(2, "cannot read " + decode_args.file);
      return;
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    auto response = decode_response(bytes);
    if (!response) {
      rc = fail(2, response.error().message);
      return;
    }
    if (response->sw3 != sw3::kOk) {
      rc = fail(2, std::string("the reader answered: ") + describe_sw3(response->sw3).en);
      return;
    }
    // 30 10 answers carry a third length (fingerprint); tell them apart by the sizes.
    const auto& d = response->data;
    const bool with_fp =
        d.size() >= 6 &&
        d.size() == 6u + ((d[0] << 8) | d[1]) + ((d[2] << 8) | d[3]) + ((d[4] << 8) | d[5]);
    auto card = decode_base_message(d, with_fp);
    rc = card ? print_card(card.value(), decode_args.json, decode_args.reveal)
              : fail(2, card.error().message);
  });

  struct SimArgs {
    std::string card;
    int baud = 115200;
  };
  static SimArgs sim_args;
  auto* sim = idcard->add_subcommand("sim", "run the reader simulator on a pseudo-terminal");
  sim->add_option("--card", sim_args.card, "lay this card (JSON) at start");
  sim->add_option("--baud", sim_args.baud, "simulated line rate")->capture_default_str();
  sim->callback([&rc] {
    auto simulator = ReaderSimulator::start({.baud = sim_args.baud});
    if (!simulator) {
      rc = fail(1, simulator.error().message);
      return;
    }
    if (!sim_args.card.empty()) {
      auto card = load_card_json(sim_args.card);
      if (!card) {
        rc = fail(2, card.error().message);
        return;
      }
      simulator.value()->lay_card(card.value());
    }
    run_simulator(*simulator.value());
  });
}

}  // namespace smzc::kioskctl
