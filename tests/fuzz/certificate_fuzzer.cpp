// libFuzzer target: what a verifier reads from outside — a QR code's text from a camera or a
// phone, a certificate's JSON (from a backend or a PDF's attachment), a keyring, a template.
// Anything must give a clear answer (genuine, or a reason), never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "certs/certificate.h"
#include "certs/template.h"
#include "certs/verify_code.h"

namespace {

using namespace smzc::certs;

// A keyring with one issuer, so that codes naming it reach the signature check.
struct Fixture {
  Sm2Key anchor = Sm2Key::generate().value();
  Sm2Key issuer = Sm2Key::generate().value();
  Keyring ring;
  Fixture() {
    const IssuerKey key{
        "440605", "佛山市南海区", issuer.key_id(), issuer.public_pem().value(), false, ""};
    ring = Keyring::from_signed_json(
               sign_json(Keyring::to_json({key}, "1", "2026-11-23T10:00:00+08:00"), anchor).value(),
               anchor)
               .value();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fixture;
  if (size == 0) return 0;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto code = parse_verify_code(input);
      (void)code;
      (void)verify_code(input, fixture.ring);
      break;
    }
    case 1: {
      auto c = parse_certificate(input);
      if (c) (void)content_digest(c.value());
      (void)verify_certificate_json(input, fixture.ring);
      break;
    }
    case 2:
      (void)Keyring::from_signed_json(input, fixture.anchor, {"440605"});
      break;
    case 3:
      (void)parse_template(input, "/nonexistent");
      break;
  }
  return 0;
}
