#include "certs/signing.h"
#include "base/json.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <vector>

namespace smzc::certs {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

// A digest context for SM2-with-SM3 over `key`, with the GM/T 0009 distinguishing ID set. The
// EVP_PKEY_CTX handed to the EVP_MD_CTX stays ours to free, so both live here.
struct Sm2Context {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> pkey;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> md;
};

std::optional<Sm2Context> sm2_context(EVP_PKEY* key, bool for_signing) {
  Sm2Context c{std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>(EVP_PKEY_CTX_new(key, nullptr)),
               std::unique_ptr<EVP_MD_CTX, MdCtxFree>(EVP_MD_CTX_new())};
  if (!c.pkey || !c.md) return std::nullopt;
  if (EVP_PKEY_CTX_set1_id(c.pkey.get(), kSm2DistinguishingId.data(),
                           kSm2DistinguishingId.size()) != 1)
    return std::nullopt;
  EVP_MD_CTX_set_pkey_ctx(c.md.get(), c.pkey.get());
  const int ok = for_signing ? EVP_DigestSignInit(c.md.get(), nullptr, EVP_sm3(), nullptr, key)
                             : EVP_DigestVerifyInit(c.md.get(), nullptr, EVP_sm3(), nullptr, key);
  if (ok != 1) return std::nullopt;
  return c;
}

}  // namespace

std::string canonical_form(const std::string& json_without_signature) {
  auto j = parse_json(json_without_signature);
  return j.is_discarded() ? std::string() : j.dump();  // nlohmann sorts keys and adds no spaces
}

Result<std::string> sign_json(const std::string& text, const Sm2Key& key) {
  auto j = parse_json(text);
  if (j.is_discarded() || !j.is_object())
    return Error{Completion::kInvalidData, "not a JSON object"};
  j.erase("signature");
  auto value = key.sign(j.dump());
  if (!value) return value.error();
  j["signature"] = {{"alg", "SM2-SM3"}, {"key_id", key.key_id()}, {"value", value.value()}};
  return j.dump();
}

Result<std::string> verify_signed_json(const std::string& text, const Sm2Key& key) {
  auto j = parse_json(text);
  if (j.is_discarded() || !j.is_object())
    return Error{Completion::kInvalidData, "not a JSON object"};
  if (!j.contains("signature") || !j["signature"].is_object())
    return Error{Completion::kInvalidData, "not signed"};
  const auto sig = j["signature"];
  j.erase("signature");
  if (sig.value("alg", "") != "SM2-SM3")
    return Error{Completion::kInvalidData, "signature is not SM2-SM3"};
  if (sig.value("key_id", "") != key.key_id())
    return Error{Completion::kInvalidData,
                 "signed by an unknown key " + sig.value("key_id", std::string("?"))};
  const std::string document = j.dump();
  if (!sig.contains("value") || !sig["value"].is_string() ||
      !key.verify(document, sig["value"].get<std::string>()))
    return Error{Completion::kInvalidData, "signature does not verify"};
  return document;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return Error{Completion::kInvalidData, "not base64"};
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return Error{Completion::kInvalidData, "not base64"};
  // Padding decodes as zero bytes: one per '=', and never more than two.
  size_t padding = 0;
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) ++padding;
  if (padding > 2 || padding > static_cast<size_t>(n))
    return Error{Completion::kInvalidData, "not base64"};
  out.resize(static_cast<size_t>(n) - padding);
  // EVP_DecodeBlock also takes spaces, stray bits in the last character and padding out of place:
  // only the one canonical spelling of the bytes is accepted, so no two texts carry the same
  // sealed value or signature.
  if (base64_encode(out) != text) return Error{Completion::kInvalidData, "not canonical base64"};
  return out;
}

Result<Sm2Key> Sm2Key::generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2");
  if (!key) return Error{Completion::kHardwareError, "SM2 key generation failed"};
  return Sm2Key(key, true);
}

