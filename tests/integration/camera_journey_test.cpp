// The citizen's journey with the cameras and the scanner, through the engine: 人证核验 before an
// item flagged for it, identification by e-ID code, a paper material from the scanner or the
// document camera — on the real camera driver replaying sequences, SANE's test scanner and the
// reference backend; and nothing of a face or a page is left behind.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "drivers/camera/camera.h"
#include "drivers/camera/scenes.h"
#include "drivers/scanner/scanner.h"
#include "face/check.h"
#include "tests/support/face_support.h"
#include "tests/support/simulated_terminal.h"

namespace smzc::services {
namespace {

namespace fs = std::filesystem;

class CameraJourneyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setenv("SANE_CONFIG_DIR", (testing::source_dir() / "drivers/scanner/sim").c_str(), 1);
  }

  // A terminal whose face camera shows `face_frames`, with a document camera showing a page
  // and, when `with_scanner`, SANE's test scanner.
  void open(const std::vector<cv::Mat>& face_frames, bool with_scanner = false) {
    std::vector<std::unique_ptr<Device>> more;
    more.push_back(std::make_unique<camera::OpenCvCamera>(
        "face", camera::OpenCvCamera::Options{
                    .address = "file:" + camera::sim::write_sequence(dir_ / "face", face_frames),
                    .file_fps = 0}));
    const cv::Mat page =
        camera::sim::photograph(camera::sim::printed_page(), {1440, 1080},
                                {{420, 120}, {1010, 160}, {1060, 1000}, {360, 960}});
    more.push_back(std::make_unique<camera::OpenCvCamera>(
        "document",
        camera::OpenCvCamera::Options{
            .address = "file:" + camera::sim::write_sequence(dir_ / "page", {page, page, page}),
            .file_fps = 0}));
    if (with_scanner) more.push_back(std::make_unique<scanner::SaneScanner>("scanner", "test:0"));
    auto t = testing::FakeTerminal::start(dir_ / "terminal", true, &testing::test_clock(),
                                          std::move(more), {{"document", "document"}});
    ASSERT_TRUE(t) << t.error().message;
    terminal_ = std::move(t.value());
    terminal_->parts.terminal->devices().poll_all();
  }
  TransactionEngine& engine() { return terminal_->engine(); }
  ServiceItem item(const std::string& code) {
    auto cat = engine().catalogue();
    EXPECT_TRUE(cat) << cat.error().message;
    for (const auto& i : cat->items)
      if (i.code == code) return i;
    ADD_FAILURE() << "no item " << code;
    return {};
  }
  void identify_by_card() {
    terminal_->reader->lay(terminal_->card());
    auto citizen = engine().identify();
    ASSERT_TRUE(citizen) << citizen.error().message;
  }
  // Image and document files anywhere under the test's folder.
  std::vector<std::string> pictures_on_disk() const {
    std::vector<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(dir_ / "terminal")) {
      const auto ext = e.path().extension();
      if (ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".pdf")
        found.push_back(e.path().string());
    }
    return found;
  }

  // `portrait`'s person in front of the camera, following the challenge of try `attempt` (and
  // only that one), then standing still.
  static std::vector<cv::Mat> following(const cv::Mat& portrait, int tries = 1) {
    return testing::following_challenges(portrait, testing::SimulatedTerminal::kChallengeSeed,
                                         tries);
  }
  // The face check's record in the journal, the last one.
  nlohmann::json face_record() {
    auto entries = terminal_->parts.journal->entries(engine().current().transaction_id);
    EXPECT_TRUE(entries);
    nlohmann::json found;
    for (const auto& e : entries.value())
      if (e.step == "face_check.result") found = nlohmann::json::parse(e.detail);
    return found;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::FakeTerminal> terminal_;
};

