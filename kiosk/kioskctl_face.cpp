// kioskctl face: the terminal's face comparison as a technician (or a district's pilot) runs it —
// two pictures compared, the whole check at a camera, and the threshold calibrated on a set of
// consented pictures. Nothing of a face is written anywhere but the plot a calibration is asked
// for, which holds figures only.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "base/text.h"
#include "drivers/camera/camera.h"
#include "drivers/camera/opencv_io.h"
#include "face/check.h"
#include "face/face.h"
#include "kiosk/kioskctl.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct FaceArgs {
  std::string models;
  double threshold = 0;
  bool as_json = false;
  // compare
  std::string a, b;
  // check
  DeviceArgs device;
  std::string photo;
  int actions = 2;
  int seconds = 30;
  int seed = -1;
  // calibrate
  std::string dir;
  double far = 0.001;
  std::string plot;
};

Result<std::unique_ptr<face::Pipeline>> load_pipeline(const FaceArgs& args) {
  auto models = face::find_models(args.models.empty() ? face::default_models_dir()
                                                      : std::filesystem::path(args.models));
  if (!models) return models.error();
  return face::Pipeline::load(models.value());
}

double threshold_of(const FaceArgs& args) {
  return args.threshold > 0 ? args.threshold : face::kDefaultThreshold;
}

// A picture's one face, all the way to its embedding; the error says why there is none.
Result<face::Pipeline::Sample> sample_file(face::Pipeline& pipeline, const std::string& path) {
  auto picture = camera::io::read(path, cv::IMREAD_COLOR);
  if (!picture) return picture.error();
  auto sample = pipeline.sample(picture.value());
  picture->setTo(cv::Scalar::all(0));
  if (!sample) return Error{sample.code(), path + ": " + sample.error().message};
  return sample;
}

int compare(const FaceArgs& args) {
  auto pipeline = load_pipeline(args);
  if (!pipeline) return fail(2, pipeline.error().message);
  auto a = sample_file(*pipeline.value(), args.a);
  if (!a) return fail(2, printable(a.error().message));
  auto b = sample_file(*pipeline.value(), args.b);
  if (!b) return fail(2, printable(b.error().message));
  const double score = face::distance(a->embedding, b->embedding);
  const double threshold = threshold_of(args);
  const bool same = score <= threshold;
  if (args.as_json) {
    std::cout << json{{"same_person", same},
                      {"score", score},
                      {"threshold", threshold},
                      {"models", pipeline.value()->version()}}
                     .dump()
              << "\n";
  } else {
    std::cout << (same ? "same person" : "not the same person") << ": distance "
              << format_fixed(score, 3) << ", threshold " << format_fixed(threshold, 3) << "\n";
  }
  return same ? 0 : 1;
}

