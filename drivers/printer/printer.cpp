#include "drivers/printer/printer.h"

#include <ostream>

#include <cups/cups.h>

#include "drivers/printer/raster.h"

#include <strings.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <thread>

namespace smzc::printer {
namespace {

struct HttpCloser {
  void operator()(http_t* http) const { httpClose(http); }
};
struct IppDeleter {
  void operator()(ipp_t* ipp) const { ippDelete(ipp); }
};
using Http = std::unique_ptr<http_t, HttpCloser>;
using Ipp = std::unique_ptr<ipp_t, IppDeleter>;

struct Endpoint {
  Http http;
  std::string resource;
};

// Whether `uri` names a CUPS queue (ipp://HOST/printers/NAME) in front of the printer rather than
// the printer itself. A queue hears from its printer only while one of its jobs runs, keeps that
// job's reports once idle, and can end a job "completed" that the printer aborted (its ipp backend
// races the printer's own job state): what it says is weighed in ask_status and wait_for_job.
bool names_cups_queue(const std::string& uri) {
  char scheme[32], userpass[256], host[256], resource[1024];
  int port = 0;
  if (httpSeparateURI(HTTP_URI_CODING_ALL, uri.c_str(), scheme, sizeof scheme, userpass,
                      sizeof userpass, host, sizeof host, &port, resource,
                      sizeof resource) < HTTP_URI_STATUS_OK)
    return false;
  const std::string r = resource;
  return r.rfind("/printers/", 0) == 0 || r.rfind("/classes/", 0) == 0;
}

Result<Endpoint> connect(const std::string& uri) {
  char scheme[32], userpass[256], host[256], resource[1024];
  int port = 0;
  if (httpSeparateURI(HTTP_URI_CODING_ALL, uri.c_str(), scheme, sizeof scheme, userpass,
                      sizeof userpass, host, sizeof host, &port, resource,
                      sizeof resource) < HTTP_URI_STATUS_OK)
    return Error{Completion::kInvalidData, "not a printer URI: " + uri};
  const std::string s = scheme;
  if (s != "ipp" && s != "ipps")
    return Error{Completion::kInvalidData, "unsupported scheme '" + s + "' in " + uri};
  http_encryption_t encryption =
      s == "ipps" ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED;
  Http http(httpConnect2(host, port, nullptr, AF_UNSPEC, encryption, 1, 5000, nullptr));
  if (!http)
    return Error{Completion::kDeviceNotReady,
                 "printer unreachable at " + uri + ": " + cupsLastErrorString()};
  httpSetTimeout(http.get(), 10.0, nullptr, nullptr);
  return Endpoint{std::move(http), resource};
}

struct RemoveFile {
  void operator()(const std::filesystem::path* p) const {
    std::error_code ec;
    std::filesystem::remove(*p, ec);
    delete p;
  }
};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::vector<std::string> strings(ipp_t* response, const char* name) {
  std::vector<std::string> out;
  ipp_attribute_t* attr = ippFindAttribute(response, name, IPP_TAG_ZERO);
  for (int i = 0; attr && i < ippGetCount(attr); ++i) {
    const char* v = ippGetString(attr, i, nullptr);
    if (v && std::string(v) != "none") out.emplace_back(v);
  }
  return out;
}

std::vector<int> integers(ipp_t* response, const char* name) {
  std::vector<int> out;
  ipp_attribute_t* attr = ippFindAttribute(response, name, IPP_TAG_INTEGER);
  for (int i = 0; attr && i < ippGetCount(attr); ++i) out.push_back(ippGetInteger(attr, i));
  return out;
}

// IPP Everywhere's printer-supply: one octetString per supply, "key=value;" pairs (PWG 5100.13
// after the Printer MIB's prtMarkerSuppliesTable), named by printer-supply-description; or, from
// a CUPS queue, the marker-* attributes its backend keeps.
std::vector<Supply> supplies_of(ipp_t* response) {
  std::vector<Supply> out;
  const auto names = strings(response, "printer-supply-description");
  if (ipp_attribute_t* attr = ippFindAttribute(response, "printer-supply", IPP_TAG_STRING)) {
    for (int i = 0; i < ippGetCount(attr) && i < 32; ++i) {
      int length = 0;
      const void* data = ippGetOctetString(attr, i, &length);
      if (!data || length <= 0 || length > 1024) continue;
      std::map<std::string, std::string> field;
      std::string text(static_cast<const char*>(data), static_cast<size_t>(length));
      for (size_t start = 0; start < text.size();) {
        const size_t end = std::min(text.find(';', start), text.size());
        const std::string pair = text.substr(start, end - start);
        if (const size_t eq = pair.find('='); eq != std::string::npos)
          field[pair.substr(0, eq)] = pair.substr(eq + 1);
        start = end + 1;
      }
      const auto number = [&](const char* key) {
        auto it = field.find(key);
        if (it == field.end() || it->second.empty() || it->second.size() > 9) return -1;
        char* rest = nullptr;
        const long v = std::strtol(it->second.c_str(), &rest, 10);
        return *rest == '\0' ? static_cast<int>(v) : -1;
      };
      Supply s;
      s.type = field["type"];
      s.name = static_cast<size_t>(i) < names.size() ? names[static_cast<size_t>(i)] : s.type;
      s.fills_up = field["class"] == "receptacleThatIsFilled";
      const int level = number("level"), capacity = number("maxcapacity");
      if (level >= 0)
        s.level = field["unit"] == "percent" || capacity <= 0
                      ? std::min(level, 100)
                      : std::min(100, static_cast<int>(int64_t{level} * 100 / capacity));
      out.push_back(std::move(s));
    }
    return out;
  }
  const auto types = strings(response, "marker-types");
  const auto marker_names = strings(response, "marker-names");
  const auto levels = integers(response, "marker-levels");
  const auto lows = integers(response, "marker-low-levels");
  for (size_t i = 0; i < marker_names.size() && i < 32; ++i) {
    Supply s;
    s.name = marker_names[i];
    s.type = i < types.size() ? types[i] : "";
    s.fills_up = s.type.find("waste") != std::string::npos;
    s.level = i < levels.size() && levels[i] >= 0 ? std::min(levels[i], 100) : -1;
    if (i < lows.size() && lows[i] >= 0 && lows[i] <= 100) s.low = lows[i];
    out.push_back(std::move(s));
  }
  return out;
}

Error ipp_error(const std::string& what) {
  const ipp_status_t status = cupsLastError();
  const bool unreachable = status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE ||
                           status == IPP_STATUS_ERROR_INTERNAL || status == IPP_STATUS_ERROR_DEVICE;
  return Error{unreachable ? Completion::kDeviceNotReady : Completion::kHardwareError,
               what + ": " + cupsLastErrorString()};
}

Ipp new_request(ipp_op_t op, const std::string& uri, const std::string& user) {
  Ipp request(ippNewRequest(op));
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri.c_str());
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr,
               user.c_str());
  return request;
}

}  // namespace