TEST_F(CameraJourneyTest, AFlaggedItemChecksTheLiveFaceFirstThenPrints) {
  open(following(camera::sim::load_picture(camera::sim::kGraceHopper)));
  identify_by_card();
  const ServiceItem household = item("NH-GA-0001");  // 户籍证明, flagged face_check
  ASSERT_TRUE(household.face_check);
  std::vector<camera::Advice> shown;
  engine().set_preview([&](const cv::Mat& frame, camera::Advice a) {
    EXPECT_FALSE(frame.empty());
    if (shown.empty() || shown.back() != a) shown.push_back(a);
  });
  std::vector<Step> seen;
  Outcome outcome = engine().process(household, [&](Step s) { seen.push_back(s); });
  ASSERT_EQ(outcome.status, OutcomeStatus::kPrinted) << outcome.reason;
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front(), Step::kFaceCheck);
  // The citizen was asked for this session's two actions, in order.
  const auto challenge = face::draw_challenge(testing::SimulatedTerminal::kChallengeSeed);
  std::vector<camera::Advice> asked;
  for (auto a : shown)
    if (a >= camera::Advice::kTurnLeft && a <= camera::Advice::kOpenMouth) asked.push_back(a);
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_EQ(shown.back(), camera::Advice::kGood);
  EXPECT_EQ(terminal_->printer->jobs().size(), 1u);
  // Both comparisons ran: the chip photo on the terminal, the register photo at the platform.
  ASSERT_TRUE(outcome.face_check);
  EXPECT_EQ(outcome.face_check->decision, "matched");
  EXPECT_EQ(outcome.face_check->local, "matched");
  EXPECT_EQ(outcome.face_check->platform, "matched");
  ASSERT_TRUE(outcome.face_check->local_score);
  EXPECT_LE(*outcome.face_check->local_score, *outcome.face_check->local_threshold);
  EXPECT_TRUE(outcome.face_check->liveness.passed);
  // The journal keeps the decision, scores, liveness and models, never a face.
  const auto record = face_record();
  EXPECT_EQ(record["decision"], "matched");
  EXPECT_EQ(record["liveness"]["followed"], 2);
  EXPECT_FALSE(record["models"].get<std::string>().empty());
  // The camera was let go: no frame of the citizen is kept waiting.
  auto* face = terminal_->parts.terminal->devices().camera("face");
  EXPECT_EQ(face->next_frame(after(std::chrono::seconds(1)), {}).code(), Completion::kUserError);
  engine().end_session();
  EXPECT_TRUE(pictures_on_disk().empty()) << pictures_on_disk().front();
}

TEST_F(CameraJourneyTest, AnotherPersonIsRefusedOnTheTerminalAndNothingIsSent) {
  // Someone else holds the card: they follow every challenge, three times.
  open(following(testing::another_person(), 3));
  identify_by_card();
  const ServiceItem household = item("NH-GA-0001");
  const size_t applications = terminal_->backend->application_count();
  const size_t requests = terminal_->backend->requests_received();
  Outcome outcome = engine().process(household);
  EXPECT_EQ(outcome.status, OutcomeStatus::kFailed);
  EXPECT_EQ(outcome.failed_step, Step::kFaceCheck);
  EXPECT_EQ(outcome.notice, Notice::kFaceNotMatched);
  ASSERT_TRUE(outcome.face_check);
  EXPECT_EQ(outcome.face_check->local, "not-matched");
  EXPECT_EQ(outcome.face_check->platform, "not-asked");
  EXPECT_EQ(outcome.face_check->attempts, 3);
  EXPECT_EQ(terminal_->backend->requests_received(), requests) << "nothing was sent";
  EXPECT_EQ(terminal_->backend->application_count(), applications);
  EXPECT_TRUE(terminal_->printer->jobs().empty());
}

TEST_F(CameraJourneyTest, ThePlatformDecidesWhenTheTerminalCannotReadTheChipPhoto) {
  open(following(camera::sim::load_picture(camera::sim::kGraceHopper)));
  // A terminal without the vendor's WLT library.
  terminal_.reset();
  auto t = testing::FakeTerminal::start(
      dir_ / "terminal2", true, &testing::test_clock(),
      [&] {
        std::vector<std::unique_ptr<Device>> more;
        more.push_back(std::make_unique<camera::OpenCvCamera>(
            "face",
            camera::OpenCvCamera::Options{
                .address = "file:" + (dir_ / "face" / "%03d.png").string(), .file_fps = 0}));
        return more;
      }(),
      {}, [](Config& c) { c.face.photo_library.clear(); });
  ASSERT_TRUE(t) << t.error().message;
  terminal_ = std::move(t.value());
  identify_by_card();
  Outcome outcome = engine().process(item("NH-GA-0001"));
  ASSERT_EQ(outcome.status, OutcomeStatus::kPrinted) << outcome.reason;
  EXPECT_EQ(outcome.face_check->local, "no-decoder");
  EXPECT_EQ(outcome.face_check->platform, "matched");
  EXPECT_EQ(terminal_->parts.terminal->photo_decoder_state(), "none configured");
}

