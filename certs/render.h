// Laying a certificate out by its template and drawing it: PDF (cairo, pango, embedded CJK fonts,
// the certificate's data attached), PNG pages, or raw gray pages for a raster printer. Every
// output comes from one layout, so what prints as raster is what the PDF shows.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"
#include "certs/certificate.h"
#include "certs/template.h"

namespace smzc::certs {

/// The name under which a PDF carries the certificate's signed JSON (an embedded file).
inline constexpr const char* kAttachmentName = "certificate.json";

/// Renders `certificate` by `layout` as a PDF at `out` and returns its page count. A long table
/// continues on further pages (its header repeated, "第 N 页 共 M 页" on each); nothing is
/// dropped. `attachment`, when given, is embedded as certificate.json (the signed JSON as the
/// backend issued it), so a verifier holding the PDF can check the content digest.
Result<int> render_pdf(const Certificate& certificate, const Template& layout,
                       const std::filesystem::path& out, const std::string& attachment = {});
/// The same with the template named by the certificate's document_type (default directory).
Result<int> render_pdf(const Certificate& certificate, const std::filesystem::path& out,
                       const std::string& attachment = {});

/// Renders every page as a PNG at `dpi`: the first page at `out`, the next at out-2.png, ...
/// Returns the page count.
Result<int> render_png(const Certificate& certificate, const Template& layout,
                       const std::filesystem::path& out, int dpi);

/// One page as 8-bit gray, 0 black .. 255 white, row by row.
struct GrayPage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
};
/// Renders every page as gray pixels at `dpi` (a raster printer's resolution).
Result<std::vector<GrayPage>> render_gray(const Certificate& certificate, const Template& layout,
                                          int dpi);

/// The signed JSON a PDF made by render_pdf carries, or an error when it carries none.
Result<std::string> read_attachment(const std::filesystem::path& pdf);

/// The seal's 13-digit code: the region code and 7 digits derived from the department's name.
std::string seal_code(const std::string& region_code, const std::string& issuer);

}  // namespace smzc::certs
