// What the cameras see: the face check and its liveness gate on real portraits, QR codes made by
// an encoder and degraded, a page photographed at an angle, and the files a capture becomes.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "drivers/camera/analysis.h"
#include "drivers/camera/scenes.h"
#include "tests/support/test_support.h"

namespace smzc::camera {
namespace {

using camera::sim::face_frame;
using camera::sim::load_picture;

const cv::Size k720p(1280, 720);

class FaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = FaceDetector::load();
    ASSERT_TRUE(loaded) << loaded.error().message;
    detector_.emplace(std::move(loaded.value()));
    hopper_ = load_picture(camera::sim::kGraceHopper);
  }
  Advice advice_for(const cv::Mat& frame) { return assess_face(*detector_, frame).advice; }

  std::optional<FaceDetector> detector_;
  cv::Mat hopper_;
};

TEST_F(FaceTest, AFaceInFrontOfTheCameraIsGood) {
  const auto finding = assess_face(*detector_, face_frame(hopper_, k720p, 0.85));
  EXPECT_EQ(finding.advice, Advice::kGood);
  EXPECT_GT(finding.face.height, 0.22 * k720p.height);
}

TEST_F(FaceTest, EachProblemGetsItsOneInstruction) {
  EXPECT_EQ(advice_for(cv::Mat(k720p, CV_8UC3, cv::Scalar(120, 130, 125))), Advice::kNoFace);
  EXPECT_EQ(advice_for(cv::Mat(k720p, CV_8UC3, cv::Scalar(12, 12, 12))), Advice::kTooDark);
  EXPECT_EQ(advice_for(face_frame(hopper_, k720p, 0.35)), Advice::kComeCloser);
  EXPECT_EQ(advice_for(face_frame(hopper_, k720p, 0.85, {380, 0})), Advice::kMoveToCentre);

  cv::Mat dim = face_frame(hopper_, k720p, 0.85) * 0.3;
  EXPECT_EQ(advice_for(dim), Advice::kTooDark);
  cv::Mat glaring;
  face_frame(hopper_, k720p, 0.85).convertTo(glaring, -1, 1.0, 140);
  EXPECT_EQ(advice_for(glaring), Advice::kTooBright);

  cv::Mat blurred;
  cv::GaussianBlur(face_frame(hopper_, k720p, 0.85), blurred, {0, 0}, 5);
  EXPECT_EQ(advice_for(blurred), Advice::kHoldStill);

  // Two people side by side.
  cv::Mat two(k720p, CV_8UC3, cv::Scalar(120, 130, 125));
  cv::Mat person = face_frame(hopper_, {640, 720}, 0.8);
  person.copyTo(two(cv::Rect(0, 0, 640, 720)));
  person.copyTo(two(cv::Rect(640, 0, 640, 720)));
  EXPECT_EQ(advice_for(two), Advice::kSeveralFaces);
}

TEST_F(FaceTest, ALivingPersonPassesAndTheSharpestFrameIsKept) {
  FaceCheck check(*detector_);
  auto verdict = FaceCheck::Verdict::kContinue;
  int frames = 0;
  for (const auto& frame : camera::sim::living_person(hopper_, k720p, 12)) {
    ++frames;
    verdict = check.add(frame);
    if (verdict != FaceCheck::Verdict::kContinue) break;
  }
  EXPECT_EQ(verdict, FaceCheck::Verdict::kPassed);
  EXPECT_EQ(frames, 5);
  ASSERT_FALSE(check.best().empty());
  EXPECT_EQ(check.best().size(), k720p);
  check.clear();
  EXPECT_TRUE(check.best().empty());
}

TEST_F(FaceTest, AStillPhotographHeldUpIsRefused) {
  FaceCheck check(*detector_);
  auto verdict = FaceCheck::Verdict::kContinue;
  Advice advice = Advice::kGood;
  for (const auto& frame : camera::sim::still_photograph(hopper_, k720p, 12)) {
    verdict = check.add(frame, &advice);
    if (verdict != FaceCheck::Verdict::kContinue) break;
  }
  EXPECT_EQ(verdict, FaceCheck::Verdict::kRefused);
  EXPECT_EQ(advice, Advice::kNotLive);
  EXPECT_TRUE(check.best().empty()) << "a refused check keeps no frame";
}