// A site's certified engine plugged in (face/smzc_face_plugin.h): its verdicts decide on the
// terminal, and the platform still has the last word.
TEST_F(CameraJourneyTest, APluggedInEngineDecidesOnTheTerminal) {
  auto with_plugins = [&](const std::vector<cv::Mat>& frames, const char* match,
                          const char* liveness) {
    setenv("SMZC_TEST_MATCH", match, 1);
    setenv("SMZC_TEST_LIVENESS", liveness, 1);
    camera::sim::write_sequence(dir_ / "face", frames);
    terminal_.reset();
    std::vector<std::unique_ptr<Device>> more;
    more.push_back(std::make_unique<camera::OpenCvCamera>(
        "face", camera::OpenCvCamera::Options{
                    .address = "file:" + (dir_ / "face" / "%03d.png").string(), .file_fps = 0}));
    auto t =
        testing::FakeTerminal::start(dir_ / ("terminal-" + std::string(match) + liveness), true,
                                     &testing::test_clock(), std::move(more), {}, [](Config& c) {
                                       c.face.matcher_plugin = SMZC_TEST_FACE_PLUGIN;
                                       c.face.liveness_plugin = SMZC_TEST_FACE_PLUGIN;
                                     });
    EXPECT_TRUE(t) << t.error().message;
    terminal_ = std::move(t.value());
    identify_by_card();
    return engine().process(item("NH-GA-0001"));
  };
  const cv::Mat hopper = camera::sim::load_picture(camera::sim::kGraceHopper);
  // The holder, whom the plug-in takes for someone else: refused on the terminal.
  Outcome refused = with_plugins(following(hopper, 3), "other", "live");
  EXPECT_EQ(refused.notice, Notice::kFaceNotMatched);
  EXPECT_EQ(refused.face_check->matcher, "test plug-in 1.0");
  EXPECT_EQ(refused.face_check->local, "not-matched");
  EXPECT_EQ(*refused.face_check->local_score, 0.12);
  // Another person the plug-in lets through: the platform's register photo refuses them.
  Outcome platform = with_plugins(following(testing::another_person(), 3), "same", "live");
  EXPECT_EQ(platform.notice, Notice::kFaceNotMatched);
  EXPECT_EQ(platform.face_check->local, "matched");
  EXPECT_EQ(platform.face_check->platform, "not-matched");
  // The challenge followed, but the plug-in finds an attack.
  Outcome attack = with_plugins(following(hopper, 3), "same", "attack");
  EXPECT_EQ(attack.notice, Notice::kFaceCheckFailed);
  EXPECT_EQ(attack.face_check->liveness_plugin, "attack");
  // Both say yes: printed.
  Outcome printed = with_plugins(following(hopper), "same", "live");
  EXPECT_EQ(printed.status, OutcomeStatus::kPrinted) << printed.reason;
  EXPECT_EQ(printed.face_check->liveness_plugin, "live");
  unsetenv("SMZC_TEST_MATCH");
  unsetenv("SMZC_TEST_LIVENESS");
}

