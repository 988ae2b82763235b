// kioskctl camera / scanner: what a camera sees (a snapshot, faces, QR codes, a flattened page)
// and what a scanner scans, for a technician checking a terminal's eyes.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/paths.h"
#include "drivers/camera/analysis.h"
#include "drivers/camera/camera.h"
#include "drivers/scanner/scanner.h"
#include "kiosk/kioskctl.h"
#include "services/device_manager.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct CameraArgs {
  DeviceArgs device;
  std::string out;
  int frames = 30;
  int seconds = 10;
  int dpi = 150;
  bool as_json = false;
};

bool write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  return bool(out);
}

std::string format_of(const fs::path& path) {
  std::string ext = path.extension().string();
  if (ext == ".jpg" || ext == ".jpeg") return "jpeg";
  if (ext == ".pdf") return "pdf";
  return "png";
}

// Takes frames from the camera and hands each to `look` until it says done (true), the frame
// budget or the time runs out, or the stream ends.
Status watch(camera::Camera& cam, const CameraArgs& args,
             const std::function<bool(const camera::Frame&)>& look) {
  if (auto started = cam.start(); !started) return started;
  const Deadline deadline = after(std::chrono::seconds(args.seconds));
  Status result = ok_status();
  for (int i = 0; i < args.frames; ++i) {
    auto frame = cam.next_frame(deadline, {});
    if (!frame) {
      // A recording that simply ended after some frames is not an error.
      if (i == 0 || frame.code() != Completion::kHardwareError) result = frame.error();
      break;
    }
    if (look(frame.value())) break;
  }
  cam.stop();
  return result;
}

json rect_json(const cv::Rect& r) {
  return {{"x", r.x}, {"y", r.y}, {"width", r.width}, {"height", r.height}};
}

int snapshot(const CameraArgs& args) {
  if (args.out.empty()) return fail(2, "--out FILE is needed");
  auto cam = open_camera(args.device);
  if (!cam) return fail(1, cam.error().message);
  cv::Mat image;
  if (auto s = watch(*cam.value(), args,
                     [&](const camera::Frame& f) {
                       image = f.image;
                       return true;
                     });
      !s)
    return fail(1, s.error().message);
  auto bytes = camera::encode_image(image, format_of(args.out), 96);
  if (!bytes) return fail(1, bytes.error().message);
  if (!write_file(args.out, bytes.value())) return fail(1, "cannot write " + args.out);
  if (args.as_json)
    std::cout << json{{"file", args.out}, {"width", image.cols}, {"height", image.rows}}.dump(2)
              << '\n';
  else
    std::cout << args.out << ": " << image.cols << "x" << image.rows << '\n';
  return 0;
}

int faces(const CameraArgs& args) {
  auto detector = camera::FaceDetector::load();
  if (!detector) return fail(1, detector.error().message);
  auto cam = open_camera(args.device);
  if (!cam) return fail(1, cam.error().message);
  camera::FaceCheck check(detector.value());
  json frames = json::array();
  auto verdict = camera::FaceCheck::Verdict::kContinue;
  auto s = watch(*cam.value(), args, [&](const camera::Frame& f) {
    const auto finding = camera::assess_face(detector.value(), f.image);
    camera::Advice advice;
    verdict = check.add(f.image, &advice);
    json one = {{"frame", f.sequence},
                {"advice", camera::to_string(advice)},
                {"sharpness", std::round(finding.sharpness)},
                {"brightness", std::round(finding.brightness)}};
    if (!finding.face.empty()) one["face"] = rect_json(finding.face);
    frames.push_back(one);
    if (!args.as_json) {
      std::cout << "frame " << f.sequence << ": " << camera::to_string(advice);
      if (!finding.face.empty())
        std::cout << " (face " << finding.face.width << "x" << finding.face.height << " at "
                  << finding.face.x << "," << finding.face.y << ")";
      std::cout << '\n';
    }
    return verdict != camera::FaceCheck::Verdict::kContinue;
  });
  check.clear();
  if (!s) return fail(1, s.error().message);
  const char* result = verdict == camera::FaceCheck::Verdict::kPassed    ? "passed"
                       : verdict == camera::FaceCheck::Verdict::kRefused ? "refused"
                                                                         : "undecided";
  if (args.as_json)
    std::cout << json{{"frames", frames}, {"check", result}}.dump(2) << '\n';
  else
    std::cout << "face check: " << result << '\n';
  return verdict == camera::FaceCheck::Verdict::kPassed ? 0 : 1;
}