TEST_F(FaceTest, FramesThatAreNotGoodNeverCountTowardsThePass) {
  FaceCheck check(*detector_);
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(check.add(face_frame(hopper_, k720p, 0.35, {double(i), 0}, 50 + i)),
              FaceCheck::Verdict::kContinue);
  EXPECT_TRUE(check.best().empty());
}

TEST(QrTest, ReadsACodeAsEncodedWarpedBlurredAndSmall) {
  const std::string text = "SMZC-EID1.eyJ2IjoxfQ.c2lnbmF0dXJl";
  const cv::Mat code = camera::sim::qr_image(text, 8);
  EXPECT_EQ(decode_qr(code), std::vector<std::string>{text});

  const cv::Size size(1280, 720);
  const cv::Mat skewed = camera::sim::photograph(
      code, size, {{480, 160}, {820, 200}, {800, 560}, {460, 520}}, 0, cv::Scalar(200, 200, 200));
  EXPECT_EQ(decode_qr(skewed), std::vector<std::string>{text});
  const cv::Mat blurred = camera::sim::photograph(
      code, size, {{480, 160}, {820, 200}, {800, 560}, {460, 520}}, 2, cv::Scalar(200, 200, 200));
  EXPECT_EQ(decode_qr(blurred), std::vector<std::string>{text});
  const cv::Mat small = camera::sim::photograph(
      code, size, {{600, 300}, {740, 300}, {740, 440}, {600, 440}}, 0, cv::Scalar(200, 200, 200));
  EXPECT_EQ(decode_qr(small), std::vector<std::string>{text});
}

TEST(QrTest, NothingIsReadFromFramesWithoutACode) {
  EXPECT_TRUE(decode_qr(cv::Mat()).empty());
  EXPECT_TRUE(decode_qr(cv::Mat(720, 1280, CV_8UC3, cv::Scalar(0, 0, 0))).empty());
  EXPECT_TRUE(decode_qr(load_picture(camera::sim::kGraceHopper)).empty());
}

TEST(QrTest, ACodeLongerThanTheLimitIsIgnored) {
  const std::string text(600, 'A');
  EXPECT_EQ(decode_qr(camera::sim::qr_image(text, 4)).size(), 1u);
  EXPECT_TRUE(decode_qr(camera::sim::qr_image(text, 4), 100).empty());
}

const std::vector<cv::Point2f> kPageAtAnAngle = {{420, 120}, {1010, 160}, {1060, 1000}, {360, 960}};

TEST(PageTest, APagePhotographedAtAnAngleIsFoundAndFlattenedToA4) {
  const cv::Mat page = camera::sim::printed_page();
  const cv::Mat frame = camera::sim::photograph(page, {1440, 1080}, kPageAtAnAngle);
  const PageFinding finding = find_page(frame);
  ASSERT_EQ(finding.advice, Advice::kGood);
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(finding.corners[i].x, kPageAtAnAngle[i].x, 8) << "corner " << i;
    EXPECT_NEAR(finding.corners[i].y, kPageAtAnAngle[i].y, 8) << "corner " << i;
  }
  const cv::Mat flat = flatten_page(frame, finding.corners, 150);
  EXPECT_EQ(flat.size(), cv::Size(1240, 1754));
  // The flattened page matches what was printed.
  cv::Mat expected, got;
  cv::resize(page, expected, flat.size());
  cv::cvtColor(expected, expected, cv::COLOR_BGR2GRAY);
  cv::cvtColor(flat, got, cv::COLOR_BGR2GRAY);
  cv::Mat difference;
  cv::absdiff(expected, got, difference);
  EXPECT_LT(cv::mean(difference)[0], 12);
}

