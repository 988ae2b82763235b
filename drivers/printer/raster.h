// PDF to PWG raster, for IPP Everywhere printers that take no PDF (receipt and label printers
// often take only image/pwg-raster).
#pragma once

#include <filesystem>
#include <string>

#include "base/status.h"

namespace smzc::printer {

struct RasterOptions {
  std::string media = "iso_a4_210x297mm";  ///< PWG media name: the page size of the raster
  int dpi = 300;
  bool one_bit = false;  ///< black_1 instead of sgray_8
};

/// Renders every page of `pdf` (poppler) into a PWG raster stream at `out` (libcups), scaled to
/// fit the media. Returns the number of pages written.
Result<int> pdf_to_pwg_raster(const std::filesystem::path& pdf, const std::filesystem::path& out,
                              const RasterOptions& options);

}  // namespace smzc::printer
