// A whole terminal for tests and benchmarks, built by the same composition root as the kiosk
// (services::Terminal) over the reference backend on loopback, an SQLite journal and ledger, and
// either the real drivers against their simulators (the reader simulator on a pty,
// ippeveprinter) or, for tests about flow, the devices' fakes.
#pragma once

#include <functional>

#include <fstream>
#include <map>
#include <memory>

#include "backend/reference_backend.h"
#include "drivers/fakes.h"
#include "drivers/idcard/sim_photo.h"
#include "drivers/idcard/simulator.h"
#include "drivers/printer/ippeve.h"
#include "services/terminal.h"
#include "tests/support/cupsd.h"
#include "tests/support/test_support.h"

namespace smzc::testing {

/// The configuration of a terminal keeping its files below `dir`, talking to `backend` over
/// plain HTTP, with the backend's public key written where the configuration says.
inline services::Config terminal_config(const std::filesystem::path& dir,
                                        const backend::ReferenceBackend& backend) {
  services::Config c;
  c.terminal_id = "SMZC-TEST-0001";
  c.backend_url = backend.base_url();
  c.journal = dir / "journal.db";
  c.work_dir = dir / "work";
  c.certificate_key = dir / "issuer.pem";
  c.catalogue_cache = dir / "catalogue.json";
  c.forward_queue = dir / "queue.db";
  c.data_key = dir / "data.key";
  // The simulated cards' chip photos decode through the vendor-library seam, as on a terminal.
  c.face.photo_library = idcard::sim_wlt_library();
  std::filesystem::create_directories(dir);
  std::ofstream(c.certificate_key) << backend.public_key_pem();
  return c;
}

struct SimulatedTerminal {
  std::unique_ptr<idcard::ReaderSimulator> reader_sim;
  std::unique_ptr<printer::IppEvePrinter> printer_sim;
  std::unique_ptr<CupsDaemon> cups;  ///< the scheduler in front of printer_sim, when asked for
  std::unique_ptr<backend::ReferenceBackend> backend;
  std::unique_ptr<services::Terminal> terminal;
  // Parts of `terminal`, by their interfaces and drivers.
  idcard::CardReader* reader = nullptr;
  printer::IppPrinter* printer = nullptr;
  services::BackendClient* client = nullptr;
  services::Journal* journal = nullptr;
  services::PrintLedger* ledger = nullptr;
  services::ForwardQueue* queue = nullptr;  ///< store and forward, sealed with a fresh key
  certs::Sm2Key issuer_key;  ///< the backend's public key, as a terminal is configured with it
  services::TransactionEngine* engine = nullptr;
  IdentityCard card;  ///< the demo resident
  /// The face check's challenge is drawn from this seed (tries after the first from the next
  /// ones), so a scripted person can follow it.
  static constexpr unsigned kChallengeSeed = 11;

  /// Starts everything, keeping files below `dir`; the reader is unpaced unless `paced`. The
  /// reader is reached through a link (as udev names a real one), so replugging finds it again.
  /// `through_cups`: the terminal prints to a CUPS queue in front of the printer simulator.
  static Result<std::unique_ptr<SimulatedTerminal>> start(const std::filesystem::path& dir,
                                                          bool paced = false,
                                                          bool through_cups = false) {
    auto t = std::make_unique<SimulatedTerminal>();
    std::filesystem::create_directories(dir);  // the reader's link goes there first
    auto sim = idcard::ReaderSimulator::start({.paced = paced, .link = dir / "reader-tty"});
    if (!sim) return sim.error();
    t->reader_sim = std::move(sim.value());
    auto printer_sim = printer::IppEvePrinter::start({.spool_dir = dir / "spool"});
    if (!printer_sim) return printer_sim.error();
    t->printer_sim = std::move(printer_sim.value());
    std::string printer_uri = t->printer_sim->uri();
    if (through_cups) {
      auto cups = CupsDaemon::start(dir / "cups");
      if (!cups) return cups.error();
      t->cups = std::move(cups.value());
      if (auto s = t->cups->add_queue("SMZC", printer_uri); !s) return s.error();
      printer_uri = t->cups->queue_uri("SMZC");
    }
    t->backend = std::make_unique<backend::ReferenceBackend>(
        backend::ReferenceBackend::Options{.clock = &test_clock()});
    if (auto port = t->backend->start(); !port) return port.error();
    auto config = terminal_config(dir, *t->backend);
    config.devices = {{"reader", DeviceKind::kCardReader, "sam", (dir / "reader-tty").string(), {}},
                      {"printer", DeviceKind::kPrinter, "ipp", printer_uri, {}}};
    if (auto s = t->open(config, {}); !s) return s.error();
    t->terminal->devices().poll_all();  // the reader and printer are found now, not in a second
    return t;
  }