Result<Sm2Key> Sm2Key::from_pem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  const bool is_private = pem.find("PRIVATE KEY") != std::string_view::npos;
  EVP_PKEY* key = is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                             : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (!key) return Error{Completion::kInvalidData, "not a PEM key"};
  if (!EVP_PKEY_is_a(key, "SM2")) {
    EVP_PKEY_free(key);
    return Error{Completion::kInvalidData, "not an SM2 key"};
  }
  return Sm2Key(key, is_private);
}

Result<Sm2Key> Sm2Key::from_pem_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{Completion::kInvalidData, "cannot read key " + path};
  std::stringstream ss;
  ss << in.rdbuf();
  auto key = from_pem(ss.str());
  if (!key) return Error{key.code(), path + ": " + key.error().message};
  return key;
}

Sm2Key::Sm2Key(evp_pkey_st* key, bool has_private) : key_(key), has_private_(has_private) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key_, &der);
  if (len <= 0) return;
  key_id_ = sm3_hex(std::string_view(reinterpret_cast<const char*>(der), len)).substr(0, 16);
  OPENSSL_free(der);
}

Sm2Key::Sm2Key(Sm2Key&& other) noexcept {
  *this = std::move(other);
}

Sm2Key& Sm2Key::operator=(Sm2Key&& other) noexcept {
  if (this != &other) {
    EVP_PKEY_free(key_);
    key_ = std::exchange(other.key_, nullptr);
    has_private_ = other.has_private_;
    key_id_ = std::move(other.key_id_);
  }
  return *this;
}

Sm2Key::~Sm2Key() {
  EVP_PKEY_free(key_);
}

Result<std::string> Sm2Key::private_pem() const {
  if (!has_private_) return Error{Completion::kUnsupported, "only the public key is here"};
  Bio bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(bio.get(), key_, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return Error{Completion::kHardwareError, "cannot write the private key"};
  return bio_text(bio.get());
}

Result<std::string> Sm2Key::public_pem() const {
  if (!key_) return Error{Completion::kInvalidData, "no key"};
  Bio bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PUBKEY(bio.get(), key_) != 1)
    return Error{Completion::kHardwareError, "cannot write the public key"};
  return bio_text(bio.get());
}

std::string sm3_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sm3(), nullptr);
  return to_hex({reinterpret_cast<const char*>(digest), len});
}

std::string hmac_sm3(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sm3(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length))
    return {};
  std::string out(reinterpret_cast<const char*>(mac), length);
  OPENSSL_cleanse(mac, sizeof mac);
  return out;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

Result<std::string> Sm2Key::sign(std::string_view data) const {
  if (!key_ || !has_private_)
    return Error{Completion::kUnsupported, "cannot sign without a private key"};
  auto ctx = sm2_context(key_, true);
  if (!ctx) return Error{Completion::kHardwareError, "SM2 signing setup failed"};
  EVP_MD_CTX* md = ctx->md.get();
  size_t len = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  if (EVP_DigestSign(md, nullptr, &len, bytes, data.size()) != 1)
    return Error{Completion::kHardwareError, "SM2 signing failed"};
  std::string sig(len, '\0');
  if (EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len, bytes, data.size()) !=
      1)
    return Error{Completion::kHardwareError, "SM2 signing failed"};
  sig.resize(len);
  return base64_encode(sig);
}

bool Sm2Key::verify(std::string_view data, std::string_view signature_b64) const {
  auto sig = base64_decode(signature_b64);
  if (!sig || !key_) return false;
  auto ctx = sm2_context(key_, false);
  if (!ctx) return false;
  return EVP_DigestVerify(ctx->md.get(), reinterpret_cast<const unsigned char*>(sig->data()),
                          sig->size(), reinterpret_cast<const unsigned char*>(data.data()),
                          data.size()) == 1;
}

}  // namespace smzc::certs
