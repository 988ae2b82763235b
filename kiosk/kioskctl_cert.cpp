// kioskctl cert: render a certificate's data by its template, and check a certificate — a PDF
// this stack made, the text of its QR code, or a photograph of the paper — against the issuers'
// keyring (docs/kioskctl.md).

#include <iostream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "base/paths.h"
#include "base/privacy.h"
#include "base/text.h"
#include "certs/render.h"
#include "certs/verify_code.h"
#include "drivers/camera/analysis.h"
#include "drivers/camera/opencv_io.h"
#include "kiosk/kioskctl.h"
#include "services/terminal.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;

struct CertArgs {
  std::string data;
  std::string layout;
  std::string out;
  int dpi = 150;
  std::string pdf;
  std::string qr;
  std::string image;
  std::string config = "/etc/smzc/kiosk.json";
  std::string keyring;
  std::string anchor;
  bool fetch = false;
  bool as_json = false;
};

int render(const CertArgs& args) {
  auto text = read_file(args.data, 4 << 20);
  if (!text) return fail(2, text.error().message);
  auto certificate = certs::parse_certificate(text.value());
  if (!certificate) return fail(2, certificate.error().message);
  const std::string name = !args.layout.empty()                 ? args.layout
                           : certificate->document_type.empty() ? "generic"
                                                                : certificate->document_type;
  auto layout = certs::load_template(name);
  if (!layout) return fail(2, layout.error().message);
  const std::filesystem::path out = args.out;
  Result<int> pages = Error{Completion::kInvalidData, "--out must end in .pdf or .png"};
  if (out.extension() == ".pdf")
    pages = certs::render_pdf(certificate.value(), layout.value(), out, text.value());
  else if (out.extension() == ".png")
    pages = certs::render_png(certificate.value(), layout.value(), out, args.dpi);
  certificate->wipe();
  wipe(text.value());
  if (!pages) return fail(1, pages.error().message);
  if (args.as_json)
    std::cout << json{{"out", out.string()}, {"template", name}, {"pages", pages.value()}}.dump(2)
              << '\n';
  else
    std::cout << out.string() << ": " << pages.value() << " page(s), template " << name << '\n';
  return 0;
}

Result<certs::Keyring> keyring(const CertArgs& args) {
  if (!args.keyring.empty()) {
    if (args.anchor.empty())
      return Error{Completion::kInvalidData,
                   "--keyring needs --anchor PEM: the key its backend signed it with"};
    auto anchor = certs::Sm2Key::from_pem_file(args.anchor);
    if (!anchor) return Error{anchor.code(), args.anchor + ": " + anchor.error().message};
    auto text = read_file(args.keyring, 1 << 20);
    if (!text) return text.error();
    return certs::Keyring::from_signed_json(text.value(), anchor.value());
  }
  auto config = services::load_config(args.config);
  if (!config) return config.error();
  return services::trusted_keyring(config.value(), args.fetch);
}

void print_verdict(const certs::Verification& v, const certs::Keyring& ring, bool content_checked,
                   bool as_json) {
  std::string issuer;
  for (const auto& k : ring.keys())
    if (k.region_code == v.code.region_code) issuer = k.name;
  json fields = json::object();
  for (const auto& f : v.code.fields) fields[f.label] = f.value;
  if (as_json) {
    json j = {{"genuine", v.genuine}, {"reason", v.reason}, {"message", v.message}};
    // JSON escapes control characters itself; a code that failed gives only what failed.
    if (!v.code.serial.empty() && v.genuine)
      j.update({{"serial", v.code.serial},
                {"document_type", v.code.document_type},
                {"region_code", v.code.region_code},
                {"issuer_region", issuer},
                {"key_id", v.code.key_id},
                {"issued_at", v.code.issued_at},
                {"reprint", v.code.reprint},
                {"fields", fields},
                {"content_digest", v.code.content_digest},
                {"content_checked", content_checked && v.genuine}});
    std::cout << j.dump(2) << '\n';
    return;
  }
  // Everything printed from the code is outside input: control characters are escaped, so
  // nothing in it can rewrite the line above. A code that failed shows only what failed.
  std::cout << (v.genuine ? "genuine" : "NOT GENUINE (" + printable(v.reason) + ")") << ": "
            << printable(v.message) << '\n';
  if (v.code.serial.empty() || !v.genuine) return;
  std::cout << "  serial:        " << printable(v.code.serial) << '\n'
            << "  document:      " << printable(v.code.document_type) << '\n'
            << "  issuer region: " << printable(v.code.region_code)
            << (issuer.empty() ? "" : " " + printable(issuer)) << " (key "
            << printable(v.code.key_id) << ")\n"
            << "  issued at:     " << printable(v.code.issued_at) << '\n'
            << "  reprint:       " << v.code.reprint << '\n';
  for (const auto& f : v.code.fields)
    std::cout << "  " << printable(f.label) << ": " << printable(f.value) << '\n';
  std::cout << (content_checked ? "  content:       matches the code's digest\n"
                                : "  content:       compare the paper with the fields above\n");
}