int check(const FaceArgs& args) {
  auto pipeline = load_pipeline(args);
  if (!pipeline) return fail(2, pipeline.error().message);
  std::optional<face::Pipeline::Sample> photo;
  if (!args.photo.empty()) {
    auto s = sample_file(*pipeline.value(), args.photo);
    if (!s) return fail(2, printable(s.error().message));
    photo = std::move(s.value());
  }
  auto cam = open_camera(args.device);
  if (!cam) return fail(2, cam.error().message);
  if (auto s = cam.value()->start(); !s) return fail(2, s.error().message);
  face::LiveCheck::Options options;
  options.challenge = face::draw_challenge(
      args.seed >= 0 ? std::optional<unsigned>(unsigned(args.seed)) : std::nullopt, args.actions);
  face::LiveCheck live(*pipeline.value(), options);
  const Deadline deadline = after(std::chrono::seconds(args.seconds));
  std::vector<std::string> said;
  face::LiveCheck::Verdict verdict = face::LiveCheck::Verdict::kContinue;
  std::string error;
  while (verdict == face::LiveCheck::Verdict::kContinue) {
    auto frame = cam.value()->next_frame(deadline, {});
    if (!frame) {
      error = frame.error().message;
      break;
    }
    face::Instruction now;
    verdict = live.add(frame->image, std::chrono::steady_clock::now(), &now);
    frame->image.setTo(cv::Scalar::all(0));
    if (said.empty() || said.back() != face::to_string(now)) said.push_back(face::to_string(now));
  }
  cam.value()->stop();
  json out = {{"instructions", said}};
  json challenge = json::array();
  for (auto a : live.liveness().challenge) challenge.push_back(face::to_string(a));
  out["liveness"] = {{"passed", live.liveness().passed},
                     {"challenge", challenge},
                     {"followed", live.liveness().followed},
                     {"reason", live.liveness().reason}};
  int rc = 1;
  if (verdict == face::LiveCheck::Verdict::kPassed) {
    out["decision"] = "live";
    rc = 0;
    if (photo) {
      const double score = face::distance(live.embedding(), photo->embedding);
      const bool same = score <= threshold_of(args);
      out["comparison"] = {
          {"same_person", same}, {"score", score}, {"threshold", threshold_of(args)}};
      out["decision"] = same ? "matched" : "not-matched";
      rc = same ? 0 : 1;
    }
  } else {
    out["decision"] = error.empty() ? "not-live" : "no-decision";
    if (!error.empty()) out["error"] = error;
    rc = error.empty() ? 1 : 2;
  }
  live.wipe();
  if (photo) face::wipe(photo->embedding);
  out["models"] = pipeline.value()->version();
  if (args.as_json) {
    std::cout << out.dump() << "\n";
  } else {
    std::cout << "asked: ";
    for (size_t i = 0; i < said.size(); ++i) std::cout << (i ? ", " : "") << said[i];
    std::cout << "\nchallenge: " << challenge.dump() << " followed " << live.liveness().followed
              << "\n";
    if (!live.liveness().reason.empty()) std::cout << "why: " << live.liveness().reason << "\n";
    if (out.contains("comparison"))
      std::cout << "distance " << format_fixed(out["comparison"]["score"].get<double>(), 3)
                << ", threshold " << format_fixed(threshold_of(args), 3) << "\n";
    std::cout << "decision: " << out["decision"].get<std::string>() << "\n";
  }
  return rc;
}

// The error rates of a set of scores at one threshold.
struct Rates {
  double threshold, far, frr;
};

std::vector<Rates> sweep(const std::vector<double>& genuine, const std::vector<double>& impostor) {
  std::vector<Rates> out;
  for (int i = 0; i <= 150; ++i) {
    const double t = i * 0.01;
    const double fa =
        double(std::count_if(impostor.begin(), impostor.end(), [t](double d) { return d <= t; }));
    const double fr =
        double(std::count_if(genuine.begin(), genuine.end(), [t](double d) { return d > t; }));
    out.push_back({t, impostor.empty() ? 0 : fa / double(impostor.size()),
                   genuine.empty() ? 0 : fr / double(genuine.size())});
  }
  return out;
}

