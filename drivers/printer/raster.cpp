#include "drivers/printer/raster.h"

#include <cairo.h>
#include <cups/raster.h>
#include <fcntl.h>
#include <poppler.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace smzc::printer {
namespace {

struct GObjectUnref {
  void operator()(void* p) const { g_object_unref(p); }
};
struct SurfaceCloser {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoCloser {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct RasterCloser {
  void operator()(cups_raster_t* r) const { cupsRasterClose(r); }
};

}  // namespace

Result<int> pdf_to_pwg_raster(const std::filesystem::path& pdf, const std::filesystem::path& out,
                              const RasterOptions& options) {
  pwg_media_t* media = pwgMediaForPWG(options.media.c_str());
  if (!media) return Error{Completion::kInvalidData, "unknown media " + options.media};
  GError* error = nullptr;
  gchar* uri = g_filename_to_uri(std::filesystem::absolute(pdf).c_str(), nullptr, &error);
  std::unique_ptr<PopplerDocument, GObjectUnref> doc(
      uri ? poppler_document_new_from_file(uri, nullptr, &error) : nullptr);
  g_free(uri);
  if (!doc) {
    std::string why = error ? error->message : "unreadable";
    if (error) g_error_free(error);
    return Error{Completion::kInvalidData, "cannot read " + pdf.string() + ": " + why};
  }
  int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error{Completion::kHardwareError, "cannot write " + out.string()};
  std::unique_ptr<cups_raster_t, RasterCloser> raster(cupsRasterOpen(fd, CUPS_RASTER_WRITE_PWG));
  const int pages = poppler_document_get_n_pages(doc.get());
  for (int i = 0; i < pages; ++i) {
    cups_page_header2_t header;
    cupsRasterInitPWGHeader(&header, media, options.one_bit ? "black_1" : "sgray_8", options.dpi,
                            options.dpi, "one-sided", nullptr);
    const int width = static_cast<int>(header.cupsWidth);
    const int height = static_cast<int>(header.cupsHeight);
    std::unique_ptr<cairo_surface_t, SurfaceCloser> surface(
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
    std::unique_ptr<cairo_t, CairoCloser> cr(cairo_create(surface.get()));
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    std::unique_ptr<PopplerPage, GObjectUnref> page(poppler_document_get_page(doc.get(), i));
    double page_w = 0, page_h = 0;
    poppler_page_get_size(page.get(), &page_w, &page_h);
    const double scale = std::min(width / page_w, height / page_h);
    cairo_scale(cr.get(), scale, scale);
    poppler_page_render_for_printing(page.get(), cr.get());
    cairo_surface_flush(surface.get());
    if (!cupsRasterWriteHeader2(raster.get(), &header)) {
      ::close(fd);
      return Error{Completion::kHardwareError, "cannot write a raster header"};
    }
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    std::vector<unsigned char> line(header.cupsBytesPerLine);
    for (int y = 0; y < height; ++y) {
      const auto* row = reinterpret_cast<const uint32_t*>(data + static_cast<size_t>(y) * stride);
      std::fill(line.begin(), line.end(), 0);
      for (int x = 0; x < width; ++x) {
        const uint32_t p = row[x];
        // ITU-R BT.601 luma, in integers.
        const unsigned grey =
            (((p >> 16) & 0xFF) * 299 + ((p >> 8) & 0xFF) * 587 + (p & 0xFF) * 114) / 1000;
        if (!options.one_bit)
          line[static_cast<size_t>(x)] = static_cast<unsigned char>(grey);
        else if (grey < 128)  // black_1: a set bit is black
          line[static_cast<size_t>(x) / 8] |= static_cast<unsigned char>(0x80 >> (x % 8));
      }
      cupsRasterWritePixels(raster.get(), line.data(), header.cupsBytesPerLine);
    }
  }
  raster.reset();
  ::close(fd);
  return pages;
}

}  // namespace smzc::printer
