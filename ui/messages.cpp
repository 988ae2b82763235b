#include "ui/messages.h"

#include <QDateTime>
#include <QLocale>

#include <QCoreApplication>

namespace smzc::ui {
namespace {

// The context of these texts in the translations.
class Messages {
  Q_DECLARE_TR_FUNCTIONS(smzc::ui::Messages)
};

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

}  // namespace

QString check_title(const certs::Verification& v) {
  if (v.genuine) return Messages::tr("证照真实有效");
  if (v.reason == "revoked") return Messages::tr("出具部门的签章密钥已作废，此证照不能采信");
  if (v.reason == "unknown-issuer") return Messages::tr("无法确认出具部门，此证照不能采信");
  if (v.reason == "content-altered") return Messages::tr("证照内容与二维码不符，可能已被篡改");
  if (v.reason == "bad-signature") return Messages::tr("二维码签名不符，此证照可能系伪造");
  return Messages::tr("这不是市民之窗证照的核验码");
}

QString local_date_time(const std::string& rfc3339) {
  // As issued (the issuer's local time and offset), in the citizen's language's own order.
  const QDateTime at = QDateTime::fromString(q(rfc3339), Qt::ISODate);
  if (!at.isValid()) return q(rfc3339.substr(0, 16)).replace('T', ' ');
  return QLocale().toString(at.toOffsetFromUtc(at.offsetFromUtc()), QLocale::ShortFormat);
}

QString check_detail(const certs::Verification& v) {
  // A code that failed says only what failed (the title): nothing it carries is shown, as if it
  // were a certificate's data.
  if (!v.genuine) return Messages::tr("请到服务窗口人工核验");
  if (v.code.serial.empty()) return {};
  QStringList lines = {Messages::tr("编号：%1").arg(q(v.code.serial)),
                       Messages::tr("出具时间：%1").arg(local_date_time(v.code.issued_at))};
  if (v.code.reprint > 0) lines << Messages::tr("补打：第 %1 次").arg(v.code.reprint);
  for (const auto& f : v.code.fields) lines << q(f.label) + "：" + q(f.value);
  lines << Messages::tr("请核对纸面内容与以上信息一致");
  return lines.join("\n");
}

QString printer_reason_text(const std::string& keyword) {
  if (keyword == "media-empty" || keyword == "media-needed") return Messages::tr("打印纸已用完");
  if (keyword == "media-jam") return Messages::tr("打印机卡纸");
  if (keyword == "cover-open") return Messages::tr("打印机盖未关好");
  if (keyword == "door-open") return Messages::tr("打印机门未关好");
  if (keyword == "input-tray-missing") return Messages::tr("打印机纸盒缺失");
  if (keyword == "output-area-full") return Messages::tr("出证口已满，请先取走证照");
  if (keyword == "marker-supply-empty" || keyword == "toner-empty")
    return Messages::tr("打印机耗材已用完");
  if (keyword == "offline") return Messages::tr("打印机离线");
  if (keyword == "paused" || keyword == "moving-to-paused") return Messages::tr("打印机已暂停");
  if (keyword == "shutdown") return Messages::tr("打印机已关闭");
  return Messages::tr("打印机暂时无法使用");
}

QString device_unavailable_text(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::kCardReader:
      return Messages::tr("读卡器暂不可用");
    case DeviceKind::kPrinter:
      return Messages::tr("打印机暂不可用");
    case DeviceKind::kCamera:
      return Messages::tr("摄像头暂不可用");
    case DeviceKind::kScanner:
      return Messages::tr("扫描仪暂不可用");
  }
  return Messages::tr("设备暂不可用");
}

QString device_status_text(DeviceKind kind, const DeviceStatus& status) {
  if (kind == DeviceKind::kPrinter) {
    if (status.media == MediaState::kPaperOut) return printer_reason_text("media-empty");
    if (status.media == MediaState::kPaperJammed) return printer_reason_text("media-jam");
    if (status.cover_open) return printer_reason_text("cover-open");
    if (status.state == DeviceState::kOffline) return Messages::tr("打印机暂时无法连接");
  }
  return device_unavailable_text(kind);
}