// The error curves as a picture: false accepts and false rejects against the threshold.
Status draw_plot(const std::vector<Rates>& rates, double chosen, const std::string& path) {
  const int w = 900, h = 560, left = 70, right = 20, top = 30, bottom = 60;
  cv::Mat plot(h, w, CV_8UC3, cv::Scalar(255, 255, 255));
  auto x_of = [&](double t) { return int(left + t / 1.5 * (w - left - right)); };
  auto y_of = [&](double r) { return int(top + (1 - r) * (h - top - bottom)); };
  cv::rectangle(plot, {left, top}, {w - right, h - bottom}, cv::Scalar(0, 0, 0), 1);
  for (int i = 0; i <= 6; ++i) {
    const double t = i * 0.25;
    cv::putText(plot, format_fixed(t, 2), {x_of(t) - 16, h - bottom + 20}, cv::FONT_HERSHEY_SIMPLEX,
                0.45, cv::Scalar(0, 0, 0));
  }
  for (int i = 0; i <= 4; ++i) {
    const double r = i * 0.25;
    cv::putText(plot, format_fixed(r, 2), {8, y_of(r) + 4}, cv::FONT_HERSHEY_SIMPLEX, 0.45,
                cv::Scalar(0, 0, 0));
  }
  for (size_t i = 1; i < rates.size(); ++i) {
    cv::line(plot, {x_of(rates[i - 1].threshold), y_of(rates[i - 1].far)},
             {x_of(rates[i].threshold), y_of(rates[i].far)}, cv::Scalar(0, 0, 220), 2);
    cv::line(plot, {x_of(rates[i - 1].threshold), y_of(rates[i - 1].frr)},
             {x_of(rates[i].threshold), y_of(rates[i].frr)}, cv::Scalar(200, 90, 0), 2);
  }
  cv::line(plot, {x_of(chosen), top}, {x_of(chosen), h - bottom}, cv::Scalar(0, 140, 0), 1);
  cv::putText(plot, "distance threshold", {w / 2 - 80, h - 18}, cv::FONT_HERSHEY_SIMPLEX, 0.55,
              cv::Scalar(0, 0, 0));
  cv::putText(plot, "false accepts", {left + 10, top + 20}, cv::FONT_HERSHEY_SIMPLEX, 0.55,
              cv::Scalar(0, 0, 220));
  cv::putText(plot, "false rejects", {left + 10, top + 42}, cv::FONT_HERSHEY_SIMPLEX, 0.55,
              cv::Scalar(200, 90, 0));
  cv::putText(plot, "chosen " + format_fixed(chosen, 2), {x_of(chosen) + 6, top + 64},
              cv::FONT_HERSHEY_SIMPLEX, 0.55, cv::Scalar(0, 140, 0));
  auto png = camera::io::encode(".png", plot);
  if (!png) return png.error();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(png->data()), std::streamsize(png->size()));
  if (!out) return Error{Completion::kHardwareError, "cannot write " + path};
  return ok_status();
}

int calibrate(const FaceArgs& args) {
  auto pipeline = load_pipeline(args);
  if (!pipeline) return fail(2, pipeline.error().message);
  std::error_code ec;
  if (!fs::is_directory(args.dir, ec)) return fail(2, args.dir + " is not a folder");
  // A folder per person; every picture in it is that person.
  std::map<std::string, std::vector<face::Embedding>> people;
  std::vector<std::string> unusable;
  size_t pictures = 0;
  for (const auto& person : fs::directory_iterator(args.dir, ec)) {
    if (!person.is_directory()) continue;
    std::vector<fs::path> files;
    for (const auto& f : fs::directory_iterator(person.path(), ec))
      if (f.is_regular_file()) files.push_back(f.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (++pictures > 100000) return fail(2, "more than 100,000 pictures: calibrate in parts");
      auto s = sample_file(*pipeline.value(), f.string());
      if (!s) {
        unusable.push_back(printable(f.string()));
        continue;
      }
      people[person.path().filename().string()].push_back(s->embedding);
    }
  }
  std::vector<double> genuine, impostor;
  std::vector<std::pair<std::string, std::vector<face::Embedding>>> list(people.begin(),
                                                                         people.end());
  for (size_t p = 0; p < list.size(); ++p) {
    const auto& mine = list[p].second;
    for (size_t i = 0; i < mine.size(); ++i)
      for (size_t j = i + 1; j < mine.size(); ++j)
        genuine.push_back(face::distance(mine[i], mine[j]));
    for (size_t q = p + 1; q < list.size(); ++q)
      for (const auto& a : mine)
        for (const auto& b : list[q].second) impostor.push_back(face::distance(a, b));
  }
  for (auto& [name, embeddings] : people)
    for (auto& e : embeddings) face::wipe(e);
  if (impostor.empty()) return fail(2, "need pictures of at least two people");
  const auto rates = sweep(genuine, impostor);
  // The largest threshold whose false-accept rate stays within the target.
  double chosen = 0;
  for (const auto& r : rates)
    if (r.far <= args.far) chosen = r.threshold;
  const auto at = std::find_if(rates.begin(), rates.end(),
                               [&](const Rates& r) { return r.threshold >= chosen - 1e-9; });
  // Zero false accepts in n trials bounds the rate below 3/n at 95 % (the rule of three).
  const double resolvable = 3.0 / double(impostor.size());
  if (!args.plot.empty())
    if (auto s = draw_plot(rates, chosen, args.plot); !s) return fail(2, s.error().message);
  auto min_of = [](const std::vector<double>& v) {
    return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
  };
  auto max_of = [](const std::vector<double>& v) {
    return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
  };
  if (args.as_json) {
    json table = json::array();
    for (const auto& r : rates)
      if (int(std::lround(r.threshold * 100)) % 5 == 0)
        table.push_back({{"threshold", r.threshold}, {"far", r.far}, {"frr", r.frr}});
    std::cout << json{{"people", people.size()},
                      {"pictures", pictures},
                      {"unusable", unusable},
                      {"genuine_pairs", genuine.size()},
                      {"impostor_pairs", impostor.size()},
                      {"genuine_max", max_of(genuine)},
                      {"impostor_min", min_of(impostor)},
                      {"target_far", args.far},
                      {"threshold", chosen},
                      {"far_at_threshold", at->far},
                      {"frr_at_threshold", at->frr},
                      {"smallest_far_this_set_can_show", resolvable},
                      {"rates", table},
                      {"models", pipeline.value()->version()}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << people.size() << " people, " << pictures << " pictures (" << unusable.size()
              << " without a usable face), " << genuine.size() << " genuine and " << impostor.size()
              << " impostor pairs\n";
    std::cout << "threshold  false accepts  false rejects\n";
    for (const auto& r : rates)
      if (int(std::lround(r.threshold * 100)) % 5 == 0)
        std::cout << "  " << format_fixed(r.threshold, 2) << "       "
                  << format_fixed(100 * r.far, 2) << " %        " << format_fixed(100 * r.frr, 2)
                  << " %\n";
    std::cout << "threshold for false accepts <= " << format_fixed(100 * args.far, 3)
              << " %: " << format_fixed(chosen, 2) << " (false rejects there "
              << format_fixed(100 * at->frr, 2) << " %)\n";
    if (resolvable > args.far)
      std::cout << "note: " << impostor.size()
                << " impostor pairs cannot show a false-accept rate below "
                << format_fixed(100 * resolvable, 3) << " % (rule of three)\n";
  }
  return 0;
}

}  // namespace

