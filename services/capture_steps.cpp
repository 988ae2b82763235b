// The engine's steps that use the cameras and the scanner: identification by e-ID code, the face
// check (人证核验) and the capture of paper materials. Frames and pages stay in memory; what is
// journaled says what happened, never what was seen.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

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

std::string FaceCheckReport::to_json() const {
  json comparisons = {{"local", {{"result", local}, {"matcher", matcher}}},
                      {"platform", {{"result", platform}}}};
  if (local_score) comparisons["local"]["score"] = *local_score;
  if (local_threshold) comparisons["local"]["threshold"] = *local_threshold;
  if (platform_score) comparisons["platform"]["score"] = *platform_score;
  if (platform_threshold) comparisons["platform"]["threshold"] = *platform_threshold;
  json challenge = json::array();
  for (auto a : liveness.challenge) challenge.push_back(face::to_string(a));
  json j = {{"decision", decision},
            {"policy", to_string(policy)},
            {"comparisons", comparisons},
            {"liveness",
             {{"passed", liveness.passed},
              {"challenge", challenge},
              {"followed", liveness.followed},
              {"kind", "active challenge (not a certified PAD)"},
              {"plugin", liveness_plugin}}},
            {"attempts", attempts},
            {"models", models}};
  if (!liveness.reason.empty()) j["liveness"]["reason"] = liveness.reason;
  // The deciding comparison's score: the platform's when it was asked, else the terminal's.
  if (platform_score) {
    j["score"] = *platform_score;
    if (platform_threshold) j["threshold"] = *platform_threshold;
  } else if (local_score) {
    j["score"] = *local_score;
    if (local_threshold) j["threshold"] = *local_threshold;
  }
  return j.dump();
}

namespace {

camera::Advice advice_for(face::Instruction i) {
  using camera::Advice;
  using face::Instruction;
  switch (i) {
    case Instruction::kGood:
      return Advice::kGood;
    case Instruction::kNoFace:
      return Advice::kNoFace;
    case Instruction::kSeveralFaces:
      return Advice::kSeveralFaces;
    case Instruction::kComeCloser:
      return Advice::kComeCloser;
    case Instruction::kMoveToCentre:
      return Advice::kMoveToCentre;
    case Instruction::kLookStraight:
      return Advice::kLookStraight;
    case Instruction::kOpenEyes:
      return Advice::kOpenEyes;
    case Instruction::kTooDark:
      return Advice::kTooDark;
    case Instruction::kTooBright:
      return Advice::kTooBright;
    case Instruction::kHoldStill:
      return Advice::kHoldStill;
    case Instruction::kTurnLeft:
      return Advice::kTurnLeft;
    case Instruction::kTurnRight:
      return Advice::kTurnRight;
    case Instruction::kNod:
      return Advice::kNod;
    case Instruction::kBlink:
      return Advice::kBlink;
    case Instruction::kOpenMouth:
      return Advice::kOpenMouth;
  }
  return Advice::kNoFace;
}

}  // namespace

Result<face::Pipeline*> TransactionEngine::face_pipeline() {
  if (face_pipeline_) return face_pipeline_.get();
  const auto dir = options_.face.models.empty() ? face::default_models_dir() : options_.face.models;
  auto models = face::find_models(dir);
  if (!models) return Error{Completion::kDeviceNotReady, models.error().message};
  auto loaded = face::Pipeline::load(models.value());
  if (!loaded) return Error{Completion::kDeviceNotReady, loaded.error().message};
  face_pipeline_ = std::move(loaded.value());
  return face_pipeline_.get();
}

void TransactionEngine::compare_with_chip(face::Pipeline& pipeline, const face::LiveCheck& live,
                                          FaceCheckReport& report) {
  if (!options_.face.photo_decoder) {
    report.local = "no-decoder";
    return;
  }
  if (!card_ || card_->photo.empty()) {
    report.local = "no-photo";  // identified by an e-ID code, or a card without one
    return;
  }
  auto photo = idcard::decode_photo(*card_, options_.face.photo_decoder);
  if (!photo) {
    report.local = "unusable-photo";
    spdlog::warn("face check: the chip photo could not be decoded: {}", photo.error().message);
    return;
  }
  cv::Mat rgb(photo->height, photo->width, CV_8UC3, photo->rgb.data());
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  std::fill(photo->rgb.begin(), photo->rgb.end(), 0);
  if (face::Plugin* plugin = options_.face.matcher) {
    // The site's certified engine decides on the terminal, on its own scale.
    report.matcher = plugin->name();
    auto verdict = plugin->match(live.crop(), bgr);
    wipe_mat(bgr);
    if (!verdict) {
      report.local = "unusable-photo";
      spdlog::warn("face check: {}", verdict.error().message);
      return;
    }
    report.local_score = verdict->score;
    report.local = verdict->yes ? "matched" : "not-matched";
    return;
  }
  report.matcher = "built-in";
  auto chip = pipeline.sample(bgr);
  wipe_mat(bgr);
  if (!chip) {
    report.local = "unusable-photo";
    return;
  }
  const double threshold =
      options_.face.threshold > 0 ? options_.face.threshold : face::kDefaultThreshold;
  const double d = face::distance(live.embedding(), chip->embedding);
  face::wipe(chip->embedding);
  wipe_mat(chip->chip);
  report.local_score = d;
  report.local_threshold = threshold;
  report.local = d <= threshold ? "matched" : "not-matched";
}

