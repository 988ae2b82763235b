// The citizen's words for what the layers below say in codes: notices, form and material
// problems, printer reasons, unavailable devices. Every string goes through Qt's translation
// system (context "smzc::ui::Messages"), so the languages issue only adds translations.
#pragma once

#include <QString>

#include "drivers/device.h"
#include "services/transaction_engine.h"

namespace smzc::ui {

/// A date and time from the protocol (RFC 3339, e.g. 2026-11-24T09:00:00+08:00) in the language on
/// show: 2026/11/24 09:00, 24/11/2026 09:00 ...; the text as it came when it is not one.
QString local_date_time(const std::string& rfc3339);
/// What the citizen is told about how a transaction ended.
QString notice_text(const services::Outcome& outcome);
/// One line per problem, e.g. "联系电话：必填".
QString problem_text(const services::Problem& problem);
/// The printer's state reason (e.g. "media-jam") in words, e.g. "打印机卡纸".
QString printer_reason_text(const std::string& keyword);
/// Why an item cannot be served now, e.g. "读卡器暂不可用".
QString device_unavailable_text(DeviceKind kind);
/// What a device's status means for the citizen, e.g. "打印纸已用完"; the unavailable text when
/// the status says nothing more particular.
QString device_status_text(DeviceKind kind, const DeviceStatus& status);
/// The citizen's label of a step under way, e.g. "打印证照".
QString step_text(services::Step step);
/// What a certificate check found, for whoever holds the paper: a heading ("证照真实有效" or why
/// not) and the lines the code carries (serial, document, issue time, reprint, masked fields).
QString check_title(const certs::Verification& verdict);
QString check_detail(const certs::Verification& verdict);
/// The camera's instruction of the moment (face check, e-ID code, page capture).
QString advice_text(camera::Advice advice);
/// The document a citizen identified with, e.g. "港澳台居民居住证".
QString card_type_text(CardType type);

}  // namespace smzc::ui
