// kioskctl journal verify: is the electronic journal as the terminal wrote it? Its keyed chain,
// then its head against the anchor the backend keeps (docs/kioskctl.md).

#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "certs/sealing.h"
#include "kiosk/kioskctl.h"
#include "services/journal.h"
#include "services/terminal.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;

struct JournalArgs {
  std::string config = "/etc/smzc/kiosk.json";
  bool as_json = false;
  size_t limit = 20;
  std::string transaction;
};

// The configuration and its journal, opened with the chain key from the data key.
struct OpenJournal {
  services::Config config;
  std::unique_ptr<services::Journal> journal;
};
Result<OpenJournal> open_journal(const JournalArgs& args) {
  auto config = services::load_config(args.config);
  if (!config) return config.error();
  auto stores = open_stores(config.value(), /*with_queue=*/false);
  if (!stores.journal) return Error{Completion::kDeviceNotReady, stores.journal_error};
  return OpenJournal{std::move(config.value()), std::move(stores.journal)};
}

// Local time of a journal entry, to the second.
std::string local_time(int64_t at_ms) {
  const std::time_t t = static_cast<std::time_t>(at_ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  return text;
}

// The latest transactions: when each began, its last step and how it ended. The journal holds
// no personal data (services/journal.h), so nothing here needs masking.
int list(const JournalArgs& args) {
  auto opened = open_journal(args);
  if (!opened) return fail(2, opened.error().message);
  auto ids = opened->journal->transaction_ids();
  if (!ids) return fail(2, ids.error().message);
  const size_t from = ids->size() > args.limit ? ids->size() - args.limit : 0;
  json out = json::array();
  for (size_t i = from; i < ids->size(); ++i) {
    auto entries = opened->journal->entries(ids.value()[i]);
    if (!entries || entries->empty()) continue;
    const auto& last = entries->back();
    json detail = json::parse(last.detail, nullptr, false);
    out.push_back(
        {{"transaction", ids.value()[i]},
         {"began", local_time(entries->front().at_ms)},
         {"entries", entries->size()},
         {"last_step", last.step},
         {"outcome", last.step == "done" && detail.is_object() ? detail.value("status", "done")
                                                               : "unfinished"}});
  }
  if (args.as_json) {
    std::cout << out.dump(2) << '\n';
    return 0;
  }
  for (const auto& t : out)
    std::cout << t["began"].get<std::string>() << "  " << t["transaction"].get<std::string>()
              << "  " << t["outcome"].get<std::string>() << " (" << t["entries"].get<size_t>()
              << " entries, last " << t["last_step"].get<std::string>() << ")\n";
  return 0;
}

int show(const JournalArgs& args) {
  auto opened = open_journal(args);
  if (!opened) return fail(2, opened.error().message);
  auto entries = opened->journal->entries(args.transaction);
  if (!entries) return fail(2, entries.error().message);
  if (entries->empty()) return fail(1, "no transaction " + args.transaction + " in the journal");
  json out = json::array();
  for (const auto& e : entries.value()) out.push_back(journal_entry_json(e));
  if (args.as_json) {
    std::cout << json{{"transaction", args.transaction}, {"entries", out}}.dump(2) << '\n';
    return 0;
  }
  for (const auto& e : out)
    std::cout << e["seq"].get<int64_t>() << "  " << e["at"].get<std::string>() << "  "
              << e["step"].get<std::string>() << "  " << e["detail"].dump() << '\n';
  return 0;
}

int verify(const JournalArgs& args) {
  auto opened = open_journal(args);
  if (!opened) return fail(2, opened.error().message);
  const auto& config = opened->config;
  auto& journal = opened->journal;
  json out = {{"journal", config.journal.string()}};
  int rc = 0;
  auto chain = journal->verify();
  if (chain) {
    out["entries"] = chain->entries;
    out["unkeyed"] = chain->unkeyed;
    out["head_seq"] = chain->head_seq;
    out["chain"] = "intact";
  } else {
    out["chain"] = chain.error().message;
    rc = chain.code() == Completion::kInvalidData ? 1 : 2;
  }
  // The anchor: the head the terminal last reported, kept by the backend under its certificate.
  const auto clients = services::backend_clients(config);
  auto anchor = clients.home->journal_anchor();
  if (!anchor) {
    out["anchor"] = "not checked: " + anchor.error().message;
    if (rc == 0) rc = 2;
  } else if (!anchor->has_value()) {
    out["anchor"] = "none yet";
  } else {
    const auto& a = anchor->value();
    out["anchor_seq"] = a.seq;
    const auto local = journal->hash_at(a.seq);
    if (!local) {
      out["anchor"] = "the backend holds entry " + std::to_string(a.seq) +
                      "; the journal ends before it: truncated";
      rc = 1;
    } else if (*local != a.hash) {
      out["anchor"] = "entry " + std::to_string(a.seq) +
                      " differs from the one anchored at the backend: rewritten";
      rc = 1;
    } else {
      out["anchor"] = "matches";
    }
  }
  if (args.as_json) {
    out["intact"] = rc == 0;
    std::cout << out.dump(2) << '\n';
  } else {
    std::cout << "journal " << out["journal"].get<std::string>() << ": ";
    if (chain)
      std::cout << chain->entries << " entries, chain intact"
                << (chain->unkeyed ? " (" + std::to_string(chain->unkeyed) +
                                         " written before the chain was keyed)"
                                   : std::string())
                << '\n';
    else
      std::cout << "chain broken: " << chain.error().message << '\n';
    std::cout << "anchor at the backend"
              << (out.contains("anchor_seq")
                      ? " (entry " + std::to_string(out["anchor_seq"].get<int64_t>()) + ")"
                      : std::string())
              << ": " << out["anchor"].get<std::string>() << '\n';
  }
  return rc;
}

}  // namespace

json journal_entry_json(const services::JournalEntry& e) {
  json detail = json::parse(e.detail, nullptr, false);
  return {{"seq", e.seq},
          {"at", local_time(e.at_ms)},
          {"step", e.step},
          {"detail", detail.is_discarded() ? json(e.detail) : detail}};
}

void add_journal_commands(CLI::App& app, int& rc) {
  static JournalArgs args;
  auto* journal = app.add_subcommand("journal", "the electronic journal");
  journal->require_subcommand(1);
  auto* v = journal->add_subcommand(
      "verify",
      "check the keyed chain and the head anchored at the backend: exit 0 intact, "
      "1 tampered (truncated or rewritten), 2 cannot check");
  v->add_option("--config", args.config, "terminal configuration");
  v->add_flag("--json", args.as_json, "print JSON");
  v->callback([&rc] { rc = verify(args); });

  auto* l = journal->add_subcommand("list", "the latest transactions and how each ended");
  l->add_option("--config", args.config, "terminal configuration");
  l->add_option("--limit", args.limit, "how many, latest last")->capture_default_str();
  l->add_flag("--json", args.as_json, "print JSON");
  l->callback([&rc] { rc = list(args); });

  auto* sh = journal->add_subcommand("show", "every entry of one transaction");
  sh->add_option("transaction", args.transaction, "transaction id (from journal list)")->required();
  sh->add_option("--config", args.config, "terminal configuration");
  sh->add_flag("--json", args.as_json, "print JSON");
  sh->callback([&rc] { rc = show(args); });
}

}  // namespace smzc::kioskctl
