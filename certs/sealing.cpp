#include "certs/sealing.h"

#include "base/paths.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <memory>

#include "base/privacy.h"
#include "certs/signing.h"

namespace smzc::certs {
namespace {

constexpr std::string_view kPrefix = "aes256gcm:";
constexpr size_t kNonce = 12, kTag = 16;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

}  // namespace

DataKey::~DataKey() {
  OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

std::string DataKey::derive(std::string_view purpose) const {
  if (!present_) return {};
  return hmac_sm3({reinterpret_cast<const char*>(bytes_.data()), bytes_.size()}, purpose);
}

Result<DataKey> DataKey::random() {
  DataKey key;
  if (RAND_bytes(key.bytes_.data(), static_cast<int>(key.bytes_.size())) != 1)
    return Error{Completion::kHardwareError, "no random bytes for a data key"};
  key.present_ = true;
  return key;
}

Result<DataKey> DataKey::load(const std::filesystem::path& path) {
  auto read = read_file(path, 64);
  if (!read && read.code() == Completion::kDeviceNotReady)
    return Error{Completion::kDeviceNotReady, "cannot read data key " + path.string()};
  if (!read) return Error{read.code(), "data key: " + read.error().message};
  std::string bytes = std::move(read.value());
  if (bytes.size() != 32) {
    wipe(bytes);
    return Error{Completion::kInvalidData,
                 "data key " + path.string() + " is not 32 bytes; refusing to use or replace it"};
  }
  DataKey key;
  std::copy(bytes.begin(), bytes.end(), key.bytes_.begin());
  wipe(bytes);
  key.present_ = true;
  return key;
}

Result<DataKey> DataKey::load_or_create(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return load(path);
  auto key = random();
  if (!key) return key;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  // Written whole and synced under a temporary name, then linked into place: a power cut never
  // leaves a short key, and of two processes starting at once only one key wins.
  const std::string tmp = path.string() + ".new." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return Error{Completion::kHardwareError, "cannot create data key " + path.string()};
  const bool written =
      ::write(fd, key->bytes_.data(), key->bytes_.size()) == 32 && ::fsync(fd) == 0;
  ::close(fd);
  const bool linked = written && ::link(tmp.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (!linked && written && link_errno == EEXIST) return load(path);  // the other one won
  if (!linked) return Error{Completion::kHardwareError, "cannot write data key " + path.string()};
  if (const int dir = ::open(path.has_parent_path() ? path.parent_path().c_str() : ".",
                             O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return key;
}

Result<std::string> DataKey::seal(std::string_view plaintext, std::string_view context) const {
  if (!present_) return Error{Completion::kUnsupported, "no data key"};
  std::string out(kNonce + plaintext.size() + kTag, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  if (RAND_bytes(nonce, kNonce) != 1)
    return Error{Completion::kHardwareError, "no random bytes for a nonce"};
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok = ctx &&
            EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes_.data(), nonce) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &len,
                              reinterpret_cast<const unsigned char*>(context.data()),
                              static_cast<int>(context.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nonce + kNonce, &len,
                              reinterpret_cast<const unsigned char*>(plaintext.data()),
                              static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx.get(), nonce + kNonce + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag,
                                nonce + kNonce + plaintext.size()) == 1;
  if (!ok) return Error{Completion::kHardwareError, "AES-256-GCM sealing failed"};
  return std::string(kPrefix) + base64_encode(out);
}

Result<std::string> DataKey::open(std::string_view sealed, std::string_view context) const {
  if (!present_) return Error{Completion::kUnsupported, "no data key"};
  if (sealed.substr(0, kPrefix.size()) != kPrefix)
    return Error{Completion::kInvalidData, "not a sealed value"};
  auto raw = base64_decode(sealed.substr(kPrefix.size()));
  if (!raw || raw->size() < kNonce + kTag)
    return Error{Completion::kInvalidData, "sealed value is damaged"};
  const auto* bytes = reinterpret_cast<unsigned char*>(raw->data());
  const size_t n = raw->size() - kNonce - kTag;
  std::string plain(n, '\0');
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  std::array<unsigned char, kTag> tag{};
  std::copy(bytes + kNonce + n, bytes + kNonce + n + kTag, tag.begin());
  bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes_.data(), bytes) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len,
                        reinterpret_cast<const unsigned char*>(context.data()),
                        static_cast<int>(context.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len,
                        bytes + kNonce, static_cast<int>(n)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &len) ==
          1;
  wipe(raw.value());
  if (!ok) {
    wipe(plain);
    return Error{Completion::kInvalidData,
                 "sealed value does not open: another key, another row, or tampered"};
  }
  return plain;
}

}  // namespace smzc::certs
