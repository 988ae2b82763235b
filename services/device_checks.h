// What a technician runs on a device end to end, beyond its self-test: a test page printed and
// waited for, a card read, a page scanned. The technician panel and kioskctl share them. Nothing
// personal comes back: a card's number and name are masked, and every scanned pixel is wiped.
#pragma once

#include <filesystem>
#include <stop_token>
#include <string>

#include "base/deadline.h"
#include "base/status.h"
#include "drivers/idcard/card_reader.h"
#include "drivers/printer/printer.h"
#include "drivers/scanner/scanner.h"

namespace smzc::services {

/// Prints `pdf` as one job and follows it to its end (or `deadline`); the printer then forgets
/// it, since what was printed may be a citizen's document. The job as it ended, whatever its state.
Result<printer::JobStatus> print_and_follow(printer::Printer& printer,
                                            const std::filesystem::path& pdf,
                                            const std::string& job_name, Deadline deadline,
                                            std::stop_token stop = {});

/// Prints the test page (the printer's address, a grey scale and Chinese glyphs) and follows the
/// job to its end; the printer then forgets it. The job's end state; an error when it did not
/// complete, naming why.
Result<printer::JobStatus> print_test_page(printer::Printer& printer, Deadline deadline,
                                           std::stop_token stop = {});

/// Waits for a card on the reader and reads it: "resident 440605********1234 张*".
Result<std::string> read_test_card(idcard::CardReader& reader, Deadline deadline,
                                   std::stop_token stop = {});

/// Scans one page at 150 dpi in grey: "1 page, 1240 × 1754 px at 150 dpi".
Result<std::string> scan_test_page(scanner::Scanner& scanner, Deadline deadline,
                                   std::stop_token stop = {});

}  // namespace smzc::services