// 办理进度: the citizen's applications are the platform's to serve once it has verified the
// person at this terminal (a citizen session): the face check runs before the list, another
// person with the card gets nothing, and a certificate decided since is collected once.
TEST_F(CameraJourneyTest, ACitizenFindsTheirApplicationsOnceTheirFaceIsVerified) {
  open(following(camera::sim::load_picture(camera::sim::kGraceHopper)));
  const auto& card = terminal_->card();
  services::BackendClient client(terminal_->backend->base_url());
  auto made = client.submit(
      "NH-SB-0001", {card.id_number, card.name, card.valid_to, card.birth_date, {}, {}, {}, {}},
      "presence-list");
  ASSERT_TRUE(made && made->status == "approved");

  identify_by_card();
  std::vector<Step> seen;
  auto mine = engine().my_applications([&](Step s) { seen.push_back(s); });
  ASSERT_TRUE(mine) << mine.error().message;
  EXPECT_EQ(seen, std::vector<Step>{Step::kFaceCheck}) << "the face first";
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(terminal_->backend->citizen_sessions(), 1u);
  const Outcome collected = engine().collect_certificate(mine->front());
  ASSERT_EQ(collected.status, OutcomeStatus::kPrinted) << collected.reason;
  auto again = engine().my_applications();  // within the same session: no second check
  ASSERT_TRUE(again && again->size() == 1u);
  EXPECT_FALSE(again->front().collectable());
  // The citizen leaves; the session ends while the terminal is idle.
  engine().end_session();
  ASSERT_TRUE(engine().drain_queue());
  EXPECT_EQ(terminal_->backend->citizen_sessions(), 0u);
}

TEST_F(CameraJourneyTest, SomeoneElseWithTheCardSeesNothingOfTheirs) {
  open(following(testing::another_person(), 3));
  identify_by_card();
  auto theirs = engine().my_applications();
  ASSERT_FALSE(theirs);
  EXPECT_EQ(engine().current().notice, Notice::kFaceNotMatched);
  EXPECT_EQ(terminal_->backend->citizen_sessions(), 0u);
}

TEST_F(CameraJourneyTest, APhotographHeldUpIsRefusedAndNothingIsApplied) {
  open(camera::sim::still_photograph(camera::sim::load_picture(camera::sim::kGraceHopper),
                                     {1280, 720}, 12));
  identify_by_card();
  const size_t before = terminal_->backend->application_count();
  Outcome outcome = engine().process(item("NH-GA-0001"));
  EXPECT_EQ(outcome.status, OutcomeStatus::kFailed);
  EXPECT_EQ(outcome.failed_step, Step::kFaceCheck);
  EXPECT_EQ(outcome.notice, Notice::kFaceCheckFailed);
  EXPECT_EQ(outcome.face_check->attempts, 3);
  EXPECT_EQ(terminal_->backend->application_count(), before);
  EXPECT_TRUE(terminal_->printer->jobs().empty());
}

TEST_F(CameraJourneyTest, AnItemWithoutTheFlagNeverTouchesTheCamera) {
  open(camera::sim::still_photograph(camera::sim::load_picture(camera::sim::kGraceHopper),
                                     {1280, 720}, 3));
  identify_by_card();
  int frames = 0;
  engine().set_preview([&](const cv::Mat&, camera::Advice) { ++frames; });
  Outcome outcome = engine().process(item("NH-SB-0001"));
  EXPECT_EQ(outcome.status, OutcomeStatus::kPrinted) << outcome.reason;
  EXPECT_EQ(frames, 0);
}

TEST_F(CameraJourneyTest, AnEidCodeOnAPhoneIdentifiesTheCitizenOnce) {
  open({});  // the camera's frames are written below, once the backend has issued the code
  const auto& card = terminal_->card();
  auto code = terminal_->backend->issue_eid(
      {{"id_number", card.id_number}, {"name", card.name}, {"valid_to", card.valid_to}});
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(code->find(card.id_number), std::string::npos) << "the code carries no ID number";
  const cv::Mat phone = camera::sim::photograph(camera::sim::qr_image(code.value(), 6), {1280, 720},
                                                {{420, 120}, {860, 140}, {850, 590}, {410, 570}}, 1,
                                                cv::Scalar(90, 90, 90));
  const cv::Mat blank(720, 1280, CV_8UC3, cv::Scalar(90, 90, 90));
  camera::sim::write_sequence(dir_ / "face", {blank, blank, phone});

  auto citizen = engine().identify_by_code();
  ASSERT_TRUE(citizen) << citizen.error().message;
  EXPECT_EQ(citizen->masked_id_number, "440605********2315");
  EXPECT_EQ(citizen->masked_name, "陈**");
  EXPECT_EQ(engine().process(item("NH-SB-0001")).status, OutcomeStatus::kPrinted);
  engine().end_session();

  // The same code again (a screenshot, say) is refused.
  auto again = engine().identify_by_code();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.code(), Completion::kUserError);
  EXPECT_EQ(engine().current().notice, Notice::kIdentityRefused);
  engine().end_session();

  // No code in sight: the wait ends when the frames do, with nothing identified.
  camera::sim::write_sequence(dir_ / "face", {blank, blank, blank});
  auto none = engine().identify_by_code();
  ASSERT_FALSE(none);
  EXPECT_EQ(engine().current().notice, Notice::kCodeUnreadable);
}