TEST(PageTest, APageLyingOnItsSideComesOutUpright) {
  cv::Mat sideways;
  cv::rotate(camera::sim::printed_page(), sideways, cv::ROTATE_90_CLOCKWISE);
  const cv::Mat frame = camera::sim::photograph(sideways, {1440, 1080},
                                                {{200, 250}, {1250, 230}, {1270, 980}, {180, 960}});
  const PageFinding finding = find_page(frame);
  ASSERT_EQ(finding.advice, Advice::kGood);
  EXPECT_EQ(flatten_page(frame, finding.corners, 100).size(), cv::Size(827, 1169));
}

TEST(PageTest, ProblemsWithThePageAreSaid) {
  const cv::Mat page = camera::sim::printed_page();
  EXPECT_EQ(find_page(cv::Mat(1080, 1440, CV_8UC3, cv::Scalar(60, 55, 50))).advice,
            Advice::kNoPage);
  EXPECT_EQ(find_page(cv::Mat(1080, 1440, CV_8UC3, cv::Scalar(5, 5, 5))).advice, Advice::kTooDark);
  const cv::Mat cut = camera::sim::photograph(page, {1440, 1080},
                                              {{420, -200}, {1010, -160}, {1060, 900}, {360, 860}});
  EXPECT_EQ(find_page(cut).advice, Advice::kPageCut);
  EXPECT_EQ(find_page(camera::sim::photograph(page, {1440, 1080}, kPageAtAnAngle, 6)).advice,
            Advice::kHoldStill);
  cv::Mat glare = camera::sim::photograph(page, {1440, 1080}, kPageAtAnAngle);
  cv::circle(glare, {700, 500}, 120, cv::Scalar(255, 255, 255), cv::FILLED);
  EXPECT_EQ(find_page(glare).advice, Advice::kGlare);
}

TEST(CaptureFilesTest, PngAndJpegCarryTheirResolution) {
  const cv::Mat page = camera::sim::printed_page();
  auto png = encode_image(page, "png", 150);
  ASSERT_TRUE(png);
  const auto at = png->find("pHYs");
  ASSERT_NE(at, std::string::npos);
  auto be32 = [&](size_t i) {
    return uint32_t(uint8_t(png.value()[i])) << 24 | uint32_t(uint8_t(png.value()[i + 1])) << 16 |
           uint32_t(uint8_t(png.value()[i + 2])) << 8 | uint32_t(uint8_t(png.value()[i + 3]));
  };
  EXPECT_EQ(be32(at + 4), 5906u);  // 150 dpi in pixels per metre
  EXPECT_EQ(png->at(at + 12), 1);
  // The file is still a PNG any decoder reads (the chunk's CRC is right).
  const std::string file = ::testing::TempDir() + "/page.png";
  std::ofstream(file, std::ios::binary) << png.value();
  EXPECT_EQ(cv::imread(file).size(), page.size());
  EXPECT_NE(testing::run("file " + file).find("PNG image data"), std::string::npos);

  auto jpeg = encode_image(page, "jpeg", 300);
  ASSERT_TRUE(jpeg);
  const std::string jfile = ::testing::TempDir() + "/page.jpg";
  std::ofstream(jfile, std::ios::binary) << jpeg.value();
  EXPECT_NE(testing::run("file " + jfile).find("density 300x300"), std::string::npos);
  EXPECT_FALSE(encode_image(page, "gif", 150));
  EXPECT_FALSE(encode_image(page, "png", 0));
}

TEST(CaptureFilesTest, SeveralPagesMakeOnePdf) {
  const cv::Mat page = camera::sim::printed_page();
  auto pdf = images_to_pdf({page, page, page});
  ASSERT_TRUE(pdf);
  const std::string file = ::testing::TempDir() + "/pages.pdf";
  std::ofstream(file, std::ios::binary) << pdf.value();
  EXPECT_NE(testing::run("pdfinfo " + file + " | grep Pages:").find(" 3\n"), std::string::npos);
  EXPECT_FALSE(images_to_pdf({}));
}

}  // namespace
}  // namespace smzc::camera