Result<IdentityCheck> TransactionEngine::face_attempt(face::Pipeline& pipeline, Application& app,
                                                      FaceCheckReport& report) {
  face::LiveCheck::Options check_options;
  check_options.keep_crops = options_.face.liveness != nullptr;
  std::optional<unsigned> seed = options_.face.challenge_seed;
  if (seed) *seed += unsigned(report.attempts - 1);
  check_options.challenge = face::draw_challenge(seed, options_.face.challenge_actions);
  face::LiveCheck check(pipeline, check_options);
  int frames = 0;
  auto watched = watch(*options_.face_camera, [&](const cv::Mat& frame, camera::Advice& advice) {
    face::Instruction now = face::Instruction::kNoFace;
    const auto verdict = check.add(frame, std::chrono::steady_clock::now(), &now);
    // A new try says so for its first moments, then gives the instructions again.
    advice = report.attempts > 1 && ++frames <= 10 ? camera::Advice::kTryAgain : advice_for(now);
    switch (verdict) {
      case face::LiveCheck::Verdict::kPassed:
        return std::optional<Status>(ok_status());
      case face::LiveCheck::Verdict::kRefused:
        return std::optional<Status>(
            Error{Completion::kInvalidData, "not live: " + check.liveness().reason});
      case face::LiveCheck::Verdict::kContinue:
        break;
    }
    return std::optional<Status>();
  });
  report.liveness = check.liveness();
  if (!watched) {
    report.decision = watched.code() == Completion::kInvalidData ? "not-live" : "unavailable";
    return watched.error();
  }
  if (face::Plugin* plugin = options_.face.liveness) {
    // The site's presentation-attack detector, after the challenge: both must pass.
    auto verdict = plugin->liveness(check.crops());
    if (!verdict) {
      report.decision = "unavailable";
      return Error{Completion::kHardwareError, verdict.error().message};
    }
    report.liveness_plugin = verdict->yes ? "live" : "attack";
    if (!verdict->yes) {
      report.decision = "not-live";
      return Error{Completion::kInvalidData, "not live: " + plugin->name() + " found an attack"};
    }
  }
  if (report.policy != FacePolicy::kPlatform) compare_with_chip(pipeline, check, report);
  if (report.local == "not-matched") {
    report.decision = "not-matched";
    return Error{Completion::kUserError, "the face is not the card's chip photo's"};
  }
  // The platform decides unless the terminal alone was asked and could compare.
  if (report.policy == FacePolicy::kLocal && report.local == "matched") {
    report.decision = "matched";
    IdentityCheck local;
    local.verified = true;
    local.face = "matched";
    return local;
  }
  auto jpeg = camera::encode_image(check.crop(), "jpeg", 96);
  check.wipe();
  if (!jpeg) return jpeg.error();
  auto verified = app.owner.backend.verify_identity(app.applicant, jpeg.value());
  std::fill(jpeg.value().begin(), jpeg.value().end(), '\0');
  if (!verified) {
    report.decision = "unavailable";
    return verified.error();
  }
  report.platform = verified->face;
  report.platform_score = verified->face_score;
  report.platform_threshold = verified->face_threshold;
  if (verified->verified && !verified->citizen_session.empty())
    citizen_sessions_[session_key(app.item.region_code)] = verified->citizen_session;
  report.decision = verified->verified ? "matched" : "not-matched";
  // The platform's "not this person" is a refusal to try again; its other refusals (the card,
  // an unusable picture) are answered with its reasons.
  if (!verified->verified && verified->face == "not-matched")
    return Error{Completion::kUserError, "the platform found the face is not the register's"};
  if (!verified->verified && verified->face == "unusable")
    return Error{Completion::kInvalidData, "the platform could not use the face picture"};
  return require_verified(std::move(verified), "the face check was refused");
}

// 人证核验: a live face that follows this session's challenge; then the comparisons the policy
// names — the terminal's against the chip photo (a gate that refuses a clear mismatch before
// anything is sent), the platform's against the register photo (the decision).
std::optional<Outcome> TransactionEngine::face_step(Application& app) {
  FaceCheckReport report;
  report.policy = app.item.face_policy.value_or(options_.face.policy);
  auto checked = run_step(Step::kFaceCheck, "{}", [&]() -> Result<IdentityCheck> {
    camera::Camera* cam = options_.face_camera;
    if (!cam) return Error{Completion::kDeviceNotReady, "this terminal has no face camera"};
    auto pipeline = face_pipeline();
    if (!pipeline) return pipeline.error();
    report.models = pipeline.value()->version();
    // A refusal is followed by two more tries, each with a new challenge; then the citizen is
    // told the ways that remain. What ends a try without a verdict (the camera, the network, the
    // citizen leaving) ends the check.
    Result<IdentityCheck> last = Error{Completion::kInvalidData, "no face check was made"};
    for (report.attempts = 1; report.attempts <= kFaceAttempts; ++report.attempts) {
      if (report.attempts > 1)
        if (auto s = journal_.append(
                outcome_.transaction_id, "face_check.retry",
                json{{"attempt", report.attempts}, {"after", report.decision}}.dump());
            !s)
          spdlog::error("journal: {}", s.error().message);
      report.local.clear();
      report.platform = "not-asked";
      report.local_score = report.local_threshold = std::nullopt;
      report.platform_score = report.platform_threshold = std::nullopt;
      last = face_attempt(*pipeline.value(), app, report);
      if (last ||
          (last.code() != Completion::kInvalidData && last.code() != Completion::kUserError))
        break;
    }
    report.attempts = std::min(report.attempts, kFaceAttempts);
    return last;
  });
  if (report.decision.empty()) report.decision = "unavailable";
  if (auto s = journal_.append(outcome_.transaction_id, "face_check.result", report.to_json()); !s)
    spdlog::error("journal: {}", s.error().message);
  outcome_.face_check = report;
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
