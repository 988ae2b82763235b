// kioskctl journal verify: is the electronic journal as the terminal wrote it? Its keyed chain,
// then its head against the anchor the backend keeps (docs/kioskctl.md).

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
};

int verify(const JournalArgs& args) {
  auto config = services::load_config(args.config);
  if (!config) return fail(2, config.error().message);
  auto key = certs::DataKey::load(config->data_key);
  if (!key) return fail(2, "data key: " + key.error().message);
  auto journal =
      services::Journal::open(config->journal, key->derive(services::kJournalKeyPurpose));
  if (!journal) return fail(2, journal.error().message);
  json out = {{"journal", config->journal.string()}};
  int rc = 0;
  auto chain = journal.value()->verify();
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
  const auto clients = services::backend_clients(config.value());
  auto anchor = clients.home->journal_anchor();
  if (!anchor) {
    out["anchor"] = "not checked: " + anchor.error().message;
    if (rc == 0) rc = 2;
  } else if (!anchor->has_value()) {
    out["anchor"] = "none yet";
  } else {
    const auto& a = anchor->value();
    out["anchor_seq"] = a.seq;
    const auto local = journal.value()->hash_at(a.seq);
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
}

}  // namespace smzc::kioskctl
