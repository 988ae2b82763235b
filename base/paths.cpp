#include "base/paths.h"

#include <cstdlib>
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

}  // namespace smzc
