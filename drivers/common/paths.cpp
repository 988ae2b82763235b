#include "drivers/common/paths.h"

#include <cstdlib>

namespace smzc {

std::filesystem::path data_dir() {
  if (const char* env = std::getenv("SMZC_DATA_DIR"); env && *env) return env;
#ifdef SMZC_SOURCE_DIR
  if (std::filesystem::exists(SMZC_SOURCE_DIR "/drivers")) return SMZC_SOURCE_DIR;
#endif
  return "/usr/share/smzc";
}

std::filesystem::path data_file(const std::string& relative) {
  return data_dir() / relative;
}

}  // namespace smzc