IppPrinter::IppPrinter(std::string uri, std::string id, std::string user)
    : Printer(std::move(id)),
      uri_(std::move(uri)),
      user_(std::move(user)),
      cups_queue_(names_cups_queue(uri_)) {}

std::vector<std::string> IppPrinter::capabilities() const {
  return {"ipp", "pdf", "pwg-raster", "job-tracking", "cancel"};
}

void IppPrinter::poll(Deadline) {
  (void)query();
}

Status IppPrinter::self_test(Deadline, std::stop_token) {
  auto st = query();
  if (!st) return st.error();
  if (!st->can_print())
    return Error{Completion::kDeviceNotReady, "printer not ready: " + st->technician_message()};
  return ok_status();
}

Result<PrinterStatus> IppPrinter::query() {
  auto st = ask_status();
  if (!st) {
    publish({DeviceState::kOffline, MediaState::kUnknown, false, st.code(), st.error().message});
  } else {
    publish({st->state, st->media, st->cover_open,
             st->can_print() ? Completion::kSuccess : Completion::kDeviceNotReady,
             st->can_print() ? "" : st->technician_message()});
    std::lock_guard lock(supplies_mutex_);
    supplies_ = st->supplies;
  }
  return st;
}

std::vector<Supply> IppPrinter::supplies() const {
  std::lock_guard lock(supplies_mutex_);
  return supplies_;
}

