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

#include <iosfwd>
#include <mutex>
#include <stop_token>

#include "base/clock.h"
#include "drivers/camera/analysis.h"
#include "drivers/camera/camera.h"
#include "drivers/idcard/card_reader.h"
#include "drivers/printer/printer.h"
#include "drivers/scanner/scanner.h"
#include "face/check.h"
#include "face/face.h"
#include "face/plugin.h"
#include "services/backend_client.h"
#include "services/forward_queue.h"
#include "services/journal.h"
#include "services/print_ledger.h"
#include "services/transaction_state.h"

namespace smzc::services {

enum class Step {
  kReadCard,
  kReadCode,  ///< an e-ID QR code from the face camera, instead of a card
  kIdentify,
  kFaceCheck,  ///< 人证核验: the person at the camera is the identified citizen
  kCapture,    ///< a paper material scanned or photographed on the document camera
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

/// How a transaction ended (one spelling each; strings only at the JSON and log edges).
enum class OutcomeStatus {
  kPrinted,     ///< the certificate came out
  kSubmitted,   ///< a manual item was accepted; its receipt printed (or say why not)
  kRejected,    ///< the rules said no; `reasons` says why, in the backend's words
  kIncomplete,  ///< the form or materials need correcting (`problems`): fix and send again
  kQueued,      ///< kept on the terminal until the backend is back
  kPending,     ///< the decision comes later (SMS)
  kClosed,      ///< outside the item's hours; nothing started
  kFailed,
  kCanceled,  ///< the citizen left
  kTimedOut,  ///< no card was laid in time
};
const char* to_string(OutcomeStatus status);
std::ostream& operator<<(std::ostream& out, OutcomeStatus status);

/// What the citizen is to be told, as a code: drivers and services never word it; the UI turns
/// it into the citizen's language (the values it needs are in the Outcome: application_id,
/// transaction_id, hours, printer_reason).
enum class Notice {
  kNone,
  kCardUnreadable,          ///< lay the card again
  kReaderUnavailable,       ///< the card reader is not working
  kIdentityRefused,         ///< the identity check said no: see staff
  kIdentityUnavailable,     ///< the identity check could not be made now: try later
  kPlatformUnreachable,     ///< the platform could not be reached: nothing done, try later
  kPlatformError,           ///< the platform answered wrongly: nothing done
  kNotSentOffline,          ///< the network is down: the application was not sent
  kQueuedOffline,           ///< kept sealed on the terminal (transaction_id); sent when back
  kPendingBySms,            ///< sent (application_id); the decision comes by SMS
  kClosed,                  ///< outside the item's hours (hours)
  kAppliedNoDocument,       ///< the application exists (application_id): do not apply again
  kCertificateNotVerified,  ///< the document's signature failed: not printed
  kAlreadyPrinted,          ///< printed before, or being handled: a reprint is staff's
  kPrinterUnreachable,      ///< not printed: try later
  kPrinterNotReady,         ///< not printed: the printer's reason (printer_reason), see staff
  kPrintFailed,             ///< not printed: try later
  kPrinterLost,             ///< contact lost mid-job, or a queue that cannot vouch for its
                            ///< completion: staff must check whether it printed
  kPrintStopped,            ///< the printer stopped (printer_reason): not printed, retry after
  kPrintHeld,               ///< the printer paused: it prints once staff clear it
  kPrintIncomplete,         ///< not printed: see staff
  kReceiptNotPrinted,       ///< submitted (application_id) but the receipt did not print
  kDocumentNotPrinted,      ///< the document could not be made: see staff
  kCameraUnavailable,       ///< the camera is not working: use the card, or see staff
  kFaceCheckFailed,         ///< no live, clear face in time: try again, facing the camera
  kFaceNotMatched,          ///< the face is not the identified citizen's: see staff
  kCodeUnreadable,          ///< no e-ID code was read: refresh it on the phone and try again
};
const char* to_string(Notice notice);

/// What the screens may show of the citizen: masked, never the full data.
struct Citizen {
  std::string masked_name;  ///< the Chinese name, or the English one when the card has none
  std::string masked_id_number;
  CardType card_type = CardType::kResident;  ///< which document identified them
};

/// What a face check concluded, for the journal and the demo's summary (never the citizen's
/// screen: no score is ever shown there).
struct FaceCheckReport {
  std::string decision;  ///< matched | not-matched | not-live | unavailable
  FacePolicy policy = FacePolicy::kBoth;
  /// The terminal's comparison with the chip photo: "matched", "not-matched", or why none was
  /// made ("no-decoder", "no-photo", "unusable-photo").
  std::string local;
  std::optional<double> local_score, local_threshold;
  /// The platform's answer (IdentityCheck::face), or "not-asked".
  std::string platform = "not-asked";
  std::optional<double> platform_score, platform_threshold;
  face::Liveness liveness;  ///< of the last try
  /// A liveness plug-in's verdict on the last try ("live", "attack"), or "not-asked".
  std::string liveness_plugin = "not-asked";
  std::string matcher;  ///< who compared on the terminal: "built-in" or the plug-in's name
  int attempts = 0;     ///< tries made (at most 3)
  std::string models;   ///< the models' version
  /// The journal's record: all of the above, nothing of the face itself.
  std::string to_json() const;
};

/// How one transaction ended.
struct Outcome {
  OutcomeStatus status = OutcomeStatus::kFailed;
  std::string transaction_id;
  std::string item_code;
  std::string application_id;
  std::string region_code;  ///< the region whose backend handled it
  std::string delivery;     ///< submitted (manual) items: how the result comes, sms | mail
  std::string certificate_serial;
  int job_id = 0;
  printer::JobState job_state = printer::JobState::kUnknown;
  std::optional<Step> failed_step;
  std::string reason;                ///< why it failed, for the technician's log (English)
  Notice notice = Notice::kNone;     ///< what the citizen is told when it did not print
  std::string printer_reason;        ///< the printer's state reason behind a print notice
  std::string hours;                 ///< closed: the item's opening hours
  std::vector<std::string> reasons;  ///< rejected: why, in the backend's own words
  std::vector<Problem> problems;     ///< incomplete: what to correct
  std::vector<std::pair<Step, double>> timings_ms;
  std::filesystem::path document;  ///< the PDF that was sent to the printer
  std::optional<FaceCheckReport> face_check;
};

/// The backend that owns a partner region's items, and the key its documents are signed with.
struct RegionBackend {
  BackendClient* client = nullptr;
  const certs::Sm2Key* issuer_key = nullptr;  ///< signs its catalogue and keyring
  std::filesystem::path catalogue_cache;
  std::filesystem::path keyring_cache;  ///< its issuing keys (GET /v1/keyring), last good copy
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

class DeviceManager;

/// One terminal's engine. The devices, journal and backend client are owned by the caller and
/// must outlive the engine. Calls come from one thread at a time (the UI's worker); cancel(),
/// drain_queue() and device_problems() may come from any thread.
///
/// A citizen's session owns a stop source: cancel() (the citizen tapped "back", the screen timed
/// out, a device failed) ends every wait of the session at once — the card, the backend, the
/// print job — and stays in force until end_session(). The one request not cut short is the
/// application itself: once it is on its way its answer is awaited (within the client's
/// timeout), so the terminal always knows whether the application exists.
class TransactionEngine {
 public:
  struct Options {
    std::filesystem::path work_dir = "/tmp/smzc";  ///< rendered PDFs; wiped at session end
    std::chrono::milliseconds card_timeout{60000};
    std::chrono::milliseconds print_timeout{60000};
    printer::FaultPolicy print_fault_policy = printer::FaultPolicy::kCancel;
    printer::PrintOptions print_options;
    /// Read on every use (card expiry, opening hours); none: the system clock.
    const Clock* clock = nullptr;
    /// The issuing backend's public key; certificates it did not sign are never printed.
    const certs::Sm2Key* certificate_key = nullptr;
    /// The home backend's last good catalogue; empty: no cache.
    std::filesystem::path catalogue_cache;
    /// The home backend's issuing keys (GET /v1/keyring), last good copy; empty: not kept.
    std::filesystem::path keyring_cache;
    /// Backends of partner regions, by region code: their items are routed to them.
    std::map<std::string, RegionBackend> partners;
    SiteProfile site;
    /// Where store-and-forward items wait while the backend is unreachable; none: they fail.
    ForwardQueue* queue = nullptr;
    /// How long an application may stay "pending" before the citizen is told the result comes
    /// later.
    std::chrono::milliseconds decision_timeout{5000};
    /// The face camera (人证核验, e-ID codes) and the document camera; none: items needing them
    /// are not offered. A scanner, when present, is preferred for paper materials.
    camera::Camera* face_camera = nullptr;
    camera::Camera* document_camera = nullptr;
    scanner::Scanner* scanner = nullptr;
    /// How long a face check, an e-ID code or a page capture may take.
    std::chrono::milliseconds camera_timeout{30000};
    /// Resolution of captured pages.
    int capture_dpi = 150;
    /// 人证核验 (config.h's Config::Face).
    struct Face {
      FacePolicy policy = FacePolicy::kBoth;
      std::filesystem::path models;  ///< empty: face::default_models_dir()
      double threshold = 0;          ///< 0: face::kDefaultThreshold
      int challenge_actions = 2;
      /// Decodes the card's chip photo; none: the local comparison is left to the platform.
      idcard::PhotoDecoder* photo_decoder = nullptr;
      /// A certified engine's plug-ins (face/plugin.h): the matcher replaces the terminal's own
      /// comparison with the chip photo; the liveness check is asked after the challenge.
      face::Plugin* matcher = nullptr;
      face::Plugin* liveness = nullptr;
      std::optional<unsigned> challenge_seed;  ///< tests script the challenge
    } face;
  };

