// The transaction engine: walks one citizen's application through
// read card → identify → form → materials → apply → approve → fetch certificate → verify →
// render → print, journaling each step before its side effect.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "drivers/idcard/reader.h"
#include "drivers/printer/printer.h"
#include "services/backend_client.h"
#include "services/forward_queue.h"
#include "services/journal.h"
#include "services/print_ledger.h"
#include "services/transaction_state.h"

namespace smzc::services {

enum class Step {
  kReadCard,
  kIdentify,
  kForm,       ///< the item's form: prefilled from the card, checked
  kMaterials,  ///< e-licences looked up, scans checked
  kApply,
  kApprove,
  kFetchCertificate,
  kVerify,  ///< the certificate's SM2 signature, against the configured issuer key
  kRender,
  kPrint,
};
const char* to_string(Step step);

/// What the screens may show of the citizen: masked, never the full data.
struct Citizen {
  std::string masked_name;
  std::string masked_id_number;
};

/// How one transaction ended.
struct Outcome {
  /// printed | submitted | rejected | incomplete (form or materials: fix and send again) |
  /// queued (kept on the terminal until the backend is back) | pending (the decision comes
  /// later) | closed (outside the item's hours; nothing started) | failed | canceled |
  /// timed-out (no card was laid)
  std::string status = "failed";
  std::string transaction_id;
  std::string item_code;
  std::string application_id;
  std::string region_code;  ///< the region whose backend handled it
  std::string delivery;     ///< submitted (manual) items: how the result comes, sms | mail
  std::string certificate_serial;
  int job_id = 0;
  std::string job_state;
  std::optional<Step> failed_step;
  std::string reason;                ///< why it failed, for the technician's log
  std::string citizen_message;       ///< what the citizen is told when it did not print
  std::vector<std::string> reasons;  ///< why it was rejected or incomplete, for the citizen
  std::vector<std::pair<Step, double>> timings_ms;
  std::filesystem::path document;  ///< the PDF that was sent to the printer
};

/// One terminal's engine. The devices, journal and backend client are owned by the caller and
/// must outlive the engine. Calls come from one thread at a time (the UI's worker); cancel() may
/// come from any thread.
/// The backend that owns a partner region's items, and the key its documents are signed with.
struct RegionBackend {
  BackendClient* client = nullptr;
  const certs::Sm2Key* issuer_key = nullptr;
  std::filesystem::path catalogue_cache;
};

/// A form field as the citizen first sees it: prefilled from the card where the item says so.
struct FilledField {
  FormField field;
  std::string value;
};

/// What the citizen gives beyond the card.
struct ApplicationInput {
  std::map<std::string, std::string> fields;  ///< form values by field name (prefills may change)
  std::map<std::string, std::string> scans;   ///< material name → scanned image (bytes)
};

/// What start-up recovery settled.
struct RecoveryReport {
  int prints_completed = 0;        ///< found printed: never printed again
  int prints_not_printed = 0;      ///< nothing came out: a retry prints it once
  int prints_unknown = 0;          ///< cannot tell (or still printing): left for a technician
  int applications_found = 0;      ///< an interrupted application that the backend did receive
  int applications_absent = 0;     ///< an interrupted application that never arrived
  std::vector<std::string> notes;  ///< one line each, no personal data
};

class TransactionEngine {
 public:
  struct Options {
    std::filesystem::path work_dir = "/tmp/smzc";  ///< rendered PDFs; wiped at session end
    std::chrono::milliseconds card_timeout{60000};
    std::chrono::milliseconds print_timeout{60000};
    printer::FaultPolicy print_fault_policy = printer::FaultPolicy::kCancel;
    printer::PrintOptions print_options;
    std::string today;        ///< YYYYMMDD; empty: the real date
    std::string time_of_day;  ///< HH:MM for opening hours; empty: the real time
    /// The issuing backend's public key; certificates it did not sign are never printed.
    const certs::Sm2Key* certificate_key = nullptr;
    /// The home backend's last good catalogue; empty: no cache.
    std::filesystem::path catalogue_cache;
    /// Backends of partner regions, by region code: their items are routed to them.
    std::map<std::string, RegionBackend> partners;
    SiteProfile site;
    /// Where store-and-forward items wait while the backend is unreachable; none: they fail.
    ForwardQueue* queue = nullptr;
    /// How long an application may stay "pending" before the citizen is told the result comes
    /// later.
    std::chrono::milliseconds decision_timeout{5000};
  };