int verify(const CertArgs& args) {
  const int given = !args.pdf.empty() + !args.qr.empty() + !args.image.empty();
  if (given != 1) return fail(2, "give one of: FILE.pdf, --qr TEXT, --image PHOTO");
  auto ring = keyring(args);
  if (!ring) return fail(2, "keyring: " + ring.error().message);
  certs::Verification verdict;
  bool content_checked = false;
  if (!args.pdf.empty()) {
    auto data = certs::read_attachment(args.pdf);
    if (!data) return fail(2, data.error().message);
    verdict = certs::verify_certificate_json(data.value(), ring.value());
    wipe(data.value());
    content_checked = true;
  } else {
    std::string payload = args.qr;
    if (!args.image.empty()) {
      auto photo = camera::io::read(args.image, cv::IMREAD_GRAYSCALE);
      if (!photo) return fail(2, photo.error().message);
      const auto codes = camera::decode_qr(photo.value(), certs::kMaxVerifyCodeBytes);
      if (codes.empty()) return fail(1, "no QR code found in " + args.image);
      payload = codes.front();
      for (const auto& code : codes)  // a photo may catch other codes; ours starts SMZC
        if (code.rfind("SMZC", 0) == 0) payload = code;
    }
    verdict = certs::verify_code(payload, ring.value());
  }
  print_verdict(verdict, ring.value(), content_checked, args.as_json);
  return verdict.genuine ? 0 : 1;
}

}  // namespace

void add_cert_commands(CLI::App& app, int& rc) {
  static CertArgs args;
  auto* cert = app.add_subcommand("cert", "render certificates and check that one is genuine");
  cert->require_subcommand(1);

  auto* r = cert->add_subcommand("render", "lay a certificate's JSON out by its template");
  r->add_option("data", args.data, "the certificate's JSON (as a backend issued it)")->required();
  r->add_option("--template", args.layout, "template name (default: the data's document_type)");
  r->add_option("--out", args.out, "FILE.pdf or FILE.png (pages 2.. at FILE-2.png ...)")
      ->required();
  r->add_option("--dpi", args.dpi, "resolution of PNG pages")->check(CLI::Range(36, 1200));
  r->add_flag("--json", args.as_json, "print JSON");
  r->callback([&rc] { rc = render(args); });

  auto* v = cert->add_subcommand(
      "verify", "check a certificate: exit 0 genuine, 1 not (with the reason), 2 cannot check");
  v->add_option("pdf", args.pdf, "a certificate PDF made by 市民之窗 (its data is checked)");
  v->add_option("--qr", args.qr, "the text of a certificate's QR code");
  v->add_option("--image", args.image, "a photograph or scan of the paper (PNG, JPEG)");
  v->add_option("--config", args.config, "terminal configuration whose cached keyrings to trust");
  v->add_flag("--fetch", args.fetch, "ask the backends for fresh keyrings first");
  v->add_option("--keyring", args.keyring, "a signed keyring file instead of the terminal's");
  v->add_option("--anchor", args.anchor, "the public key (PEM) that signed --keyring");
  v->add_flag("--json", args.as_json, "print JSON");
  v->callback([&rc] { rc = verify(args); });

  auto* t = cert->add_subcommand("templates", "list the certificate templates");
  t->callback([&rc] {
    for (const auto& name : certs::template_names()) {
      auto layout = certs::load_template(name);
      std::cout << name << "\t" << (layout ? layout->document : "ERROR: " + layout.error().message)
                << '\n';
    }
    rc = 0;
  });
}

}  // namespace smzc::kioskctl
