#include "services/device_checks.h"

#include <unistd.h>

#include <filesystem>

#include "base/privacy.h"
#include "certs/certificate.h"
#include "certs/render.h"

namespace smzc::services {

Result<printer::JobStatus> print_and_follow(printer::Printer& p, const std::filesystem::path& pdf,
                                            const std::string& job_name, Deadline deadline,
                                            std::stop_token stop) {
  auto id = p.submit(pdf, job_name);
  if (!id) return id.error();
  auto job = p.wait_for_job(id.value(), deadline, printer::FaultPolicy::kCancel, stop);
  if (job && job->final()) (void)p.purge_job(job->job_id);
  return job;
}

Result<printer::JobStatus> print_test_page(printer::Printer& p, Deadline deadline,
                                           std::stop_token stop) {
  certs::Certificate page;
  page.serial = "TEST-" + std::to_string(::getpid());
  page.title = "市民之窗 打印测试页";
  page.issuer = "市民之窗";
  page.fields = {{"打印机", p.address()}, {"说明", "本页用于检查打印质量与中文字体"}};
  page.table_columns = {"灰度", "0%", "25%", "50%", "100%"};
  page.table_rows = {{"样例", "永", "永", "永", "永"}};
  page.verify_payload = page.serial;
  const auto path = std::filesystem::temp_directory_path() / (page.serial + ".pdf");
  if (auto s = certs::render_pdf(page, path); !s) return s.error();
  auto job = print_and_follow(p, path, "test-page", deadline, stop);
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (!job) return job.error();
  if (job->state == printer::JobState::kCompleted) return job;
  const std::string why = job->problems();
  return Error{Completion::kHardwareError, "the test page ended " +
                                               std::string(printer::to_string(job->state)) +
                                               (why.empty() ? "" : ": " + why)};
}

Result<std::string> read_test_card(idcard::CardReader& reader, Deadline deadline,
                                   std::stop_token stop) {
  auto card = reader.wait_for_card(deadline, stop);
  if (!card) return card.error();
  std::string said = std::string(to_string(card->type)) + " " + mask_id_number(card->id_number) +
                     " " + mask_name(card->name);
  card.value().wipe();
  return said;
}

Result<std::string> scan_test_page(scanner::Scanner& scanner, Deadline deadline,
                                   std::stop_token stop) {
  auto pages = scanner.scan({.mode = "Gray", .dpi = 150, .max_pages = 1}, deadline, stop);
  if (!pages) return pages.error();
  if (pages->empty()) return Error{Completion::kDeviceNotReady, "the scanner gave no page"};
  const auto& first = pages->front();
  const std::string said =
      std::to_string(pages->size()) + " page, " + std::to_string(first.image.cols) + " × " +
      std::to_string(first.image.rows) + " px at " + std::to_string(first.dpi) + " dpi";
  for (auto& page : pages.value()) page.image.setTo(0);
  return said;
}

}  // namespace smzc::services
