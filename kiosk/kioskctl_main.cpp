// kioskctl: the technicians' command line (docs/kioskctl.md).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "drivers/common/privacy.h"
#include "drivers/idcard/frame.h"
#include "drivers/idcard/reader.h"
#include "drivers/printer/printer.h"

namespace {

using nlohmann::json;

json card_json(const smzc::idcard::IdentityCard& card, bool reveal) {
  return {{"type", smzc::idcard::to_string(card.type)},
          {"name", reveal ? card.name : smzc::mask_name(card.name)},
          {"sex", smzc::idcard::sex_name(card.sex_code)},
          {"nation", smzc::idcard::nation_name(card.nation_code)},
          {"birth_date", card.birth_date},
          {"address", reveal ? card.address : smzc::mask_address(card.address)},
          {"id_number", reveal ? card.id_number : smzc::mask_id_number(card.id_number)},
          {"id_number_valid", smzc::idcard::valid_resident_id_number(card.id_number)},
          {"authority", card.authority},
          {"valid_from", card.valid_from},
          {"valid_to", card.valid_to},
          {"photo_bytes", card.photo.size()}};
}

int print_card(const smzc::idcard::IdentityCard& card, bool as_json, bool reveal) {
  json j = card_json(card, reveal);
  if (as_json) {
    std::cout << j.dump(2) << '\n';
  } else {
    for (const auto& [k, v] : j.items())
      std::cout << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << '\n';
  }
  return 0;
}

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "kioskctl: %s\n", message.c_str());
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"市民之窗 technicians' command line"};
  app.require_subcommand(1);
  int rc = 0;

  auto* idcard = app.add_subcommand("idcard", "ID-card reader")->require_subcommand(1);
  std::string port = "/dev/ttyUSB0", frame_file, printer_uri, pdf;
  int baud = 115200;
  bool as_json = false, reveal = false;
  auto* read = idcard->add_subcommand("read", "read the card on a reader");
  read->add_option("--port", port, "serial device")->capture_default_str();
  read->add_option("--baud", baud, "line rate")->capture_default_str();
  read->add_flag("--json", as_json, "print JSON");
  read->add_flag("--reveal", reveal, "show ID number, name and address unmasked");
  read->callback([&] {
    auto transport = smzc::idcard::SerialTransport::open(port, baud);
    if (!transport) {
      rc = fail(1, transport.error().message);
      return;
    }
    smzc::idcard::Reader reader(std::move(transport.value()));
    auto card = reader.read_card();
    rc = card ? print_card(card.value(), as_json, reveal) : fail(1, card.error().message);
  });
  auto* decode = idcard->add_subcommand("decode", "decode a captured 30 01 response frame");
  decode->add_option("file", frame_file, "raw response bytes")->required();
  decode->add_flag("--json", as_json, "print JSON");
  decode->add_flag("--reveal", reveal, "show ID number, name and address unmasked");
  decode->callback([&] {
    std::ifstream in(frame_file, std::ios::binary);
    if (!in) {
      rc = fail(2, "cannot read " + frame_file);
      return;
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    auto response = smzc::idcard::decode_response(bytes);
    if (!response) {
      rc = fail(2, response.error().message);
      return;
    }
    if (response->sw3 != smzc::idcard::sw3::kOk) {
      rc = fail(2, std::string("reader status: ") + smzc::idcard::describe_sw3(response->sw3).en);
      return;
    }
    auto card = smzc::idcard::decode_base_message(response->data);
    rc = card ? print_card(card.value(), as_json, reveal) : fail(2, card.error().message);
  });

  auto* printer = app.add_subcommand("printer", "certificate printer")->require_subcommand(1);
  auto* status = printer->add_subcommand("status", "printer state and reasons");
  status->add_option("--printer", printer_uri, "ipp:// URI")->required();
  status->add_flag("--json", as_json, "print JSON");
  status->callback([&] {
    auto st = smzc::printer::IppPrinter(printer_uri).status();
    if (!st) {
      rc = fail(1, st.error().message);
      return;
    }
    json j = {{"state", smzc::to_string(st->state)},
              {"ipp_state", st->ipp_state},
              {"reasons", st->reasons},
              {"formats", st->formats},
              {"message", st->message}};
    std::cout << (as_json ? j.dump(2) : j.dump()) << '\n';
  });

  auto* print = app.add_subcommand("print", "print a PDF and wait for the job to finish");
  print->add_option("file", pdf, "PDF file")->required();
  print->add_option("--printer", printer_uri, "ipp:// URI")->required();
  print->callback([&] {
    smzc::printer::IppPrinter p(printer_uri);
    auto id = p.submit(pdf, "kioskctl");
    if (!id) {
      rc = fail(1, id.error().message);
      return;
    }
    auto job = p.wait_for_job(id.value(), std::chrono::minutes(2));
    if (!job) {
      rc = fail(1, job.error().message);
      return;
    }
    std::cout << "job " << job->job_id << " " << job->state << '\n';
    rc = job->state == "completed" ? 0 : 1;
  });

  CLI11_PARSE(app, argc, argv);
  return rc;
}
