// A whole terminal on real simulated parts, for tests and benchmarks: the reader simulator on a
// pty, ippeveprinter, the reference backend on loopback, an SQLite journal and ledger, and the
// engine over them.
#pragma once

#include <memory>

#include "backend/reference_backend.h"
#include "drivers/idcard/simulator.h"
#include "drivers/printer/ippeve.h"
#include "services/transaction_engine.h"

namespace smzc::testing {

struct SimulatedTerminal {
  std::unique_ptr<idcard::ReaderSimulator> reader_sim;
  std::unique_ptr<idcard::Reader> reader;
  std::unique_ptr<printer::IppEvePrinter> printer_sim;
  std::unique_ptr<printer::IppPrinter> printer;
  std::unique_ptr<backend::ReferenceBackend> backend;
  std::unique_ptr<services::BackendClient> client;
  std::unique_ptr<services::Journal> journal;
  std::unique_ptr<services::PrintLedger> ledger;
  std::unique_ptr<services::ForwardQueue> queue;  ///< store and forward, sealed with a fresh key
  certs::Sm2Key issuer_key;  ///< the backend's public key, as a terminal is configured with it
  std::unique_ptr<services::TransactionEngine> engine;
  idcard::IdentityCard card;  ///< the demo resident

  /// Starts everything, keeping files below `dir`; the reader is unpaced unless `paced`.
  static Result<std::unique_ptr<SimulatedTerminal>> start(const std::filesystem::path& dir,
                                                          bool paced = false) {
    auto t = std::make_unique<SimulatedTerminal>();
    auto sim = idcard::ReaderSimulator::start({.paced = paced});
    if (!sim) return sim.error();
    t->reader_sim = std::move(sim.value());
    auto transport = idcard::SerialTransport::open(t->reader_sim->port_path());
    if (!transport) return transport.error();
    t->reader = std::make_unique<idcard::Reader>(std::move(transport.value()));
    auto printer_sim = printer::IppEvePrinter::start({.spool_dir = dir / "spool"});
    if (!printer_sim) return printer_sim.error();
    t->printer_sim = std::move(printer_sim.value());
    t->printer = std::make_unique<printer::IppPrinter>(t->printer_sim->uri());
    t->backend = std::make_unique<backend::ReferenceBackend>(
        backend::ReferenceBackend::Options{.today = "20261122"});
    if (auto port = t->backend->start(); !port) return port.error();
    t->client = std::make_unique<services::BackendClient>(t->backend->base_url());
    auto journal = services::Journal::open(dir / "journal.db");
    if (!journal) return journal.error();
    t->journal = std::move(journal.value());
    auto ledger = services::PrintLedger::open(dir / "journal.db");
    if (!ledger) return ledger.error();
    t->ledger = std::move(ledger.value());
    auto issuer = certs::Sm2Key::from_pem(t->backend->public_key_pem());
    if (!issuer) return issuer.error();
    t->issuer_key = std::move(issuer.value());
    auto data_key = certs::DataKey::random();
    if (!data_key) return data_key.error();
    auto queue = services::ForwardQueue::open(dir / "queue.db", data_key.value());
    if (!queue) return queue.error();
    t->queue = std::move(queue.value());
    t->engine = std::make_unique<services::TransactionEngine>(
        *t->journal, *t->ledger, *t->client, *t->reader, *t->printer,
        services::TransactionEngine::Options{.work_dir = dir / "work",
                                             .card_timeout = std::chrono::seconds(10),
                                             .today = "20261122",
                                             .certificate_key = &t->issuer_key,
                                             .queue = t->queue.get()});
    auto card = idcard::load_card_json(std::filesystem::path(SMZC_SOURCE_DIR) /
                                       "drivers/idcard/sim/cards/resident.json");
    if (!card) return card.error();
    t->card = card.value();
    return t;
  }
};

}  // namespace smzc::testing