int qr(const CameraArgs& args) {
  auto cam = open_camera(args.device);
  if (!cam) return fail(1, cam.error().message);
  std::vector<std::string> texts;
  auto s = watch(*cam.value(), args, [&](const camera::Frame& f) {
    texts = camera::decode_qr(f.image);
    return !texts.empty();
  });
  if (!s) return fail(1, s.error().message);
  if (texts.empty()) return fail(1, "no QR code found");
  if (args.as_json)
    std::cout << json{{"codes", texts}}.dump(2) << '\n';
  else
    for (const auto& t : texts) std::cout << t << '\n';
  return 0;
}

int document(const CameraArgs& args) {
  if (args.out.empty()) return fail(2, "--out FILE is needed");
  auto cam = open_camera(args.device);
  if (!cam) return fail(1, cam.error().message);
  cv::Mat page;
  camera::PageFinding last;
  auto s = watch(*cam.value(), args, [&](const camera::Frame& f) {
    last = camera::find_page(f.image);
    if (last.advice != camera::Advice::kGood) return false;
    page = camera::flatten_page(f.image, last.corners, args.dpi);
    return true;
  });
  if (!s) return fail(1, s.error().message);
  if (page.empty())
    return fail(1, std::string("no usable page: ") + camera::to_string(last.advice));
  const std::string format = format_of(args.out);
  auto bytes = format == "pdf" ? camera::images_to_pdf({page})
                               : camera::encode_image(page, format, args.dpi);
  if (!bytes) return fail(1, bytes.error().message);
  if (!write_file(args.out, bytes.value())) return fail(1, "cannot write " + args.out);
  if (args.as_json)
    std::cout << json{{"file", args.out},
                      {"width", page.cols},
                      {"height", page.rows},
                      {"dpi", args.dpi},
                      {"sharpness", std::round(last.sharpness)},
                      {"glare", last.glare}}
                     .dump(2)
              << '\n';
  else
    std::cout << args.out << ": A4 at " << args.dpi << " dpi (" << page.cols << "x" << page.rows
              << ")\n";
  return 0;
}

struct ScanArgs {
  std::string config = "/etc/smzc/kiosk.json";
  std::string device;
  std::string out;
  std::string mode = "Color";
  int dpi = 150;
  bool feeder = false;
  std::vector<std::string> options;
  bool as_json = false;
};

int scan(const ScanArgs& args) {
  if (args.out.empty()) return fail(2, "--out FILE is needed");
  // --device is the configuration's scanner id, or a SANE device name; none: the configured one.
  services::DeviceSpec spec{"cli", DeviceKind::kScanner, "sane", args.device, {}};
  auto configured = device_spec(DeviceKind::kScanner, {args.config, args.device, ""});
  if (configured)
    spec = configured.value();
  else if (args.device.empty())
    return fail(1, configured.error().message);
  auto device = services::DeviceManager::make_device(spec);
  if (!device) return fail(1, device.error().message);
  auto* scanner = static_cast<scanner::SaneScanner*>(device.value().get());
  for (const auto& o : args.options) {
    const auto eq = o.find('=');
    if (eq == std::string::npos) return fail(2, "--option takes NAME=VALUE");
    scanner->set_backend_option(o.substr(0, eq), o.substr(eq + 1));
  }
  scanner::ScanSettings settings{.mode = args.mode, .dpi = args.dpi, .feeder = args.feeder};
  auto pages = scanner->scan(settings, after(std::chrono::minutes(5)), {});
  if (!pages) {
    const DeviceStatus st = scanner->status();
    return fail(1, pages.error().message + " (scanner " + to_string(st.state) + ", " +
                       to_string(st.media) + (st.cover_open ? ", cover open" : "") + ")");
  }
  const std::string format = format_of(args.out);
  std::vector<std::string> files;
  if (format == "pdf") {
    std::vector<cv::Mat> images;
    for (const auto& p : pages.value()) images.push_back(p.image);
    auto pdf = camera::images_to_pdf(images);
    if (!pdf) return fail(1, pdf.error().message);
    if (!write_file(args.out, pdf.value())) return fail(1, "cannot write " + args.out);
    files.push_back(args.out);
  } else {
    for (size_t i = 0; i < pages->size(); ++i) {
      fs::path path = args.out;
      if (pages->size() > 1)
        path.replace_filename(path.stem().string() + "-" + std::to_string(i + 1) +
                              path.extension().string());
      auto bytes = camera::encode_image(pages.value()[i].image, format, args.dpi);
      if (!bytes) return fail(1, bytes.error().message);
      if (!write_file(path, bytes.value())) return fail(1, "cannot write " + path.string());
      files.push_back(path.string());
    }
  }
  if (args.as_json)
    std::cout << json{{"pages", pages->size()}, {"files", files}, {"dpi", args.dpi}}.dump(2)
              << '\n';
  else
    std::cout << pages->size() << " page(s) -> " << args.out << '\n';
  return 0;
}

}  // namespace

