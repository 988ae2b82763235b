// Fleet health: the terminal's heartbeat on a real mosquitto broker, its last will, and the fleet
// service's view of many terminals (tests/fleet/ drives the page in Chromium).
#include <signal.h>

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>

#include "base/mqtt.h"
#include "fleet/fleet_service.h"
#include "services/heartbeat.h"
#include "tests/support/mosquitto.h"
#include "tests/support/simulated_terminal.h"
#include "tests/support/test_support.h"

namespace smzc::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Everything a broker delivers on the topics asked for, to wait on.
class Listener {
 public:
  Listener(int port, const std::string& pattern) {
    auto client = mqtt::Client::start("test-listener", {.port = port}, std::nullopt,
                                      [this](const mqtt::Message& m) {
                                        {
                                          std::lock_guard lock(mutex_);
                                          messages_.push_back(m);
                                        }
                                        changed_.notify_all();
                                      });
    EXPECT_TRUE(client) << client.error().message;
    client_ = std::move(client.value());
    EXPECT_TRUE(client_->subscribe(pattern));
  }
  // The first message on a topic ending in `leaf` whose JSON satisfies `match`, waiting at most
  // 30 s (a failure then, not a hang).
  std::optional<json> wait_for(const std::string& leaf,
                               const std::function<bool(const json&)>& match) {
    std::unique_lock lock(mutex_);
    std::optional<json> found;
    changed_.wait_for(lock, 30s, [&] {
      for (const auto& m : messages_) {
        if (m.topic.size() < leaf.size() ||
            m.topic.compare(m.topic.size() - leaf.size(), leaf.size(), leaf) != 0)
          continue;
        json j = json::parse(m.payload, nullptr, false);
        if (!j.is_discarded() && match(j)) {
          found = j;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  std::vector<mqtt::Message> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<mqtt::Message> messages_;
  std::unique_ptr<mqtt::Client> client_;
};

bool has_alert(const json& alerts, const std::string& code, const std::string& device) {
  for (const auto& a : alerts)
    if (a.value("code", "") == code && a.value("device", "") == device) return true;
  return false;
}

struct HeartbeatTest : ::testing::Test {
  TempDir dir;
  std::unique_ptr<MosquittoBroker> broker;
  std::unique_ptr<FakeTerminal> terminal;

  void SetUp() override {
    auto b = MosquittoBroker::start(dir / "broker");
    ASSERT_TRUE(b) << b.error().message;
    broker = std::move(b.value());
    auto t = FakeTerminal::start(dir.path(), true, &test_clock(), {}, {}, [&](services::Config& c) {
      c.mqtt.broker.host = "127.0.0.1";
      c.mqtt.broker.port = broker->port();
      c.heartbeat_s = 3600;  // only the start and the changes
    });
    ASSERT_TRUE(t) << t.error().message;
    terminal = std::move(t.value());
  }
  services::Terminal& term() { return *terminal->parts.terminal; }
};

TEST_F(HeartbeatTest, ItsStateIsRetainedAndAPaperOutIsPublishedAtOnceWithItsAlert) {
  services::Heartbeat heartbeat(term(), {.version = "9.9-test"});
  heartbeat.start();
  ASSERT_TRUE(heartbeat.mqtt()->wait_connected(30s));
  // Subscribed after the terminal published: the broker hands over its retained state.
  Listener fleet(broker->port(), "smzc/v1/#");
  const std::string id = term().config().terminal_id;
  auto first =
      fleet.wait_for("/state", [](const json& j) { return j.value("reason", "") == "start"; });
  ASSERT_TRUE(first) << "no start report";
  EXPECT_EQ(first->at("terminal"), id);
  EXPECT_EQ(first->at("version"), "9.9-test");
  EXPECT_EQ(first->at("site").at("region"), term().config().site.region_code);
  EXPECT_EQ(first->at("devices").at("printer").at("media"), "paperOk");
  EXPECT_EQ(first->at("devices").at("reader").at("kind"), "idcard");
  EXPECT_TRUE(first->at("alerts").empty()) << first->dump();
  EXPECT_TRUE(fleet.wait_for("/online", [](const json& j) { return j.value("online", false); }));

  terminal->printer->set_media(MediaState::kPaperOut);
  auto out = fleet.wait_for("/state", [](const json& j) {
    return j.value("reason", "") == "change" && has_alert(j.at("alerts"), "paper_out", "printer");
  });
  ASSERT_TRUE(out) << "no report of the paper running out";
  EXPECT_EQ(out->at("consumables").at("printer").at("paper"), "out");
  auto alerts = fleet.wait_for("/alerts", [](const json& j) {
    return j.contains("alerts") && has_alert(j.at("alerts"), "paper_out", "printer");
  });
  ASSERT_TRUE(alerts) << "nothing on the alerts topic";
  EXPECT_EQ(alerts->at("terminal"), id);

  // The backend hears the same report.
  bool seen = false;
  for (const auto& t : terminal->backend->terminals()) seen = seen || t.terminal_id == id;
  EXPECT_TRUE(seen);
}

TEST_F(HeartbeatTest, StoppingSaysGoodbyeSoTheFleetKnowsItWasNoFailure) {
  Listener fleet(broker->port(), "smzc/v1/+/+/online");
  {
    services::Heartbeat heartbeat(term(), {.version = "test"});
    heartbeat.start();
    ASSERT_TRUE(heartbeat.mqtt()->wait_connected(30s));
    ASSERT_TRUE(fleet.wait_for("/online", [](const json& j) { return j.value("online", false); }));
  }
  auto bye = fleet.wait_for("/online", [](const json& j) { return !j.value("online", true); });
  ASSERT_TRUE(bye);
  EXPECT_EQ(bye->at("reason"), "stopped");
}

TEST(Alerts, EachFaultRaisesItsAlertAndAHealthyTerminalNone) {
  services::ReportFacts healthy{
      .devices =
          {{"reader", DeviceKind::kCardReader, "", {DeviceState::kOnline, MediaState::kCardAbsent}},
           {"printer", DeviceKind::kPrinter, "", {DeviceState::kOnline, MediaState::kPaperOk}}},
      .supplies = {{"printer",
                    {{"Black Toner", "toner", 75, false}, {"Waste Tank", "wasteToner", 25, true}}}},
      .certificate_days_left = 365};
  EXPECT_TRUE(services::alerts_for(healthy).empty());
  auto faulty = healthy;
  faulty.devices[0].status.state = DeviceState::kNoDevice;
  faulty.devices[1].status.media = MediaState::kPaperJammed;
  faulty.devices[1].status.cover_open = true;
  faulty.supplies["printer"][0].level = 5;    // toner low
  faulty.supplies["printer"][1].level = 100;  // waste tank full
  faulty.queue_waiting = 12;
  faulty.certificate_days_left = 10;
  const std::vector<services::Alert> expected = {
      {"device_offline", "reader", "critical"},
      {"paper_jam", "printer", "critical"},
      {"cover_open", "printer", "critical"},
      {"supply_low", "printer", "warning", "Black Toner"},
      {"supply_out", "printer", "critical", "Waste Tank"},
      {"queue_backlog", "", "warning"},
      {"certificate_expiring", "", "warning"}};
  EXPECT_EQ(services::alerts_for(faulty), expected);
  auto low = healthy;
  low.devices[1].status.media = MediaState::kPaperLow;
  low.supplies["printer"][0].level = 0;
  low.certificate_days_left = std::nullopt;
  EXPECT_EQ(services::alerts_for(low),
            (std::vector<services::Alert>{{"paper_low", "printer", "warning"},
                                          {"supply_out", "printer", "critical", "Black Toner"}}));
  auto expired = healthy;
  expired.certificate_days_left = -1;
  EXPECT_EQ(services::alerts_for(expired),
            (std::vector<services::Alert>{{"certificate_expiring", "", "critical"}}));
}

// --- the fleet service ---------------------------------------------------------------------

const std::string kState = "smzc/v1/440605/T1/state";

std::string report(const std::string& terminal = "T1", int interval = 10) {
  return json{{"terminal", terminal},
              {"interval_s", interval},
              {"devices", {{"printer", {{"state", "online"}}}}},
              {"alerts", json::array()}}
      .dump();
}

TEST(FleetState, RefusesWhatNoTerminalShouldSendAndKeepsWhatItHad) {
  fleet::FleetState state("smzc/v1");
  ASSERT_TRUE(state.apply(kState, report(), 1000));
  const auto before = state.rows();
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  const std::vector<std::pair<std::string, std::string>> bad = {
      {kState, std::string(fleet::kMaxPayloadBytes + 1, ' ')},  // oversized
      {kState, "{\"terminal\": \"T1\", \"x\": " + deep + "}"},  // too deep
      {kState, "not json"},
      {kState, "[1, 2]"},
      {kState, report("T2")},  // speaks for another terminal
      {kState, R"({"interval_s": 0})"},
      {kState, R"({"interval_s": 1e30})"},
      {kState, R"({"devices": "all fine"})"},
      {"other/440605/T1/state", report()},
      {"smzc/v1/440605/T1", report()},
      {"smzc/v1/440605/T1/state/extra", report()},
      {"smzc/v1/440605/<script>/state", report("<script>")},
      {"smzc/v1/440605/T1/firmware", report()},
      {"smzc/v1/440605/T1/online", R"({"online": "yes"})"},
  };
  for (const auto& [topic, payload] : bad)
    EXPECT_FALSE(state.apply(topic, payload, 2000)) << topic << " " << payload.substr(0, 60);
  EXPECT_EQ(state.rows(), before);
}

TEST(FleetState, ATerminalQuietForMoreThanTwoAndAHalfIntervalsIsSilentUntilItSpeaks) {
  fleet::FleetState state("smzc/v1");
  ASSERT_TRUE(state.apply(kState, report("T1", 10), 0));
  EXPECT_TRUE(state.check_silence(25'000).empty());
  EXPECT_EQ(state.check_silence(25'001), std::vector<std::string>{"T1"});
  auto row = state.row("T1");
  EXPECT_EQ(row->at("state"), "silent");
  EXPECT_TRUE(has_alert(row->at("alerts"), "terminal_silent", ""));
  EXPECT_TRUE(state.check_silence(30'000).empty());  // told once
  ASSERT_TRUE(
      state.apply("smzc/v1/440605/T1/alerts", R"({"terminal": "T1", "alerts": []})", 30'000));
  EXPECT_EQ(state.row("T1")->at("state"), "online");
  // One that said goodbye is stopped, not silent, and raises nothing.
  ASSERT_TRUE(
      state.apply("smzc/v1/440605/T1/online", R"({"online": false, "reason": "stopped"})", 31'000));
  EXPECT_TRUE(state.check_silence(900'000).empty());
  EXPECT_EQ(state.row("T1")->at("state"), "stopped");
  EXPECT_TRUE(state.row("T1")->at("alerts").empty());
}

TEST(Fleet, ATerminalKilledWithoutGoodbyeShowsOfflineThroughItsWill) {
  TempDir dir;
  auto broker = MosquittoBroker::start(dir / "broker");
  ASSERT_TRUE(broker) << broker.error().message;
  const int port = broker.value()->port();
  auto service = fleet::FleetService::start({.broker = {.port = port}});
  ASSERT_TRUE(service) << service.error().message;
  ASSERT_TRUE(service.value()->broker().wait_connected(30s));
  auto sim = ChildProcess::start({.argv = {(bin_dir() / "smzc-fleet-sim").string(), "--terminals",
                                           "2", "--broker-port", std::to_string(port)},
                                  .log_path = dir / "sim.log",
                                  .capture_stdout = true});
  ASSERT_TRUE(sim) << sim.error().message;
  auto ready = sim->read_line(30s);
  ASSERT_TRUE(ready && ready.value() == "ready 2")
      << (ready ? ready.value() : ready.error().message);
  const auto state_of = [&](const std::string& id) {
    auto row = service.value()->state().row(id);
    return row ? row->at("state").get<std::string>() : std::string("unknown");
  };
  ASSERT_TRUE(poll_until([&] { return state_of("SMZC-SIM-0001") == "online"; }));
  ASSERT_EQ(::kill(sim->pid(), SIGKILL), 0);
  ASSERT_TRUE(poll_until([&] { return state_of("SMZC-SIM-0001") == "offline"; }))
      << state_of("SMZC-SIM-0001");
  EXPECT_EQ(state_of("SMZC-SIM-0002"), "offline");
  EXPECT_TRUE(has_alert(service.value()->state().row("SMZC-SIM-0001")->at("alerts"),
                        "terminal_offline", ""));
  EXPECT_EQ(service.value()->counters().refused, 0u);
}

// Over mutual TLS, with the broker's ACL: the terminal reports under its certificate's name, the
// fleet service reads every terminal, a terminal cannot write another terminal's topics, and a
// client without a certificate is not let in.
TEST(FleetTls, ATerminalReportsOverMutualTlsAndCanWriteOnlyItsOwnTopics) {
  TempDir dir;
  const auto pki = dir / "pki";
  ASSERT_EQ(std::system(("'" + (source_dir() / "packaging/make-dev-pki.sh").string() + "' '" +
                         pki.string() + "' SMZC-DEV-0001")
                            .c_str()),
            0);
  auto broker = MosquittoBroker::start(dir / "broker", pki);
  ASSERT_TRUE(broker) << broker.error().message;
  const int port = broker.value()->port();
  auto service = fleet::FleetService::start({.broker = {.host = "127.0.0.1",
                                                        .port = port,
                                                        .ca = pki / "ca.pem",
                                                        .cert = pki / "fleet.pem",
                                                        .key = pki / "fleet.key"}});
  ASSERT_TRUE(service) << service.error().message;
  ASSERT_TRUE(service.value()->broker().wait_connected(30s));

  auto t =
      FakeTerminal::start(dir / "terminal", true, &test_clock(), {}, {}, [&](services::Config& c) {
        c.terminal_id = "SMZC-DEV-0001";
        c.heartbeat_s = 3600;
        c.mqtt.broker.host = "127.0.0.1";
        c.mqtt.broker.port = port;
        c.mqtt.broker.ca = pki / "ca.pem";
        c.mqtt.broker.cert = pki / "terminal.pem";
        c.mqtt.broker.key = pki / "terminal.key";
      });
  ASSERT_TRUE(t) << t.error().message;
  services::Heartbeat heartbeat(*t.value()->parts.terminal, {.version = "genuine"});
  heartbeat.start();
  ASSERT_TRUE(heartbeat.mqtt()->wait_connected(30s));
  const auto version_of = [&](const std::string& id) {
    auto row = service.value()->state().row(id);
    return row && row->at("version").is_string() ? row->at("version").get<std::string>()
                                                 : std::string();
  };
  ASSERT_TRUE(poll_until([&] { return version_of("SMZC-DEV-0001") == "genuine"; }));

  // The second terminal forges the first one's state, then reports its own: once its own is
  // in, the broker has dealt with the forgery (one connection's messages keep their order).
  auto forger = mqtt::Client::start("forger",
                                    {.host = "127.0.0.1",
                                     .port = port,
                                     .ca = pki / "ca.pem",
                                     .cert = pki / "terminal2.pem",
                                     .key = pki / "terminal2.key"},
                                    std::nullopt);
  ASSERT_TRUE(forger);
  ASSERT_TRUE(forger.value()->wait_connected(30s));
  ASSERT_TRUE(forger.value()->publish("smzc/v1/440605/SMZC-DEV-0001/state",
                                      R"({"terminal": "SMZC-DEV-0001", "version": "forged"})",
                                      true));
  ASSERT_TRUE(forger.value()->publish("smzc/v1/440605/SMZC-DEV-0002/state",
                                      R"({"terminal": "SMZC-DEV-0002", "version": "its own"})",
                                      true));
  ASSERT_TRUE(poll_until([&] { return version_of("SMZC-DEV-0002") == "its own"; }));
  EXPECT_EQ(version_of("SMZC-DEV-0001"), "genuine");

  // Without a certificate there is no connection at all.
  const std::string no_cert = "mosquitto_pub --cafile '" + (pki / "ca.pem").string() +
                              "' -h 127.0.0.1 -p " + std::to_string(port) +
                              " -t smzc/v1/440605/SMZC-DEV-0001/state -m '{}' 2>/dev/null";
  EXPECT_NE(std::system(no_cert.c_str()), 0);
}

}  // namespace
}  // namespace smzc::testing