  /// What the camera shows while a face check, a code or a page capture runs, with the
  /// instruction of the moment; called on the engine's thread, for each frame looked at.
  using Preview = std::function<void(const cv::Mat& frame, camera::Advice advice)>;

  /// A paper material as captured, for the citizen to accept or retake.
  struct CapturedMaterial {
    std::string bytes;   ///< PNG for one page, PDF for several
    std::string format;  ///< "png" | "pdf"
    cv::Mat first_page;  ///< for the screen
    int pages = 0;
    /// Overwrites the pixels and bytes (the session ended, or the citizen retakes).
    void wipe();
  };

  TransactionEngine(Journal& journal, PrintLedger& ledger, BackendClient& backend,
                    idcard::CardReader& reader, printer::Printer& printer, Options options);

  /// Waits for a card, reads it and checks it with the backend (with `face_image`, JPEG or PNG
  /// bytes, when the terminal took one). Starts a new transaction. No card in time: timeout.
  Result<Citizen> identify(const std::string& face_image = {});
  /// Reads a certificate's QR code shown to the face camera and checks it against the issuing
  /// keys this terminal trusts (its backends' keyrings; the cached copies when offline): the
  /// citizen's, a bank's or a clerk's question "is this paper genuine?". No transaction, nothing
  /// of the code is kept; cancel() ends the wait for a code.
  Result<certs::Verification> check_certificate_code();
  /// The issuing keys of the home backend and every partner region, merged.
  Result<certs::Keyring> keyring();
  /// Identifies the citizen by the e-ID code (电子身份码) their phone shows to the face camera
  /// instead of a card: reads the code, and the backend tells who it stands for. Starts a new
  /// transaction.
  Result<Citizen> identify_by_code();
  /// Captures a paper material for the identified citizen: from the scanner (its feeder when it
  /// has pages), else the document camera (the page found, flattened and judged). The citizen
  /// accepts it into ApplicationInput::scans or captures again.
  Result<CapturedMaterial> capture(const Material& material);
  /// Who sees the camera's frames (the UI's live preview); set before a citizen's session.
  void set_preview(Preview preview) { preview_ = std::move(preview); }
  /// Whether the terminal has a face camera (e-ID codes, face checks).
  bool has_face_camera() const { return options_.face_camera != nullptr; }
  Result<Catalogue> catalogue();
  /// Whether `item` may be applied for now (its opening hours).
  bool open_now(const ServiceItem& item) const;
  /// The devices `item` needs that cannot serve now (absent, offline, out of paper...), by kind
  /// ("idcard", "printer"); empty when it can be served. Reads the devices' last published
  /// status; safe from any thread.
  std::vector<DeviceKind> device_problems(const ServiceItem& item) const;
  /// `item`'s form for the identified citizen, prefilled from the card.
  std::vector<FilledField> form_for(const ServiceItem& item) const;
  /// What is wrong with `input` for `item` as far as the terminal can tell without the backend:
  /// the form (prefilled from the card, then as typed) and the scans that required materials
  /// lack. Empty: the citizen may confirm it (process() still looks e-licences up).
  std::vector<Problem> check_input(const ServiceItem& item, const ApplicationInput& input) const;
  /// Applies for `item` for the identified citizen and, once approved, prints its certificate.
  /// `on_step` is called as each step begins. An incomplete form or missing material leaves the
  /// citizen identified, so the application can be sent again with `input` corrected.
  Outcome process(const ServiceItem& item, const ApplicationInput& input,
                  const std::function<void(Step)>& on_step = {});
  Outcome process(const ServiceItem& item, const std::function<void(Step)>& on_step = {}) {
    return process(item, ApplicationInput{}, on_step);
  }
  /// 办理进度: the identified citizen's applications, made at any terminal, from the home
  /// backend and every partner region's (each marked with its region), newest first. A partner
  /// that cannot be reached is left out, and the list says nothing of it.
  ///
  /// A citizen's records are the platform's to serve only to the person it has verified at this
  /// terminal: without a citizen session from the home backend, the face check runs first (its
  /// steps reported through `on_step`), and a partner region's applications are listed only when
  /// that region granted a session too (a face check for one of its items).
  Result<std::vector<ApplicationSummary>> my_applications(
      const std::function<void(Step)>& on_step = {});
  /// Where the application numbered `application_id` stands, by its number alone (no citizen
  /// need be identified): asked of the home backend, then each partner region's; found at none:
  /// the home backend's refusal (HTTP 404 no-such-application).
  Result<ApplicationSummary> application_progress(const std::string& application_id);
  /// Collects the certificate of the identified citizen's `application` (as my_applications()
  /// listed it: approved since it was made, here or at another terminal) and prints it, as
  /// print_certificate() does. Only its applicant may; one already printed is refused. An item
  /// with a face check (or one the catalogue no longer has) is collected only after the face
  /// check passes.
  Outcome collect_certificate(const ApplicationSummary& application,
                              const std::function<void(Step)>& on_step = {});
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
  /// Where the terminal stands and what it offers there (the configuration's `site`).
  const SiteProfile& site() const { return options_.site; }
  /// The devices the engine uses (their status and events).
  idcard::CardReader& reader() const { return reader_; }
  printer::Printer& printer() const { return printer_; }
  /// Settles what a crash left unfinished (see RecoveryReport). Call once at start-up, before
  /// the first citizen.
  Result<RecoveryReport> recover();
  /// Ends the session's waits from any thread (see the class comment); one that comes before a
  /// wait began still ends it. In force until end_session().
  void cancel();
  /// Forgets the citizen: wipes the card data and deletes rendered documents; a new session
  /// (and stop source) begins.
  void end_session();

