// Where the project's data files are: demo cards, the simulated printer's print command, the
// reference backend's catalogue.
#pragma once

#include <filesystem>
#include <string>

#include "base/status.h"

namespace smzc {

/// SMZC_DATA_DIR when set; else share/smzc beside the binary's folder (installed, or the build
/// tree, which links it to the sources); else /usr/share/smzc.
std::filesystem::path data_dir();
/// A file below data_dir(), e.g. data_file("backend/data/catalogue.json").
std::filesystem::path data_file(const std::string& relative);

/// A module the binaries load when they need it (e.g. libsmzc_opencv_io.so): in lib/smzc/modules
/// beside the binary's folder (installed: /usr/lib/smzc/modules; the build tree:
/// build/lib/smzc/modules).
std::filesystem::path module_file(const std::string& name);

/// The whole of a regular file of at most `max_bytes`: a directory, a device, a missing or an
/// unreadable file, or a larger one is an error that names the path (never an exception).
Result<std::string> read_file(const std::filesystem::path& path, size_t max_bytes = 16 << 20);

}  // namespace smzc