Result<PrinterStatus> IppPrinter::ask_status() const {
  auto endpoint = connect(uri_);
  if (!endpoint) return endpoint.error();
  Ipp request = new_request(IPP_OP_GET_PRINTER_ATTRIBUTES, uri_, user_);
  static const char* const kWanted[] = {"printer-state",
                                        "printer-state-reasons",
                                        "printer-state-message",
                                        "document-format-supported",
                                        "media-ready",
                                        "pwg-raster-document-resolution-supported",
                                        "pwg-raster-document-type-supported",
                                        "printer-supply",
                                        "printer-supply-description",
                                        "marker-names",
                                        "marker-types",
                                        "marker-levels",
                                        "marker-low-levels"};
  ippAddStrings(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                std::size(kWanted), nullptr, kWanted);
  Ipp response(cupsDoRequest(endpoint->http.get(), request.release(), endpoint->resource.c_str()));
  if (!response || cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE)
    return ipp_error("Get-Printer-Attributes failed");
  PrinterStatus st;
  ipp_attribute_t* state = ippFindAttribute(response.get(), "printer-state", IPP_TAG_ENUM);
  st.ipp_state = state ? ippEnumString("printer-state", ippGetInteger(state, 0)) : "unknown";
  for (const auto& r : strings(response.get(), "printer-state-reasons"))
    st.reasons.push_back(understand_reason(r));
  st.formats = strings(response.get(), "document-format-supported");
  st.media_ready = strings(response.get(), "media-ready");
  st.raster_types = strings(response.get(), "pwg-raster-document-type-supported");
  if (ipp_attribute_t* res = ippFindAttribute(
          response.get(), "pwg-raster-document-resolution-supported", IPP_TAG_RESOLUTION)) {
    for (int i = 0; i < ippGetCount(res); ++i) {
      int yres = 0;
      ipp_res_t units;
      st.raster_dpi.push_back(ippGetResolution(res, i, &yres, &units));
    }
  }
  if (auto msg = strings(response.get(), "printer-state-message"); !msg.empty())
    st.message = msg[0];
  st.supplies = supplies_of(response.get());
  // An idle queue keeps its last job's reports (media-jam-report) after the fault is cleared;
  // believed, a terminal behind a queue would never print again after one jam. They are shown as
  // that job's history but neither stop printing nor say what the paper is now: a job sent to a
  // printer that really is jammed or empty ends with that reason, and the print fault policy and
  // wait_for_job deal with it.
  std::vector<Reason> current;
  for (auto& r : st.reasons) {
    if (cups_queue_ && st.ipp_state == "idle" && r.severity == Severity::kReport) {
      r.from_last_job = r.stops_printing;
      r.stops_printing = false;
    } else {
      current.push_back(r);
    }
  }
  st.media = media_state(current);
  st.cover_open = cover_open(current);
  const Reason* blocking = blocking_reason(st.reasons);
  if (st.ipp_state == "stopped" || blocking) {
    st.state = blocking && (blocking->keyword == "offline" || blocking->keyword == "shutdown")
                   ? DeviceState::kOffline
                   : DeviceState::kHardwareError;
  } else {
    st.state = st.ipp_state == "processing" ? DeviceState::kBusy : DeviceState::kOnline;
  }
  return st;
}