  /// Where the current transaction stands.
  TxState state() const { return state_.state(); }
  /// The current transaction so far (id, timings); valid until the next identify().
  const Outcome& current() const { return outcome_; }

 private:
  Result<std::string> read_code(camera::Camera* cam, std::string_view prefix);
  // The backend (and key) for items of `region_code`: a partner's, or the home backend, bound to
  // the session's stop token.
  struct Route {
    BackendClient backend;
    const certs::Sm2Key* issuer_key;
    std::filesystem::path keyring_cache;
    std::vector<std::string> regions;  ///< a partner vouches only for its own region's keys
  };
  // What the steps of one application share.
  struct Application {
    const ServiceItem& item;
    const ApplicationInput& input;
    Applicant applicant;
    Route owner;
    std::string key;  // the idempotency key
    std::vector<Problem> problems;
    std::optional<Decision> decision;
    const std::function<void(Step)>& on_step;
  };
  // The steps an item goes through, in order (print stands for the document's fetch, verify,
  // render and print).
  static std::vector<Step> steps_for(const ServiceItem& item);
  // One step of an application; an Outcome when the transaction ends there.
  std::optional<Outcome> run(Step step, Application& app);
  // The start and end every identification shares (card or e-ID code): a new transaction; then
  // the identity check's answer settles whether a citizen is identified.
  Status begin_identification();
  Result<Citizen> conclude_identification(Result<IdentityCheck> verified,
                                          const std::stop_token& stop, const char* how);
  // A check the backend answered but did not verify becomes a refusal with its reasons.
  static Result<IdentityCheck> require_verified(Result<IdentityCheck> check,
                                                const std::string& refusal);
  std::optional<Outcome> face_step(Application& app);
  // One try of the face check: the live check, then the comparisons the policy names.
  Result<IdentityCheck> face_attempt(face::Pipeline& pipeline, Application& app,
                                     FaceCheckReport& report);
  static constexpr int kFaceAttempts = 3;
  // The face models, loaded on first use on the engine's thread.
  Result<face::Pipeline*> face_pipeline();
  // The terminal's comparison of `live` with the card's chip photo (into `report`); an error
  // only when the comparison could not be made for a reason the policy cannot pass over.
  void compare_with_chip(face::Pipeline& pipeline, const face::LiveCheck& live,
                         FaceCheckReport& report);
  std::optional<Outcome> form_step(Application& app);
  std::optional<Outcome> materials_step(Application& app);
  std::optional<Outcome> apply_step(Application& app);
  std::optional<Outcome> approve_step(Application& app);
  std::optional<Outcome> print_step(Application& app);

