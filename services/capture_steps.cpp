// The engine's steps that use the cameras and the scanner: identification by e-ID code, the face
// check (人证核验) and the capture of paper materials. Frames and pages stay in memory; what is
// journaled says what happened, never what was seen.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "base/privacy.h"
#include "certs/verify_code.h"
#include "services/run_step.h"
#include "services/transaction_engine.h"

namespace smzc::services {

using nlohmann::json;

namespace {

constexpr std::string_view kEidPrefix = "SMZCEID1.";

void wipe_mat(cv::Mat& m) {
  if (!m.empty()) m.setTo(cv::Scalar::all(0));
  m.release();
}

// A camera started for one step and stopped (its queued frames dropped) when the step ends.
class Streaming {
 public:
  explicit Streaming(camera::Camera& c) : camera_(c), started_(c.start()) {}
  ~Streaming() {
    if (started_) camera_.stop();
  }
  const Status& started() const { return started_; }

 private:
  camera::Camera& camera_;
  Status started_;
};

}  // namespace

void TransactionEngine::CapturedMaterial::wipe() {
  std::fill(bytes.begin(), bytes.end(), '\0');
  bytes.clear();
  wipe_mat(first_page);
  pages = 0;
}

Status TransactionEngine::watch(
    camera::Camera& cam,
    const std::function<std::optional<Status>(const cv::Mat&, camera::Advice&)>& look) {
  Streaming streaming(cam);
  if (!streaming.started()) return streaming.started();
  const Deadline deadline = after(options_.camera_timeout);
  const std::stop_token stop = session_token();
  for (;;) {
    auto frame = cam.next_frame(deadline, stop);
    if (!frame) return frame.error();
    camera::Advice advice = camera::Advice::kGood;
    auto done = look(frame->image, advice);
    if (preview_) preview_(frame->image, advice);
    wipe_mat(frame->image);
    if (done) return *done;
  }
}

Result<Citizen> TransactionEngine::identify_by_code() {
  if (auto s = begin_identification(); !s) return s.error();
  camera::Camera* cam = options_.face_camera;
  auto code = run_step(Step::kReadCode, "{}", [&] { return read_code(cam, kEidPrefix); });
  if (!code) {
    fail(Step::kReadCode, code.error());
    return code.error();
  }
  const std::stop_token stop = session_token();
  auto verified = run_step(Step::kIdentify, json{{"by", "eid_code"}}.dump(), [&] {
    return require_verified(backend_.with_stop(stop).verify_eid_code(code.value()),
                            "the e-ID code was refused");
  });
  std::fill(code.value().begin(), code.value().end(), '\0');
  if (verified) {
    IdentityCard card;
    card.id_number = verified->holder.id_number;
    card.name = verified->holder.name;
    card.valid_to = verified->holder.valid_to;
    card.type = card_type_of_number(card.id_number);
    if (card.id_number.size() == 18) card.birth_date = card.id_number.substr(6, 8);
    verified.value().holder.wipe();
    card_ = std::move(card);
  }
  return conclude_identification(std::move(verified), stop, "by e-ID code");
}

// The first QR code starting with `prefix` that the camera sees.
Result<std::string> TransactionEngine::read_code(camera::Camera* cam, std::string_view prefix) {
  if (!cam) return Error{Completion::kDeviceNotReady, "this terminal has no face camera"};
  std::string found;
  auto watched = watch(*cam, [&](const cv::Mat& frame, camera::Advice& advice) {
    advice = camera::Advice::kNoPage;  // nothing useful to say until a code is seen
    for (auto& text : camera::decode_qr(frame, 1024))
      if (text.rfind(prefix, 0) == 0) {
        found = std::move(text);
        advice = camera::Advice::kGood;
        return std::optional<Status>(ok_status());
      }
    return std::optional<Status>();
  });
  if (!watched) return watched.error();
  return found;
}

Result<certs::Verification> TransactionEngine::check_certificate_code() {
  auto code = read_code(options_.face_camera, "SMZC");
  if (!code) return code.error();
  auto ring = keyring();
  if (!ring) return ring.error();
  auto verdict = certs::verify_code(code.value(), ring.value());
  wipe(code.value());
  // Only the outcome is logged: the code's masked fields stay on the screen.
  spdlog::info("certificate check: {} {}", verdict.code.serial,
               verdict.genuine ? "genuine" : verdict.reason);
  return verdict;
}

Result<certs::Keyring> TransactionEngine::keyring() {
  if (!options_.certificate_key) return Error{Completion::kUnsupported, "no issuer key configured"};
  const std::stop_token stop = session_token();
  auto ring = backend_.with_stop(stop).keyring(*options_.certificate_key, options_.keyring_cache);
  if (!ring) return Error{ring.code(), "keyring: " + ring.error().message};
  for (const auto& [region, partner] : options_.partners) {
    if (!partner.issuer_key) continue;
    auto theirs = partner.client->with_stop(stop).keyring(*partner.issuer_key,
                                                          partner.keyring_cache, {region});
    if (theirs)
      ring->merge(theirs.value());
    else
      spdlog::warn("keyring of region {} unavailable: {}", region, theirs.error().message);
  }
  return ring;
}

// 人证核验: a live face, clear enough, then the backend compares it with the register's photo of
// the identified citizen.
std::optional<Outcome> TransactionEngine::face_step(Application& app) {
  auto checked = run_step(Step::kFaceCheck, "{}", [&]() -> Result<IdentityCheck> {
    camera::Camera* cam = options_.face_camera;
    if (!cam) return Error{Completion::kDeviceNotReady, "this terminal has no face camera"};
    static thread_local std::optional<camera::FaceDetector> detector;
    if (!detector) {
      auto loaded = camera::FaceDetector::load();
      if (!loaded) return Error{Completion::kDeviceNotReady, loaded.error().message};
      detector.emplace(std::move(loaded.value()));
    }
    camera::FaceCheck check(*detector);
    auto watched = watch(*cam, [&](const cv::Mat& frame, camera::Advice& advice) {
      switch (check.add(frame, &advice)) {
        case camera::FaceCheck::Verdict::kPassed:
          return std::optional<Status>(ok_status());
        case camera::FaceCheck::Verdict::kRefused:
          return std::optional<Status>(
              Error{Completion::kInvalidData, "the face did not move: a photograph, not a person"});
        case camera::FaceCheck::Verdict::kContinue:
          break;
      }
      return std::optional<Status>();
    });
    if (!watched) {
      check.clear();
      return watched.error();
    }
    auto jpeg = camera::encode_image(check.best(), "jpeg", 96);
    check.clear();
    if (!jpeg) return jpeg.error();
    auto verified = app.owner.backend.verify_identity(app.applicant, jpeg.value());
    std::fill(jpeg.value().begin(), jpeg.value().end(), '\0');
    return require_verified(std::move(verified), "the face check was refused");
  });
  if (!checked) return fail(Step::kFaceCheck, checked.error());
  return std::nullopt;
}

Result<TransactionEngine::CapturedMaterial> TransactionEngine::capture(const Material& material) {
  if (!card_) return Error{Completion::kUserError, "no citizen identified yet"};
  const bool scanner_usable = options_.scanner && options_.scanner->status().usable();
  const char* device = scanner_usable ? "scanner" : "document_camera";
  return run_step(
      Step::kCapture, json{{"material", material.name}, {"device", device}}.dump(),
      [&]() -> Result<CapturedMaterial> {
        CapturedMaterial captured;
        std::vector<cv::Mat> pages;
        if (scanner_usable) {
          auto scanned = options_.scanner->scan(
              {.mode = "Color", .dpi = options_.capture_dpi, .max_pages = 20},
              after(options_.camera_timeout), session_token());
          if (!scanned) return scanned.error();
          for (auto& p : scanned.value()) pages.push_back(std::move(p.image));
        } else {
          camera::Camera* cam = options_.document_camera;
          if (!cam) return Error{Completion::kDeviceNotReady, "no scanner or document camera"};
          // A page counts once it is found good in two frames running (it lies still).
          int good_in_a_row = 0;
          auto watched = watch(*cam, [&](const cv::Mat& frame, camera::Advice& advice) {
            const camera::PageFinding page = camera::find_page(frame);
            advice = page.advice;
            good_in_a_row = page.advice == camera::Advice::kGood ? good_in_a_row + 1 : 0;
            if (good_in_a_row < 2) return std::optional<Status>();
            pages.push_back(camera::flatten_page(frame, page.corners, options_.capture_dpi));
            return std::optional<Status>(ok_status());
          });
          if (!watched) return watched.error();
        }
        if (pages.empty()) return Error{Completion::kUserError, "nothing was captured"};
        auto bytes = pages.size() == 1
                         ? camera::encode_image(pages.front(), "png", options_.capture_dpi)
                         : camera::images_to_pdf(pages);
        if (!bytes) return bytes.error();
        captured.bytes = std::move(bytes.value());
        captured.format = pages.size() == 1 ? "png" : "pdf";
        captured.pages = int(pages.size());
        captured.first_page = pages.front().clone();
        for (auto& p : pages) wipe_mat(p);
        return captured;
      });
}

}  // namespace smzc::services