  /// Opens the terminal over `config` (and `devices`, when given: fakes), on `clock`.
  Status open(const services::Config& config, std::vector<std::unique_ptr<Device>> devices,
              const Clock* clock = &test_clock(), std::map<std::string, std::string> roles = {}) {
    services::Terminal::Parts parts;
    parts.clock = clock;
    parts.devices = std::move(devices);
    parts.roles = std::move(roles);
    parts.challenge_seed = kChallengeSeed;
    auto opened = services::Terminal::open(config, std::move(parts));
    if (!opened) return opened.error();
    terminal = std::move(opened.value());
    reader = terminal->devices().card_reader();
    printer = dynamic_cast<printer::IppPrinter*>(terminal->devices().printer());
    client = &terminal->backend();
    journal = &terminal->journal();
    ledger = &terminal->ledger();
    queue = &terminal->queue();
    auto issuer = certs::Sm2Key::from_pem_file(config.certificate_key);
    if (!issuer) return issuer.error();
    issuer_key = std::move(issuer.value());
    engine = &terminal->engine();
    auto loaded = idcard::load_card_json(source_dir() / "drivers/idcard/sim/cards/resident.json");
    if (!loaded) return loaded.error();
    card = loaded.value();
    return ok_status();
  }
};

/// A terminal on the devices' fakes and the reference backend: for tests about flow (engine,
/// UI), with no pty, ippeveprinter, dbus or avahi.
struct FakeTerminal {
  std::unique_ptr<backend::ReferenceBackend> backend;
  SimulatedTerminal parts;
  fakes::FakeCardReader* reader = nullptr;
  fakes::FakePrinter* printer = nullptr;

  /// `reader_present`: whether the reader is plugged in at start. The terminal and the backend
  /// both read `clock`.
  /// `more`: devices beyond the reader and printer (cameras, scanners), with cameras' roles by
  /// id in `roles`.
  static Result<std::unique_ptr<FakeTerminal>> start(
      const std::filesystem::path& dir, bool reader_present = true,
      const Clock* clock = &test_clock(), std::vector<std::unique_ptr<Device>> more = {},
      std::map<std::string, std::string> roles = {},
      const std::function<void(services::Config&)>& adjust = {}) {
    auto t = std::make_unique<FakeTerminal>();
    t->backend = std::make_unique<backend::ReferenceBackend>(
        backend::ReferenceBackend::Options{.clock = clock});
    if (auto port = t->backend->start(); !port) return port.error();
    auto reader = std::make_unique<fakes::FakeCardReader>("reader", reader_present);
    auto printer = std::make_unique<fakes::FakePrinter>("printer");
    t->reader = reader.get();
    t->printer = printer.get();
    std::vector<std::unique_ptr<Device>> devices;
    devices.push_back(std::move(reader));
    devices.push_back(std::move(printer));
    for (auto& d : more) devices.push_back(std::move(d));
    auto config = terminal_config(dir, *t->backend);
    if (adjust) adjust(config);
    if (auto s = t->parts.open(config, std::move(devices), clock, std::move(roles)); !s)
      return s.error();
    return t;
  }
  services::TransactionEngine& engine() { return *parts.engine; }
  const IdentityCard& card() const { return parts.card; }
};

}  // namespace smzc::testing
