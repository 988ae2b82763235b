// 人证核验's costs: ms per frame for each model, the whole check from the face in view to the
// decision (machine time: the scripted person's frames are fed as fast as they are judged, so the
// citizen's own time to follow the challenge is not in it), and the memory after 1,000 checks.
#include <benchmark/benchmark.h>

#include <fstream>

#include "drivers/camera/scenes.h"
#include "face/check.h"
#include "face/face.h"
#include "tests/support/face_support.h"
#include "tests/support/test_support.h"

namespace smzc {
namespace {

const cv::Size k1080p(1920, 1080);

cv::Mat hopper_frame() {
  return camera::sim::face_frame(camera::sim::load_picture(camera::sim::kGraceHopper), k1080p, 0.8,
                                 {}, 3);
}

void BM_FaceDetectPer1080pFrame(benchmark::State& state) {
  auto& pipeline = testing::shared_pipeline();
  const cv::Mat frame = hopper_frame();
  for (auto _ : state)
    if (pipeline.detect(frame).size() != 1) state.SkipWithError("no face");
}
BENCHMARK(BM_FaceDetectPer1080pFrame)->Unit(benchmark::kMillisecond);

void BM_FaceLandmarks(benchmark::State& state) {
  auto& pipeline = testing::shared_pipeline();
  const cv::Mat frame = hopper_frame();
  const auto found = pipeline.detect(frame);
  for (auto _ : state)
    if (!pipeline.observe(frame, found.front())) state.SkipWithError("no landmarks");
}
BENCHMARK(BM_FaceLandmarks)->Unit(benchmark::kMillisecond);

void BM_FaceAlignAndEmbed(benchmark::State& state) {
  auto& pipeline = testing::shared_pipeline();
  const cv::Mat frame = hopper_frame();
  const auto face = pipeline.observe(frame, pipeline.detect(frame).front());
  for (auto _ : state) benchmark::DoNotOptimize(pipeline.embed(pipeline.align(frame, *face)));
}
BENCHMARK(BM_FaceAlignAndEmbed)->Unit(benchmark::kMillisecond);

void BM_ChipPhotoToEmbedding(benchmark::State& state) {
  auto& pipeline = testing::shared_pipeline();
  cv::Mat chip;
  const cv::Mat hopper = camera::sim::load_picture(camera::sim::kGraceHopper);
  cv::resize(hopper, chip, {102, 126}, 0, 0, cv::INTER_AREA);
  for (auto _ : state)
    if (!pipeline.sample(chip)) state.SkipWithError("no face in the chip photo");
}
BENCHMARK(BM_ChipPhotoToEmbedding)->Unit(benchmark::kMillisecond);

// The whole check: good frames, a two-action challenge, the confirming frame and the comparison
// with the chip photo, on the frames a person following it gives (1080p).
void BM_WholeFaceCheck(benchmark::State& state) {
  auto& pipeline = testing::shared_pipeline();
  const cv::Mat hopper = camera::sim::load_picture(camera::sim::kGraceHopper);
  const auto challenge = face::draw_challenge(11);
  std::vector<std::string> actions;
  for (auto a : challenge) actions.push_back(face::to_string(a));
  const auto frames =
      camera::sim::person_following(hopper, testing::layout_of(pipeline, hopper), k1080p, actions);
  cv::Mat chip_photo;
  cv::resize(hopper, chip_photo, {102, 126}, 0, 0, cv::INTER_AREA);
  int frames_judged = 0;
  for (auto _ : state) {
    face::LiveCheck check(pipeline, {.challenge = challenge});
    auto t = std::chrono::steady_clock::now();
    face::LiveCheck::Verdict v = face::LiveCheck::Verdict::kContinue;
    for (const auto& f : frames) {
      v = check.add(f, t);
      ++frames_judged;
      if (v != face::LiveCheck::Verdict::kContinue) break;
    }
    if (v != face::LiveCheck::Verdict::kPassed) state.SkipWithError("the check did not pass");
    auto chip = pipeline.sample(chip_photo);
    if (!chip || face::distance(chip->embedding, check.embedding()) > face::kDefaultThreshold)
      state.SkipWithError("not matched");
  }
  state.counters["frames_per_check"] =
      benchmark::Counter(double(frames_judged), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_WholeFaceCheck)->Unit(benchmark::kMillisecond)->Iterations(5);

// Memory after 1,000 checks (each the good frames and a comparison: the challenge's extra frames
// cost time, not memory), against after 50.
void BM_MemoryAfter1000FaceChecks(benchmark::State& state) {
  auto& pipeline = testing::shared_pipeline();
  const auto frames = camera::sim::living_person(
      camera::sim::load_picture(camera::sim::kGraceHopper), {1280, 720}, 4);
  long after_50 = 0, after_1000 = 0;
  for (auto _ : state) {
    for (int i = 1; i <= 1000; ++i) {
      face::LiveCheck check(pipeline, {});
      auto t = std::chrono::steady_clock::now();
      for (const auto& f : frames)
        if (check.add(f, t) != face::LiveCheck::Verdict::kContinue) break;
      if (!check.liveness().passed) state.SkipWithError("the check did not pass");
      if (i == 50) after_50 = testing::rss_kib();
    }
    after_1000 = testing::rss_kib();
  }
  state.counters["rss_after_50_kib"] = double(after_50);
  state.counters["rss_after_1000_kib"] = double(after_1000);
}
BENCHMARK(BM_MemoryAfter1000FaceChecks)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace smzc