Result<int> IppPrinter::submit(const std::filesystem::path& pdf, const std::string& job_name,
                               const PrintOptions& options, const PrinterStatus* known) {
  if (!std::filesystem::is_regular_file(pdf))
    return Error{Completion::kInvalidData, "no such document: " + pdf.string()};
  if (options.copies < 1 || options.copies > 99)
    return Error{Completion::kInvalidData, "copies must be 1 to 99"};
  auto st = known ? Result<PrinterStatus>(*known) : query();
  if (!st) return st.error();
  auto takes = [&st](const char* format) {
    return std::find(st->formats.begin(), st->formats.end(), format) != st->formats.end();
  };
  std::filesystem::path document = pdf;
  std::string format = "application/pdf";
  std::unique_ptr<const std::filesystem::path, RemoveFile> raster;
  if (!takes("application/pdf")) {
    if (!takes("image/pwg-raster"))
      return Error{
          Completion::kUnsupported,
          "the printer takes neither PDF nor PWG raster (it takes: " + join(st->formats) + ")"};
    // Rendered beside the PDF, so it is wiped with the session's other files.
    document = std::filesystem::path(pdf).replace_extension(".pwg");
    const bool has_300 =
        std::find(st->raster_dpi.begin(), st->raster_dpi.end(), 300) != st->raster_dpi.end();
    const bool grey = std::find(st->raster_types.begin(), st->raster_types.end(), "sgray_8") !=
                      st->raster_types.end();
    auto pages =
        pdf_to_pwg_raster(pdf, document,
                          {.media = options.media,
                           .dpi = has_300 || st->raster_dpi.empty() ? 300 : st->raster_dpi.front(),
                           .one_bit = !grey});
    if (!pages) return pages.error();
    raster.reset(new std::filesystem::path(document));
    format = "image/pwg-raster";
  }
  auto endpoint = connect(uri_);
  if (!endpoint) return endpoint.error();
  Ipp request = new_request(IPP_OP_PRINT_JOB, uri_, user_);
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nullptr,
               job_name.c_str());
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nullptr,
               format.c_str());
  ippAddInteger(request.get(), IPP_TAG_JOB, IPP_TAG_INTEGER, "copies", options.copies);
  ippAddString(request.get(), IPP_TAG_JOB, IPP_TAG_KEYWORD, "media", nullptr,
               options.media.c_str());
  ippAddInteger(request.get(), IPP_TAG_JOB, IPP_TAG_ENUM, "orientation-requested",
                options.landscape ? IPP_ORIENT_LANDSCAPE : IPP_ORIENT_PORTRAIT);
  Ipp response(cupsDoFileRequest(endpoint->http.get(), request.release(),
                                 endpoint->resource.c_str(), document.c_str()));
  if (!response)  // sent, but no answer: the printer may or may not have taken the job
    return Error{Completion::kTimeout,
                 std::string("no answer to Print-Job: ") + cupsLastErrorString()};
  if (cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE) return ipp_error("Print-Job refused");
  ipp_attribute_t* id = ippFindAttribute(response.get(), "job-id", IPP_TAG_INTEGER);
  // Accepted but unnamed: a job may exist, so this is as ambiguous as a lost answer.
  if (!id) return Error{Completion::kTimeout, "the printer accepted the job but gave no job-id"};
  return ippGetInteger(id, 0);
}

