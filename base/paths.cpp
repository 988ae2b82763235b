#include "base/paths.h"

#include <cstdlib>
#include <fstream>
#include <system_error>

namespace smzc {

std::filesystem::path data_dir() {
  if (const char* env = std::getenv("SMZC_DATA_DIR"); env && *env) return env;
  // Beside the binary, as installed (/usr/bin/../share/smzc) and in the build tree
  // (build/bin/../share/smzc, which links back to the sources).
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto beside = exe.parent_path().parent_path() / "share/smzc";
    if (std::filesystem::exists(beside, ec)) return beside;
  }
  return "/usr/share/smzc";
}

std::filesystem::path data_file(const std::string& relative) {
  return data_dir() / relative;
}

std::filesystem::path module_file(const std::string& name) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto beside = exe.parent_path().parent_path() / "lib/smzc/modules" / name;
    if (std::filesystem::exists(beside, ec)) return beside;
  }
  return std::filesystem::path("/usr/lib/smzc/modules") / name;
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
