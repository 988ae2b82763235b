#include "base/paths.h"

#include <cstdlib>
#include <fstream>
#include <optional>
#include <system_error>

namespace smzc {

namespace {
// `relative` beside the binary's folder (build/bin/../RELATIVE, /usr/bin/../RELATIVE) if it is
// there.
std::optional<std::filesystem::path> beside_binary(const std::string& relative) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  auto beside = exe.parent_path().parent_path() / relative;
  if (!std::filesystem::exists(beside, ec)) return std::nullopt;
  return beside;
}
}  // namespace

std::filesystem::path data_dir() {
  if (const char* env = std::getenv("SMZC_DATA_DIR"); env && *env) return env;
  // As installed (/usr/bin/../share/smzc) and in the build tree (build/bin/../share/smzc, which
  // links back to the sources).
  return beside_binary("share/smzc").value_or("/usr/share/smzc");
}

std::filesystem::path data_file(const std::string& relative) {
  return data_dir() / relative;
}

std::filesystem::path module_file(const std::string& name) {
  return beside_binary("lib/smzc/modules/" + name)
      .value_or(std::filesystem::path("/usr/lib/smzc/modules") / name);
}

Result<std::string> read_file(const std::filesystem::path& path, size_t max_bytes) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    return Error{Completion::kDeviceNotReady, "cannot read " + path.string() + ": no such file"};
  if (!std::filesystem::is_regular_file(status))
    return Error{Completion::kInvalidData, path.string() + " is not a regular file"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{Completion::kDeviceNotReady, "cannot read " + path.string()};
  std::string text(max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return Error{Completion::kDeviceNotReady, "cannot read " + path.string()};
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > max_bytes)
    return Error{Completion::kInvalidData,
                 path.string() + " is larger than " + std::to_string(max_bytes) + " bytes"};
  return text;
}

}  // namespace smzc