// The camera a command means: the configuration's, or --source (a V4L2 device, or a file — an
// image, a video, an image-sequence pattern — played as fast as it is read).
Result<std::unique_ptr<camera::Camera>> open_camera(const DeviceArgs& args) {
  services::DeviceSpec spec;
  if (!args.address.empty()) {
    const bool live = args.address.rfind("/dev/", 0) == 0 ||
                      std::all_of(args.address.begin(), args.address.end(), ::isdigit);
    const bool prefixed = args.address.rfind("file:", 0) == 0;
    spec = {"cli",
            DeviceKind::kCamera,
            "opencv",
            live || prefixed ? args.address : "file:" + args.address,
            {{"fps", "0"}}};
  } else {
    auto configured = device_spec(DeviceKind::kCamera, args);
    if (!configured) return configured.error();
    spec = configured.value();
  }
  auto device = services::DeviceManager::make_device(spec);
  if (!device) return device.error();
  return std::unique_ptr<camera::Camera>(static_cast<camera::Camera*>(device->release()));
}

void add_camera_commands(CLI::App& app, int& rc) {
  static CameraArgs args;
  auto* camera = app.add_subcommand("camera", "face and document cameras")->require_subcommand(1);
  const std::string source_help =
      "a V4L2 device (/dev/video0), or an image, video or image-sequence file (instead of the "
      "config's camera)";
  auto common = [&](CLI::App* c, bool with_out) {
    add_device_options(c, args.device, "--source", source_help);
    c->add_flag("--json", args.as_json, "print JSON");
    c->add_option("--frames", args.frames, "look at most at this many frames")
        ->capture_default_str();
    c->add_option("--seconds", args.seconds, "give up after this long")->capture_default_str();
    if (with_out) c->add_option("-o,--out", args.out, "output file (.png, .jpg or .pdf)");
  };
  auto* snap = camera->add_subcommand("snapshot", "save one frame");
  common(snap, true);
  snap->callback([&rc] { rc = snapshot(args); });
  auto* face = camera->add_subcommand("faces", "the face check, frame by frame");
  common(face, false);
  face->callback([&rc] { rc = faces(args); });
  auto* code = camera->add_subcommand("qr", "print the text of the QR codes the camera sees");
  common(code, false);
  code->callback([&rc] { rc = qr(args); });
  auto* doc = camera->add_subcommand("document", "find the page, flatten it to A4, save it");
  common(doc, true);
  doc->add_option("--dpi", args.dpi, "resolution of the flattened page")->capture_default_str();
  doc->callback([&rc] { rc = document(args); });

  static ScanArgs scan_args;
  auto* scanner = app.add_subcommand("scanner", "SANE scanners")->require_subcommand(1);
  static bool list_json = false;
  auto* list = scanner->add_subcommand("list", "every scanner SANE finds");
  list->add_flag("--json", list_json, "print JSON");
  list->callback([&rc] {
    auto found = scanner::list_sane_devices();
    if (!found) {
      rc = fail(1, found.error().message);
      return;
    }
    json out = json::array();
    for (const auto& d : found.value()) {
      out.push_back({{"name", d.name}, {"vendor", d.vendor}, {"model", d.model}, {"type", d.type}});
      if (!list_json) std::cout << d.name << "\t" << d.vendor << " " << d.model << '\n';
    }
    if (list_json) std::cout << out.dump(2) << '\n';
    rc = 0;
  });
  auto* do_scan = scanner->add_subcommand("scan", "scan a page, or the feeder's pages");
  do_scan->add_option("--config", scan_args.config, "kiosk configuration")->capture_default_str();
  do_scan->add_option("--device", scan_args.device,
                      "the configuration's scanner id, or a SANE device name (test:0)");
  do_scan->add_option("-o,--out", scan_args.out, "output: .pdf for all pages, or .png/.jpg");
  do_scan->add_option("--mode", scan_args.mode, "Color, Gray or Lineart")->capture_default_str();
  do_scan->add_option("--dpi", scan_args.dpi, "resolution")->capture_default_str();
  do_scan->add_flag("--feeder", scan_args.feeder, "every page in the document feeder");
  do_scan->add_option("--option", scan_args.options, "a SANE backend option NAME=VALUE");
  do_scan->add_flag("--json", scan_args.as_json, "print JSON");
  do_scan->callback([&rc] { rc = scan(scan_args); });
}

}  // namespace smzc::kioskctl
