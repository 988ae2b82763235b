#include "kiosk/demo.h"

#include <cstdlib>
#include <fstream>

#include "base/paths.h"
#include "drivers/camera/scenes.h"
#include "drivers/idcard/sim_photo.h"
#include "face/check.h"
#include "face/face.h"

namespace smzc::kiosk {

// The demo terminal's id, which its certificate (made for the run) carries too.
constexpr const char* kDemoTerminalId = "SMZC-DEMO-0001";

namespace {

// The person in front of the face camera, following the face check's challenge: the demo
// resident (whose chip and register photo are this portrait), or, for an impostor, the face in
// another of Debian's pictures.
Result<std::vector<cv::Mat>> person_at_camera(bool impostor, cv::Size size) {
  auto models = face::find_models();
  if (!models) return models.error();
  auto pipeline = face::Pipeline::load(models.value());
  if (!pipeline) return pipeline.error();
  cv::Mat portrait = camera::sim::load_picture(camera::sim::kGraceHopper);
  if (impostor) {
    // Someone who faces the camera squarely, from face-api's sample photos, which the build
    // unpacks beside the models (Debian's other portrait holds a face too small for a camera).
    portrait = cv::Mat();
    const auto samples = face::default_models_dir().parent_path() / "face-samples";
    for (int n = 1; n <= 6 && portrait.empty(); ++n) {
      const cv::Mat picture =
          cv::imread((samples / ("sample" + std::to_string(n) + ".jpg")).string());
      if (picture.empty()) continue;
      for (const auto& d : pipeline.value()->detect(picture, 0.75f)) {
        const cv::Mat crop = face::portrait_crop(picture, d);
        auto s = pipeline.value()->sample(crop);
        if (s && face::frontal(s->face)) {
          portrait = crop;
          break;
        }
      }
    }
    if (portrait.empty())
      return Error{Completion::kDeviceNotReady, "--impostor needs face-api's sample photos in " +
                                                    samples.string() +
                                                    " (the build tree has them)"};
  }
  auto sample = pipeline.value()->sample(portrait);
  if (!sample) return sample.error();
  const auto p = sample->face.alignment_points();
  const auto& m = sample->face.mesh;
  const camera::sim::FaceLayout layout{.right_eye = (p[2] + p[3]) * 0.5f,
                                       .left_eye = (p[0] + p[1]) * 0.5f,
                                       .mouth = (m[13] + m[14]) * 0.5f,
                                       .eye_width = float(cv::norm(p[2] - p[3])),
                                       .mouth_width = float(cv::norm(m[78] - m[308]))};
  // Three tries' worth: an impostor follows every challenge and is still refused.
  std::vector<cv::Mat> frames;
  for (unsigned attempt = 0; attempt < (impostor ? 3u : 1u); ++attempt) {
    std::vector<std::string> actions;
    for (auto a : face::draw_challenge(kDemoChallengeSeed + attempt))
      actions.push_back(face::to_string(a));
    for (auto& f : camera::sim::person_following(portrait, layout, size, actions))
      frames.push_back(std::move(f));
  }
  return frames;
}

}  // namespace

Result<std::unique_ptr<DemoEnvironment>> DemoEnvironment::start(
    const std::filesystem::path& out_dir, const std::optional<ExternalBackend>& external,
    bool impostor) {
  std::unique_ptr<DemoEnvironment> env(new DemoEnvironment());
  auto card = idcard::load_card_json(data_dir() / "drivers/idcard/sim/cards/resident.json");
  if (!card) return card.error();
  env->card_ = card.value();

  // The reader is found through a link, as a udev rule names a real one, so it is found again
  // after it is unplugged and plugged back in.
  auto reader = idcard::ReaderSimulator::start({.link = out_dir / "reader-tty"});
  if (!reader) return reader.error();
  env->reader_ = std::move(reader.value());

  auto printer = printer::IppEvePrinter::start({.spool_dir = out_dir / "printer"});
  if (!printer) return printer.error();
  env->printer_ = std::move(printer.value());

  env->config_.terminal_id = kDemoTerminalId;
  auto pki = out_dir / "pki";
  auto issuer_key = out_dir / "issuer-public.pem";
  auto eid_code = out_dir / "eid-code.txt";
  if (external) {
    env->config_.backend_url = external->url;
    pki = external->pki;
    issuer_key = external->issuer_key;
    eid_code = external->eid_code;
  } else {
    // Mutual TLS, with a development PKI made for this run.
    const std::string make_pki = "'" + data_file("packaging/make-dev-pki.sh").string() + "' '" +
                                 pki.string() + "' " + kDemoTerminalId;
    if (std::system(make_pki.c_str()) != 0)
      return Error{Completion::kDeviceNotReady,
                   "cannot make the development PKI (packaging/make-dev-pki.sh needs openssl)"};
    // The reference backend runs as its own process, as a real one would.
    const auto& c = env->card_;
    auto backend = ChildProcess::start(
        {.argv = {(executable_dir() / "smzc-backend").string(), "--port", "0", "--public-key-out",
                  issuer_key.string(), "--demo-eid-for",
                  c.id_number + ":" + c.name + ":" + c.valid_to, "--demo-eid-out",
                  eid_code.string(), "--database", (out_dir / "backend.db").string(), "--tls-cert",
                  (pki / "server.pem").string(), "--tls-key", (pki / "server.key").string(),
                  "--client-ca", (pki / "ca.pem").string()},
         .log_path = out_dir / "backend.log",
         .capture_stdout = true});
    if (!backend) return backend.error();
    auto line = backend->read_line(std::chrono::seconds(10));
    if (!line)
      return Error{line.code(), "the reference backend did not start: " + line.error().message};
    const std::string prefix = "listening on ";
    if (line->rfind(prefix, 0) != 0)
      return Error{Completion::kInvalidData, "unexpected backend banner: " + line.value()};
    env->backend_ = std::move(backend.value());
    env->config_.backend_url = line->substr(prefix.size());
  }
  // The face camera sees the citizen's phone showing the e-ID code, then the citizen; SANE's
  // test scanner takes paper materials.
  std::ifstream eid(eid_code);
  std::string code((std::istreambuf_iterator<char>(eid)), {});
  if (code.empty()) return Error{Completion::kInvalidData, "the backend issued no e-ID code"};
  try {
    const cv::Size size(1280, 720);
    const cv::Mat wall(size, CV_8UC3, cv::Scalar(90, 90, 90));
    const cv::Mat phone = camera::sim::photograph(camera::sim::qr_image(code, 6), size,
                                                  {{420, 120}, {860, 140}, {850, 590}, {410, 570}},
                                                  1, cv::Scalar(90, 90, 90));
    std::vector<cv::Mat> frames = {wall, phone};
    auto person = person_at_camera(impostor, size);
    if (!person) return Error{person.code(), "demo camera: " + person.error().message};
    for (auto& f : person.value()) frames.push_back(std::move(f));
    env->face_source_ = "file:" + camera::sim::write_sequence(out_dir / "face-camera", frames);
  } catch (const std::exception& e) {
    return Error{Completion::kDeviceNotReady, std::string("demo camera: ") + e.what()};
  }
  setenv("SANE_CONFIG_DIR", data_file("drivers/scanner/sim").c_str(), 1);
  env->config_.devices = {
      {"reader", DeviceKind::kCardReader, "sam", (out_dir / "reader-tty").string(), {}},
      {"printer", DeviceKind::kPrinter, "ipp", env->printer_->uri(), {}},
      {"face", DeviceKind::kCamera, "opencv", env->face_source_, {{"fps", "0"}}},
      {"scanner", DeviceKind::kScanner, "sane", "test:0", {}}};
  env->config_.journal = out_dir / "journal.db";
  env->config_.work_dir = out_dir / "work";
  env->config_.certificate_key = issuer_key;
  env->config_.catalogue_cache = out_dir / "catalogue.json";
  env->config_.forward_queue = out_dir / "queue.db";
  env->config_.data_key = out_dir / "data.key";
  env->config_.backend_ca = pki / "ca.pem";
  env->config_.terminal_cert = pki / "terminal.pem";
  env->config_.terminal_key = pki / "terminal.key";
  // The simulated card's chip photo is decoded as a vendor's WLT library would be.
  env->config_.face.photo_library = idcard::sim_wlt_library();
  return env;
}

}  // namespace smzc::kiosk