  template <typename Fn>
  auto run_step(Step step, const std::string& detail_json, Fn&& fn) -> decltype(fn());
  Outcome fail(Step step, const Error& error);
  // Moves the state machine; a refused move is a sequence error that fails the transaction.
  std::optional<Outcome> enter(TxState to, Step step);
  Outcome incomplete(std::vector<Problem> problems);
  void forget_citizen();
  std::stop_token session_token() const;
  const Clock& clock() const { return options_.clock ? *options_.clock : system_clock(); }

  // Frames from `camera`, each shown in the preview with what `look` advises, until `look` says
  // done, the camera timeout, or the session stops.
  Status watch(camera::Camera& camera,
               const std::function<std::optional<Status>(const cv::Mat&, camera::Advice&)>& look);
  Result<printer::JobStatus> print_once(const std::string& serial);
  void settle_in_flight(const std::string& serial);
  void purge_finished_job(int job_id);
  Route route(const std::string& region_code) const;
  // Outcome for an application that could not be sent: queued when the item allows it.
  Outcome not_sent(const Application& app, const Error& error);
  // Polls while the decision is pending, up to options_.decision_timeout.
  Result<Decision> await_decision(const BackendClient& backend);

  TransactionStateMachine state_;
  Journal& journal_;
  PrintLedger& ledger_;
  BackendClient& backend_;
  idcard::CardReader& reader_;
  printer::Printer& printer_;
  Options options_;
  std::optional<IdentityCard> card_;
  Preview preview_;
  Outcome outcome_;
  std::unique_ptr<face::Pipeline> face_pipeline_;
  // The citizen sessions the platforms granted the citizen at the screen, by region ("" the home
  // backend), and those of citizens who left, ended by drain_queue() while the terminal is idle.
  std::map<std::string, std::string> citizen_sessions_;
  mutable std::mutex ended_sessions_mutex_;
  mutable std::vector<std::pair<std::string, std::string>> ended_sessions_;  // region, token
  // Whose session a backend's answer is: "" for the home backend, else the partner's region.
  std::string session_key(const std::string& region_code) const;
  // The face check that proves presence to `region_code`'s platform (and earns its session);
  // an Outcome when it refused.
  std::optional<Outcome> verify_presence(const std::string& region_code,
                                         const std::function<void(Step)>& on_step);
  mutable std::mutex session_mutex_;  // guards session_
  std::stop_source session_;
};

}  // namespace smzc::services