  TransactionEngine(Journal& journal, PrintLedger& ledger, BackendClient& backend,
                    idcard::Reader& reader, printer::IppPrinter& printer, Options options);

  /// Waits for a card, reads it and checks it with the backend (with `face_image`, JPEG or PNG
  /// bytes, when the terminal took one). Starts a new transaction. No card in time: timeout.
  Result<Citizen> identify(const std::string& face_image = {});
  Result<Catalogue> catalogue();
  /// Whether `item` may be applied for now (its opening hours).
  bool open_now(const ServiceItem& item) const;
  /// `item`'s form for the identified citizen, prefilled from the card.
  std::vector<FilledField> form_for(const ServiceItem& item) const;
  /// Applies for `item` for the identified citizen and, once approved, prints its certificate.
  /// `on_step` is called as each step begins. An incomplete form or missing material leaves the
  /// citizen identified, so the application can be sent again with `input` corrected.
  Outcome process(const ServiceItem& item, const ApplicationInput& input,
                  const std::function<void(Step)>& on_step = {});
  Outcome process(const ServiceItem& item, const std::function<void(Step)>& on_step = {}) {
    return process(item, ApplicationInput{}, on_step);
  }
  /// Sends what the store-and-forward queue holds, oldest first, with each one's first
  /// idempotency key; stops at the first backend still unreachable. Safe to call from another
  /// thread than the citizen's (it touches only the queue and the backend clients).
  Result<DrainReport> drain_queue() const;
  /// Fetches, renders, verifies and prints the certificate of an approved application: the tail
  /// of process(), and the way to retry a print that failed (the ledger lets a certificate print
  /// exactly once; see PrintLedger).
  Outcome print_certificate(const std::string& application_id,
                            const std::function<void(Step)>& on_step = {},
                            const std::string& region_code = {});
  /// The certificate printer's state, for idle monitoring. Safe to call from any thread.
  Result<printer::PrinterStatus> printer_status() const { return printer_.status(); }
  /// Reports to the home backend that this terminal is alive: printer state and queue depth, no
  /// personal data. Safe to call from any thread.
  Status heartbeat() const;
  /// Settles what a crash left unfinished (see RecoveryReport). Call once at start-up, before
  /// the first citizen.
  Result<RecoveryReport> recover();
  /// Ends a wait for a card from another thread; one that comes before identify() began its wait
  /// still ends it. In force until end_session().
  void cancel();
  /// Forgets the citizen: wipes the card data and deletes rendered documents; lifts a cancel.
  void end_session();

  /// Where the current transaction stands.
  TxState state() const { return state_.state(); }
  /// The current transaction so far (id, timings); valid until the next identify().
  const Outcome& current() const { return outcome_; }

 private:
  template <typename Fn>
  auto run_step(Step step, const std::string& detail_json, Fn&& fn) -> decltype(fn());
  Outcome fail(Step step, const Error& error);
  void forget_citizen();

  Result<printer::JobStatus> print_once(const std::string& serial);
  void settle_in_flight(const std::string& serial);
  struct Route {
    BackendClient& backend;
    const certs::Sm2Key* issuer_key;
  };
  // The backend (and key) for items of `region_code`: a partner's, or the home backend.
  Route route(const std::string& region_code) const;

  TransactionStateMachine state_;
  Journal& journal_;
  PrintLedger& ledger_;
  BackendClient& backend_;
  idcard::Reader& reader_;
  printer::IppPrinter& printer_;
  Options options_;
  std::optional<idcard::IdentityCard> card_;
  // Outcome for an application that could not be sent: queued when the item allows it.
  Outcome not_sent(const ServiceItem& item, const std::string& key, const Applicant& applicant,
                   const BackendClient& backend, const Error& error);
  // Polls while the decision is pending, up to options_.decision_timeout.
  Result<Decision> await_decision(const BackendClient& backend);
  Outcome outcome_;
};

}  // namespace smzc::services
