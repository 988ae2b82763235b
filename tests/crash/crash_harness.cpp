// One citizen's transaction that dies at a chosen journal entry: after the Nth entry is on disk
// the process ends at once (_exit, as in a power cut: no destructors, nothing flushed beyond what
// SQLite synced). The crash test runs it for every N and then restarts the terminal.
//   crash_harness DIR BACKEND_URL PRINTER_URI ISSUER_PUBLIC_PEM N
// N = 0: the process dies instead right after Print-Job was sent, before the job id is recorded
// (the instant the ledger's "sending" state is for).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "base/clock.h"
#include "base/paths.h"
#include "drivers/idcard/simulator.h"
#include "services/transaction_engine.h"

namespace {

// The real printer, but the process dies the moment a job has been handed to it: what a power
// cut between Print-Job and recording its id looks like. (The Printer interface makes the fault
// a wrapper, not a switch in production code.)
class DiesAfterSubmit final : public smzc::printer::Printer {
 public:
  explicit DiesAfterSubmit(smzc::printer::Printer& real) : Printer("printer"), real_(real) {}
  std::vector<std::string> capabilities() const override { return real_.capabilities(); }
  std::string address() const override { return real_.address(); }
  smzc::Status self_test(smzc::Deadline d, std::stop_token s) override {
    return real_.self_test(d, s);
  }
  void poll(smzc::Deadline d) override { real_.poll(d); }
  smzc::Result<smzc::printer::PrinterStatus> query() override { return real_.query(); }
  smzc::Result<int> submit(const std::filesystem::path& pdf, const std::string& name,
                           const smzc::printer::PrintOptions& options,
                           const smzc::printer::PrinterStatus* known) override {
    (void)real_.submit(pdf, name, options, known);
    _exit(9);
  }
  smzc::Result<smzc::printer::JobStatus> job_status(int id) override {
    return real_.job_status(id);
  }
  smzc::Status cancel_job(int id) override { return real_.cancel_job(id); }
  smzc::Status purge_job(int id) override { return real_.purge_job(id); }
  smzc::Result<std::vector<smzc::printer::JobStatus>> jobs_named(const std::string& n) override {
    return real_.jobs_named(n);
  }
  smzc::Result<smzc::printer::JobStatus> wait_for_job(int id, smzc::Deadline d,
                                                      smzc::printer::FaultPolicy p,
                                                      std::stop_token s) override {
    return real_.wait_for_job(id, d, p, s);
  }

 private:
  smzc::printer::Printer& real_;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace smzc;
  if (argc != 6 && argc != 7) {
    std::fprintf(
        stderr,
        "usage: crash_harness DIR BACKEND_URL PRINTER_URI ISSUER_PEM N [DEAD_BACKEND_URL]\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const int crash_after = std::atoi(argv[5]);
  // With a dead URL, the item's region is routed there: the application cannot be sent and waits
  // in the store-and-forward queue.
  const bool queued = argc == 7;
  auto journal = services::Journal::open(dir / "journal.db");
  auto ledger = services::PrintLedger::open(dir / "journal.db");
  auto issuer = certs::Sm2Key::from_pem_file(argv[4]);
  auto data_key = certs::DataKey::load_or_create(dir / "data.key");
  auto queue = data_key ? services::ForwardQueue::open(dir / "queue.db", data_key.value())
                        : Result<std::unique_ptr<services::ForwardQueue>>(data_key.error());
  auto sim = idcard::ReaderSimulator::start({.paced = false});
  auto card = idcard::load_card_json(data_file("drivers/idcard/sim/cards/resident.json"));
  if (!journal || !ledger || !issuer || !queue || !sim || !card) return 3;
  idcard::SamCardReader reader("reader", {.port = sim.value()->port_path()});
  reader.poll(after(std::chrono::seconds(1)));
  services::BackendClient client(argv[2]);
  services::BackendClient dead(queued ? argv[6] : argv[2],
                               {.backoff = std::chrono::milliseconds(1)});
  printer::IppPrinter ipp(argv[3]);
  DiesAfterSubmit dying(ipp);
  printer::Printer& printer = crash_after == 0 ? static_cast<printer::Printer&>(dying) : ipp;
  // The day the tests' cards and rules are written for (see tests/support/test_support.h).
  const FakeClock clock(FakeClock::local_time("2026-11-22 10:00:00"));
  int appended = 0;
  journal.value()->set_observer([&](const services::JournalEntry&) {
    if (++appended == crash_after) _exit(9);
  });
  std::map<std::string, services::RegionBackend> partners;
  if (queued) partners["440605"] = {&dead, &issuer.value(), {}};
  services::TransactionEngine engine(*journal.value(), *ledger.value(), client, reader, printer,
                                     {.work_dir = dir / "work",
                                      .card_timeout = std::chrono::seconds(10),
                                      .clock = &clock,
                                      .certificate_key = &issuer.value(),
                                      .partners = partners,
                                      .queue = queue.value().get()});
  sim.value()->lay_card(card.value());
  if (!engine.identify()) return 4;
  auto catalogue = engine.catalogue();
  const std::string code = queued ? "NH-GA-0003" : "NH-SB-0001";
  if (!catalogue || !catalogue->find(code)) return 4;
  auto outcome = engine.process(*catalogue->find(code), {.fields = {{"phone", "13812345678"}}});
  std::printf("%s\n", services::to_string(outcome.status));
  using services::OutcomeStatus;
  return outcome.status == (queued ? OutcomeStatus::kQueued : OutcomeStatus::kPrinted) ? 0 : 1;
}