Result<JobStatus> IppPrinter::job_status(int job_id) {
  auto endpoint = connect(uri_);
  if (!endpoint) return endpoint.error();
  Ipp request = new_request(IPP_OP_GET_JOB_ATTRIBUTES, uri_, user_);
  ippAddInteger(request.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  static const char* const kWanted[] = {"job-state", "job-state-reasons"};
  ippAddStrings(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                std::size(kWanted), nullptr, kWanted);
  Ipp response(cupsDoRequest(endpoint->http.get(), request.release(), endpoint->resource.c_str()));
  if (!response || cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE)
    return ipp_error("Get-Job-Attributes failed");
  JobStatus js;
  js.job_id = job_id;
  ipp_attribute_t* state = ippFindAttribute(response.get(), "job-state", IPP_TAG_ENUM);
  js.state = state ? job_state_from_string(ippEnumString("job-state", ippGetInteger(state, 0)))
                   : JobState::kUnknown;
  js.reasons = strings(response.get(), "job-state-reasons");
  return js;
}

Result<std::vector<JobStatus>> IppPrinter::jobs_named(const std::string& name) {
  auto endpoint = connect(uri_);
  if (!endpoint) return endpoint.error();
  Ipp request = new_request(IPP_OP_GET_JOBS, uri_, user_);
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", nullptr, "all");
  static const char* const kWanted[] = {"job-id", "job-name", "job-state", "job-state-reasons"};
  ippAddStrings(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                std::size(kWanted), nullptr, kWanted);
  Ipp response(cupsDoRequest(endpoint->http.get(), request.release(), endpoint->resource.c_str()));
  if (!response || cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE)
    return ipp_error("Get-Jobs failed");
  std::vector<JobStatus> jobs;
  JobStatus job;
  std::string job_name;
  auto flush = [&] {
    if (job.job_id > 0 && strcasecmp(job_name.c_str(), name.c_str()) == 0) jobs.push_back(job);
    job = JobStatus{};
    job_name.clear();
  };
  for (ipp_attribute_t* a = ippFirstAttribute(response.get()); a;
       a = ippNextAttribute(response.get())) {
    if (!ippGetName(a)) {  // the separator between two jobs
      flush();
      continue;
    }
    if (ippGetGroupTag(a) != IPP_TAG_JOB) continue;
    const std::string attr = ippGetName(a);
    if (attr == "job-id") job.job_id = ippGetInteger(a, 0);
    if (attr == "job-name") {
      const char* v = ippGetString(a, 0, nullptr);
      job_name = v ? v : "";
    }
    if (attr == "job-state")
      job.state = job_state_from_string(ippEnumString("job-state", ippGetInteger(a, 0)));
    if (attr == "job-state-reasons")
      for (int i = 0; i < ippGetCount(a); ++i)
        if (const char* v = ippGetString(a, i, nullptr)) job.reasons.emplace_back(v);
  }
  flush();
  std::sort(jobs.begin(), jobs.end(),
            [](const JobStatus& x, const JobStatus& y) { return x.job_id < y.job_id; });
  return jobs;
}

Status IppPrinter::cancel_job(int job_id) {
  auto endpoint = connect(uri_);
  if (!endpoint) return endpoint.error();
  Ipp request = new_request(IPP_OP_CANCEL_JOB, uri_, user_);
  ippAddInteger(request.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  Ipp response(cupsDoRequest(endpoint->http.get(), request.release(), endpoint->resource.c_str()));
  if (!response || cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE)
    return ipp_error("Cancel-Job failed");
  return ok_status();
}

Status IppPrinter::purge_job(int job_id) {
  auto endpoint = connect(uri_);
  if (!endpoint) return endpoint.error();
  // purge-job is CUPS's operation attribute: Cancel-Job on a finished job then deletes its files
  // and its history instead of refusing.
  Ipp request = new_request(IPP_OP_CANCEL_JOB, uri_, user_);
  ippAddInteger(request.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  ippAddBoolean(request.get(), IPP_TAG_OPERATION, "purge-job", 1);
  Ipp response(cupsDoRequest(endpoint->http.get(), request.release(), endpoint->resource.c_str()));
  if (!response || cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE)
    return ipp_error("Cancel-Job (purge-job) failed");
  return ok_status();
}

Result<JobStatus> IppPrinter::wait_for_job(int job_id, Deadline deadline, FaultPolicy policy,
                                           std::stop_token stop) {
  const auto stopped = [job_id] {
    return Error{Completion::kCanceled, "stopped waiting for job " + std::to_string(job_id)};
  };
  auto interval = std::chrono::milliseconds(10);
  int failures = 0;
  for (;;) {
    auto js = job_status(job_id);
    // One lost poll is not a lost printer: a few in a row are.
    if (!js && ++failures < 3 && std::chrono::steady_clock::now() + interval < deadline) {
      if (!sleep_until(after(interval), stop)) return stopped();
      continue;
    }
    if (js && js->state == JobState::kCompleted && cups_queue_) {
      // The queue's word alone is not enough: a queue that ends a job "completed" while it holds
      // a fault its printer reported during that job (a clean job clears them) may have been told
      // of an abort too late. The page may or may not have come out.
      auto printer = query();
      if (!printer) return printer.error();
      for (const auto& r : printer->reasons)
        if (r.stops_printing || r.from_last_job)
          return Error{Completion::kHardwareError,
                       "the queue ended job " + std::to_string(job_id) +
                           " completed, but its printer reported " + r.keyword +
                           " meanwhile: whether the page came out is unknown"};
    }
    if (js && js->final() && js->state != JobState::kCompleted && policy != FaultPolicy::kWait) {
      // A job the printer ended badly does not say why; the printer's state does (a jam that
      // aborted it): name the cause for the technician and the citizen.
      if (auto printer = query(); printer)
        for (const auto& r : printer->reasons)
          if (r.stops_printing || r.from_last_job) js->printer_reasons.push_back(r);
    }
    if (!js || js->final()) return js;
    failures = 0;
    // A job does not say the paper jammed; the printer does.
    auto printer = policy == FaultPolicy::kWait ? Result<PrinterStatus>(PrinterStatus{}) : query();
    if (policy != FaultPolicy::kWait && printer && !printer->can_print()) {
      for (const auto& r : printer->reasons)
        if (r.stops_printing) js->printer_reasons.push_back(r);
      if (policy == FaultPolicy::kHold) return js;
      // The printer may have ended the job itself meanwhile (a jam that aborts it): then the
      // cancel is refused, and the job's own final state is the answer.
      const Status canceled = cancel_job(job_id);
      auto after = job_status(job_id);
      if (!after) return after.error();
      if (!canceled && !after->final()) return canceled.error();
      after->printer_reasons = js->printer_reasons;
      return after;
    }
    if (std::chrono::steady_clock::now() + interval > deadline)
      return Error{Completion::kTimeout,
                   "job " + std::to_string(job_id) + " still " + to_string(js->state)};
    if (!sleep_until(after(interval), stop)) return stopped();
    interval = std::min(interval * 2, std::chrono::milliseconds(200));
  }
}

std::string PrinterStatus::blocking_keyword() const {
  const Reason* r = blocking_reason(reasons);
  return r ? r->keyword : std::string();
}

std::string JobStatus::problems() const {
  std::string out;
  for (const auto& r : printer_reasons) out += (out.empty() ? "" : ", ") + r.keyword;
  for (const auto& r : reasons)
    if (r != "none" && r != "job-completed-successfully") out += (out.empty() ? "" : ", ") + r;
  return out;
}

std::string PrinterStatus::technician_message() const {
  std::string out = ipp_state;
  for (const auto& r : reasons) out += std::string("; ") + r.keyword + ": " + r.technician_en;
  if (!message.empty()) out += " (" + message + ")";
  return out;
}

namespace {
constexpr JobState kJobStates[] = {JobState::kPending,    JobState::kPendingHeld,
                                   JobState::kProcessing, JobState::kProcessingStopped,
                                   JobState::kCanceled,   JobState::kAborted,
                                   JobState::kCompleted};
}  // namespace

const char* to_string(JobState state) {
  switch (state) {
    case JobState::kUnknown:
      return "unknown";
    case JobState::kPending:
      return "pending";
    case JobState::kPendingHeld:
      return "pending-held";
    case JobState::kProcessing:
      return "processing";
    case JobState::kProcessingStopped:
      return "processing-stopped";
    case JobState::kCanceled:
      return "canceled";
    case JobState::kAborted:
      return "aborted";
    case JobState::kCompleted:
      return "completed";
  }
  return "unknown";
}

JobState job_state_from_string(std::string_view keyword) {
  return from_string(keyword, kJobStates).value_or(JobState::kUnknown);
}

std::ostream& operator<<(std::ostream& out, JobState state) {
  return out << to_string(state);
}

}  // namespace smzc::printer