QString problem_text(const services::Problem& problem) {
  using K = services::Problem::Kind;
  const QString label = q(problem.label);
  switch (problem.kind) {
    case K::kRequired:
      return Messages::tr("%1：必填").arg(label);
    case K::kMalformed:
      return Messages::tr("%1：格式不正确").arg(label);
    case K::kNotInLibrary:
      return Messages::tr("电子证照库未找到%1，请扫描纸质材料").arg(label);
    case K::kScanMissing:
      return Messages::tr("请扫描：%1").arg(label);
  }
  return label;
}

QString step_text(services::Step step) {
  using services::Step;
  switch (step) {
    case Step::kReadCard:
      return Messages::tr("读取身份证");
    case Step::kReadCode:
      return Messages::tr("识别电子身份码");
    case Step::kIdentify:
      return Messages::tr("核验身份");
    case Step::kFaceCheck:
      return Messages::tr("人脸核验");
    case Step::kCapture:
      return Messages::tr("拍摄材料");
    case Step::kForm:
      return Messages::tr("核对申请信息");
    case Step::kMaterials:
      return Messages::tr("调取申请材料");
    case Step::kApply:
      return Messages::tr("提交申请");
    case Step::kApprove:
      return Messages::tr("智能审批");
    case Step::kFetchCertificate:
      return Messages::tr("获取证照");
    case Step::kVerify:
      return Messages::tr("核验证照");
    case Step::kRender:
      return Messages::tr("生成文书");
    case Step::kPrint:
      return Messages::tr("打印证照");
  }
  return {};
}

QString card_type_text(CardType type) {
  switch (type) {
    case CardType::kResident:
      return Messages::tr("居民身份证");
    case CardType::kResidencePermit:
      return Messages::tr("港澳台居民居住证");
    case CardType::kForeignerOld:
      return Messages::tr("外国人永久居留证");
    case CardType::kForeignerPr2023:
      return Messages::tr("外国人永久居留身份证");
  }
  return Messages::tr("身份证件");
}

QString advice_text(camera::Advice advice) {
  using camera::Advice;
  switch (advice) {
    case Advice::kGood:
      return Messages::tr("很好，请保持");
    case Advice::kNoFace:
      return Messages::tr("请正对摄像头");
    case Advice::kSeveralFaces:
      return Messages::tr("请仅申请人本人面对摄像头");
    case Advice::kComeCloser:
      return Messages::tr("请靠近一些");
    case Advice::kMoveToCentre:
      return Messages::tr("请移到画面中间");
    case Advice::kTooDark:
      return Messages::tr("光线太暗");
    case Advice::kTooBright:
      return Messages::tr("光线太强");
    case Advice::kHoldStill:
      return Messages::tr("请保持不动");
    case Advice::kNotLive:
      return Messages::tr("请本人面对摄像头，不要使用照片");
    case Advice::kNoPage:
      return Messages::tr("请将材料平放在拍摄区");
    case Advice::kPageCut:
      return Messages::tr("请将整页材料放入拍摄区");
    case Advice::kGlare:
      return Messages::tr("材料反光，请调整角度");
    case Advice::kLookStraight:
      return Messages::tr("请正视摄像头，不要侧头或低头");
    case Advice::kOpenEyes:
      return Messages::tr("请睁开眼睛");
    case Advice::kTurnLeft:
      return Messages::tr("请缓慢向左转头");
    case Advice::kTurnRight:
      return Messages::tr("请缓慢向右转头");
    case Advice::kNod:
      return Messages::tr("请点点头");
    case Advice::kBlink:
      return Messages::tr("请眨眨眼");
    case Advice::kOpenMouth:
      return Messages::tr("请张张嘴");
    case Advice::kTryAgain:
      return Messages::tr("未能核验，请再试一次");
  }
  return {};
}