void add_face_commands(CLI::App& app, int& rc) {
  static FaceArgs args;
  auto* group =
      app.add_subcommand("face", "人证核验: compare faces, check one at a camera, calibrate")
          ->require_subcommand(1);
  auto common = [&](CLI::App* c) {
    c->add_option("--models", args.models, "the converted models' folder (default: installed)");
    c->add_option("--threshold", args.threshold, "distance threshold (default: the shipped one)");
    c->add_flag("--json", args.as_json, "print JSON");
  };
  auto* cmp = group->add_subcommand(
      "compare", "are two pictures the same person? exit 0 yes, 1 no, 2 no usable face");
  cmp->add_option("IMAGE_A", args.a, "a picture (PNG, JPEG), as small as a chip photo")->required();
  cmp->add_option("IMAGE_B", args.b, "another")->required();
  common(cmp);
  cmp->callback([&rc] { rc = compare(args); });

  auto* chk = group->add_subcommand(
      "check", "the terminal's whole face check: quality, challenge, liveness, comparison");
  add_device_options(chk, args.device, "--source",
                     "a V4L2 device, or an image, video or image-sequence file (instead of the "
                     "config's face camera)");
  chk->add_option("--photo", args.photo, "the chip (or register) photo to compare with");
  chk->add_option("--actions", args.actions, "actions in the challenge (0 to 3)")
      ->check(CLI::Range(0, 3))
      ->capture_default_str();
  chk->add_option("--seconds", args.seconds, "give up after this long")->capture_default_str();
  chk->add_option("--challenge-seed", args.seed,
                  "draw the challenge from this seed (scripted "
                  "scenes); default: at random");
  common(chk);
  chk->callback([&rc] { rc = check(args); });

  auto* cal = group->add_subcommand(
      "calibrate", "error rates of a folder-per-person set, and the threshold for a target");
  cal->add_option("DIR", args.dir, "a folder per person, each holding their pictures")->required();
  cal->add_option("--far", args.far, "the false-accept rate to stay within")->capture_default_str();
  cal->add_option("--plot", args.plot, "draw the error curves into this PNG");
  common(cal);
  cal->callback([&rc] { rc = calibrate(args); });
}

}  // namespace smzc::kioskctl
