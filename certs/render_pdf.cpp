// A4 certificate layout with cairo (PDF surface) and pango (CJK text), QR code by libqrencode.

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <memory>

#include "certs/certificate.h"

namespace smzc::certs {
namespace {

constexpr double kPageWidth = 595.276;  // A4 in points
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 56.0;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;

struct SurfaceCloser {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoCloser {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct LayoutCloser {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};

class Page {
 public:
  explicit Page(cairo_t* cr) : cr_(cr) {}

  // Draws `text` at (x, y) in a box `width` wide; returns the height used.
  double text(const std::string& text, double x, double y, double width, const char* font,
              PangoAlignment align = PANGO_ALIGN_LEFT) {
    std::unique_ptr<PangoLayout, LayoutCloser> layout(pango_cairo_create_layout(cr_));
    PangoFontDescription* desc = pango_font_description_from_string(font);
    pango_layout_set_font_description(layout.get(), desc);
    pango_font_description_free(desc);
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align);
    pango_layout_set_text(layout.get(), text.c_str(), -1);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout.get());
    int w = 0, h = 0;
    pango_layout_get_pixel_size(layout.get(), &w, &h);
    return h;
  }

  void line(double x1, double y1, double x2, double y2, double width = 0.6) {
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, x1, y1);
    cairo_line_to(cr_, x2, y2);
    cairo_stroke(cr_);
  }

  Status qr(const std::string& payload, double x, double y, double size) {
    QRcode* code = QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code) return Error{Completion::kInvalidData, "QR payload too long"};
    const double module = size / code->width;
    for (int row = 0; row < code->width; ++row)
      for (int col = 0; col < code->width; ++col)
        if (code->data[row * code->width + col] & 1)
          cairo_rectangle(cr_, x + col * module, y + row * module, module, module);
    cairo_fill(cr_);
    QRcode_free(code);
    return ok_status();
  }

 private:
  cairo_t* cr_;
};

}  // namespace

Status render_pdf(const Certificate& c, const std::filesystem::path& out) {
  std::unique_ptr<cairo_surface_t, SurfaceCloser> surface(
      cairo_pdf_surface_create(out.c_str(), kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return Error{Completion::kHardwareError, "cannot write " + out.string()};
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, c.title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "市民之窗 smzc");
  std::unique_ptr<cairo_t, CairoCloser> cr(cairo_create(surface.get()));
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  Page page(cr.get());

  double y = kMargin;
  y += page.text(c.title, kMargin, y, kContentWidth, "Noto Serif CJK SC Bold 22",
                 PANGO_ALIGN_CENTER);
  y += 6;
  page.text("编号 " + c.serial, kMargin, y, kContentWidth, "Noto Sans CJK SC 9", PANGO_ALIGN_RIGHT);
  y += 18;
  page.line(kMargin, y, kPageWidth - kMargin, y, 1.2);
  y += 12;

  std::vector<LabeledValue> rows = {{"姓名", c.holder_name}, {"公民身份号码", c.holder_id_number}};
  rows.insert(rows.end(), c.fields.begin(), c.fields.end());
  constexpr double kLabelWidth = 120;
  for (const auto& [label, value] : rows) {
    double h = page.text(label, kMargin, y, kLabelWidth, "Noto Sans CJK SC Bold 11");
    h = std::max(h, page.text(value, kMargin + kLabelWidth, y, kContentWidth - kLabelWidth,
                              "Noto Sans CJK SC 11"));
    y += h + 6;
  }

  if (!c.table_columns.empty()) {
    y += 8;
    const double col_width = kContentWidth / c.table_columns.size();
    page.line(kMargin, y, kPageWidth - kMargin, y);
    y += 4;
    for (size_t i = 0; i < c.table_columns.size(); ++i)
      page.text(c.table_columns[i], kMargin + i * col_width, y, col_width,
                "Noto Sans CJK SC Bold 10", PANGO_ALIGN_CENTER);
    y += 18;
    page.line(kMargin, y, kPageWidth - kMargin, y);
    y += 4;
    for (const auto& row : c.table_rows) {
      if (y > kPageHeight - 220) break;  // one page: the footer and QR code always fit
      double h = 0;
      for (size_t i = 0; i < row.size() && i < c.table_columns.size(); ++i)
        h = std::max(h, page.text(row[i], kMargin + i * col_width, y, col_width,
                                  "Noto Sans CJK SC 10", PANGO_ALIGN_CENTER));
      y += h + 3;
    }
    page.line(kMargin, y, kPageWidth - kMargin, y);
  }

  const double footer = kPageHeight - kMargin - 110;
  if (auto s = page.qr(c.verify_payload, kMargin, footer, 96); !s) return s;
  page.text("扫描二维码核验本凭证真伪", kMargin, footer + 98, 200, "Noto Sans CJK SC 8");
  const double right = kMargin + 200;
  const double right_width = kContentWidth - 200;
  page.text(c.issuer, right, footer + 20, right_width, "Noto Sans CJK SC Bold 12",
            PANGO_ALIGN_RIGHT);
  page.text("出具日期 " + c.issued_at.substr(0, 10), right, footer + 44, right_width,
            "Noto Sans CJK SC 10", PANGO_ALIGN_RIGHT);
  page.text("本凭证由市民之窗自助终端打印", right, footer + 64, right_width, "Noto Sans CJK SC 8",
            PANGO_ALIGN_RIGHT);

  cairo_show_page(cr.get());
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return Error{Completion::kHardwareError, "cannot finish " + out.string()};
  return ok_status();
}

}  // namespace smzc::certs