QString notice_text(const services::Outcome& o) {
  using services::Notice;
  const QString application = q(o.application_id);
  const QString reason = printer_reason_text(o.printer_reason);
  switch (o.notice) {
    case Notice::kNone:
      return {};
    case Notice::kCardUnreadable:
      return Messages::tr("未能读取身份证，请重新放置");
    case Notice::kReaderUnavailable:
      return Messages::tr("读卡器暂不可用，请稍后再试或联系工作人员");
    case Notice::kIdentityRefused:
      return Messages::tr("身份核验未通过，请联系工作人员");
    case Notice::kIdentityUnavailable:
      return Messages::tr("暂时无法核验身份，请稍后重试");
    case Notice::kPlatformUnreachable:
      return Messages::tr("政务服务平台暂时无法连接，本次未办理成功，请稍后重试");
    case Notice::kPlatformError:
      return Messages::tr("政务服务平台返回异常，本次未办理成功，请稍后重试或联系工作人员");
    case Notice::kNotSentOffline:
      return Messages::tr("网络暂时不可用，申请未提交，请稍后重试");
    case Notice::kQueuedOffline:
      return Messages::
          tr("网络暂时不可用，申请已在本机加密暂存（编号 %1），恢复后自动提交，结果将以短信通知")
              .arg(q(o.transaction_id));
    case Notice::kPendingBySms:
      return Messages::tr("申请已提交，编号 %1，审批结果将以短信通知").arg(application);
    case Notice::kClosed:
      return Messages::tr("该事项办理时间为 %1，请在办理时间内再来").arg(q(o.hours));
    case Notice::kAppliedNoDocument:
      return Messages::tr("申请已受理（编号 %1），证照暂未取得，请勿重复申请，请联系工作人员")
          .arg(application);
    case Notice::kCertificateNotVerified:
      return Messages::tr("证照核验未通过，未打印，请联系工作人员");
    case Notice::kAlreadyPrinted:
      return Messages::tr("该证照已打印或正在处理，如需补打请联系工作人员");
    case Notice::kPrinterUnreachable:
      return Messages::tr("打印机暂时无法连接，证照未打印，请稍后重试");
    case Notice::kPrinterNotReady:
      return Messages::tr("%1，证照未打印，请联系工作人员").arg(reason);
    case Notice::kPrintFailed:
      return Messages::tr("打印失败，证照未打印，请稍后重试");
    case Notice::kPrinterLost:
      return Messages::tr("无法确认证照是否已打印，请联系工作人员核实");
    case Notice::kPrintStopped:
      return Messages::tr("%1，本次证照未打印，处理后可重新打印").arg(reason);
    case Notice::kPrintHeld:
      return Messages::tr("打印暂停，证照将在工作人员处理后继续打印，请联系工作人员");
    case Notice::kPrintIncomplete:
      return Messages::tr("打印未完成，证照未打印，请联系工作人员");
    case Notice::kReceiptNotPrinted:
      return Messages::tr("申请已提交，编号 %1，回执未能打印").arg(application);
    case Notice::kDocumentNotPrinted:
      return Messages::tr("证照未能打印，请联系工作人员");
    case Notice::kCameraUnavailable:
      return Messages::tr("摄像头暂不可用，请使用身份证或联系工作人员");
    case Notice::kFaceCheckFailed:
      return Messages::tr(
          "未能完成人脸核验。您可以使用手机上的电子身份码办理，或到人工服务窗口办理");
    case Notice::kFaceNotMatched:
      return Messages::tr(
          "未能确认是证件本人。您可以使用手机上的电子身份码办理，或到人工服务窗口办理");
    case Notice::kCodeUnreadable:
      return Messages::tr("未能识别电子身份码，请在手机上刷新后重试");
  }
  return {};
}

}  // namespace smzc::ui