TEST_F(CameraJourneyTest, AScannedMaterialAndAFaceCheckCarryAManualItemToItsReceipt) {
  open(following(camera::sim::load_picture(camera::sim::kGraceHopper)), /*with_scanner=*/true);
  identify_by_card();
  const ServiceItem withdrawal = item("NH-GJJ-0003");  // 公积金提取(租房): lease scanned, face
  ASSERT_TRUE(withdrawal.face_check);
  // Without the lease the application is incomplete.
  EXPECT_EQ(engine().process(withdrawal).status, OutcomeStatus::kIncomplete);

  auto lease = engine().capture(withdrawal.materials.front());
  ASSERT_TRUE(lease) << lease.error().message;
  EXPECT_EQ(lease->format, "png");
  EXPECT_EQ(lease->pages, 1);
  EXPECT_FALSE(lease->first_page.empty());
  ApplicationInput input;
  input.fields["phone"] = "13800138000";
  input.scans[withdrawal.materials.front().name] = lease->bytes;
  lease->wipe();
  EXPECT_TRUE(lease->bytes.empty());
  Outcome outcome = engine().process(withdrawal, input);
  EXPECT_EQ(outcome.status, OutcomeStatus::kSubmitted) << outcome.reason;
  EXPECT_EQ(terminal_->printer->jobs().size(), 1u) << "the receipt printed";
  engine().end_session();
  EXPECT_TRUE(pictures_on_disk().empty()) << pictures_on_disk().front();
}

TEST_F(CameraJourneyTest, WithoutAScannerThePageComesFromTheDocumentCameraFlattened) {
  open({});
  identify_by_card();
  std::vector<camera::Advice> shown;
  engine().set_preview([&](const cv::Mat&, camera::Advice a) { shown.push_back(a); });
  auto page = engine().capture({"lease", "租赁合同", "scan", true});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->first_page.size(), cv::Size(1240, 1754));  // A4 at 150 dpi
  EXPECT_EQ(shown, (std::vector<camera::Advice>{camera::Advice::kGood, camera::Advice::kGood}));
  page->wipe();
  engine().end_session();
  EXPECT_TRUE(pictures_on_disk().empty());
}

TEST_F(CameraJourneyTest, AScannerFaultIsTheCitizensToHearAndNothingIsCaptured) {
  open({}, /*with_scanner=*/true);
  identify_by_card();
  auto* s = dynamic_cast<scanner::SaneScanner*>(terminal_->parts.terminal->devices().scanner());
  ASSERT_NE(s, nullptr);
  s->set_backend_option("read-return-value", "SANE_STATUS_COVER_OPEN");
  auto page = engine().capture({"lease", "租赁合同", "scan", true});
  ASSERT_FALSE(page);
  EXPECT_EQ(page.code(), Completion::kUserError);
  EXPECT_TRUE(s->status().cover_open);
  // While the scanner cannot serve, the document camera takes the page.
  EXPECT_TRUE(engine().capture({"lease", "租赁合同", "scan", true}));
  // Closed again, the scanner works (and its backend forgets the forced fault).
  s->set_backend_option("read-return-value", "Default");
  EXPECT_TRUE(s->scan({}, after(std::chrono::seconds(30)), {}));
  EXPECT_FALSE(s->status().cover_open);
}

}  // namespace
}  // namespace smzc::services
