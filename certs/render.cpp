// The layout runs once, in points, against a pango context of its own (metrics unhinted, so a
// line breaks at the same place at any resolution); the placed items are then drawn on a PDF
// surface, or on image surfaces scaled to the wanted dpi.

#include "certs/render.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFEmbeddedFileDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <variant>

#include "base/privacy.h"
#include "base/text.h"
#include "certs/signing.h"

namespace smzc::certs {
namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;

struct SurfaceCloser {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoCloser {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct GObjectUnref {
  void operator()(void* p) const { g_object_unref(p); }
};
struct QrCloser {
  void operator()(QRcode* q) const { QRcode_free(q); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceCloser>;
using CairoPtr = std::unique_ptr<cairo_t, CairoCloser>;
using LayoutPtr = std::shared_ptr<PangoLayout>;

struct Rgb {
  double r = 0, g = 0, b = 0;
};

Rgb parse_color(const std::string& hex) {
  unsigned value = 0xd7261e;
  if (hex.size() == 7 && hex[0] == '#') value = std::stoul(hex.substr(1), nullptr, 16);
  return {((value >> 16) & 0xff) / 255.0, ((value >> 8) & 0xff) / 255.0, (value & 0xff) / 255.0};
}

// Replaces {name} placeholders from the certificate.
std::string fill(std::string text, const Certificate& c) {
  const std::pair<const char*, std::string> values[] = {
      {"{issuer}", c.issuer},
      {"{region_code}", c.region_code},
      {"{serial}", c.serial},
      {"{title}", c.title},
      {"{seal_code}", seal_code(c.region_code, c.issuer)}};
  for (const auto& [key, value] : values)
    for (size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + value.size()))
      text.replace(at, std::strlen(key), value);
  return text;
}

// What is drawn, placed in points on one page.
struct TextItem {
  LayoutPtr layout;
  double x, y;
  Rgb color;
};
struct LineItem {
  double x1, y1, x2, y2, width;
};
struct QrItem {
  std::shared_ptr<QRcode> code;
  double x, y, size;
};
struct SealItem {
  double cx, cy, radius;
  std::string text, label, code;
  Rgb color;
};
struct StampItem {  // the 补打 mark: red text in a red box
  LayoutPtr layout;
  double x, y;
};
using Item = std::variant<TextItem, LineItem, QrItem, SealItem, StampItem>;

class Composer {
 public:
  Composer(const Certificate& c, const Template& t) : c_(c), t_(t) {
    const bool a5 = t.page_size == "A5";
    width_ = a5 ? 419.528 : 595.276;
    height_ = a5 ? 595.276 : 841.89;
    if (t.landscape) std::swap(width_, height_);
    left_ = t.margin_left_mm * kPointsPerMm;
    right_ = width_ - t.margin_right_mm * kPointsPerMm;
    top_ = t.margin_top_mm * kPointsPerMm;
    // The footer line (printed-by, page numbers) sits in the bottom margin's upper part.
    bottom_ = height_ - t.margin_bottom_mm * kPointsPerMm - 14;
    context_.reset(pango_font_map_create_context(pango_cairo_font_map_get_default()),
                   GObjectUnref());
    pango_cairo_context_set_resolution(context_.get(), 72);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context_.get(), options);
    cairo_font_options_destroy(options);
  }

  double width() const { return width_; }
  double height() const { return height_; }
  PangoContext* context() const { return context_.get(); }
  const std::vector<std::vector<Item>>& pages() const { return pages_; }

  Status compose() {
    new_page();
    heading();
    if (auto s = fields(); !s) return s;
    table();
    notes();
    if (auto s = closing(); !s) return s;
    footers();
    return ok_status();
  }

 private:
  // A laid-out paragraph `width` points wide; its height is layout_height().
  LayoutPtr text_layout(const std::string& text, const std::string& font, double width,
                        PangoAlignment align = PANGO_ALIGN_LEFT) {
    LayoutPtr layout(pango_layout_new(context_.get()), GObjectUnref());
    PangoFontDescription* desc = pango_font_description_from_string(font.c_str());
    pango_layout_set_font_description(layout.get(), desc);
    pango_font_description_free(desc);
    if (width > 0) pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align);
    pango_layout_set_text(layout.get(), text.c_str(), -1);
    return layout;
  }
  static double layout_height(const LayoutPtr& layout) {
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    return logical.height / static_cast<double>(PANGO_SCALE);
  }
  static double layout_width(const LayoutPtr& layout) {
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    return logical.width / static_cast<double>(PANGO_SCALE);
  }
  double put_text(const std::string& text, const std::string& font, double x, double y,
                  double width, PangoAlignment align = PANGO_ALIGN_LEFT, Rgb color = {}) {
    auto layout = text_layout(text, font, width, align);
    const double h = layout_height(layout);
    page().push_back(TextItem{std::move(layout), x, y, color});
    return h;
  }
  void rule(double y, double width = 0.6) {
    page().push_back(LineItem{left_, y, right_, y, width});
  }
  std::vector<Item>& page() { return pages_.back(); }

  // Every page starts with the serial at the top right; continuation pages repeat the title
  // small, so a loose sheet still says what it belongs to.
  void new_page() {
    pages_.emplace_back();
    y_ = top_;
    const double w = right_ - left_;
    if (pages_.size() > 1) {
      put_text(c_.title + "（续）", t_.small_font, left_, y_, w / 2);
      put_text("编号 " + c_.serial, t_.small_font, left_, y_, w, PANGO_ALIGN_RIGHT);
      y_ += 14;
      rule(y_, 0.8);
      y_ += 8;
    }
  }
  // Starts a new page unless `height` more fits on this one; true when it did.
  bool make_room(double height) {
    if (y_ + height <= bottom_) return false;
    new_page();
    return true;
  }

  void heading() {
    const double w = right_ - left_;
    y_ += put_text(c_.title, t_.title_font, left_, y_, w, PANGO_ALIGN_CENTER);
    if (!t_.subtitle.empty())
      y_ += put_text(fill(t_.subtitle, c_), t_.body_font, left_, y_ + 2, w, PANGO_ALIGN_CENTER) + 2;
    y_ += 6;
    put_text("编号 " + c_.serial, t_.small_font, left_, y_, w, PANGO_ALIGN_RIGHT);
    if (c_.reprint > 0) {
      auto mark = text_layout("补打 第" + std::to_string(c_.reprint) + "次", t_.label_font, 0);
      page().push_back(StampItem{mark, left_ + 4, top_ + 2});
    }
    y_ += 16;
    rule(y_, 1.4);
    y_ += 10;
  }

  Status fields() {
    std::vector<LabeledValue> rows;
    if (!t_.holder_name_label.empty()) rows.push_back({t_.holder_name_label, c_.holder_name});
    if (!t_.holder_id_label.empty()) rows.push_back({t_.holder_id_label, c_.holder_id_number});
    rows.insert(rows.end(), c_.fields.begin(), c_.fields.end());
    const double w = right_ - left_;
    const double label_w = t_.label_width_mm * kPointsPerMm;
    const double gap = 8;
    const double half = (w - gap) / 2;
    for (size_t i = 0; i < rows.size();) {
      // Two columns pair short values; a long value takes the whole row.
      auto fits_half = [&](const LabeledValue& f) {
        return t_.field_columns == 2 && utf8_characters(f.value).size() <= 18;
      };
      std::vector<const LabeledValue*> row = {&rows[i]};
      if (fits_half(rows[i]) && i + 1 < rows.size() && fits_half(rows[i + 1]))
        row.push_back(&rows[i + 1]);
      const double cell_w = row.size() == 2 ? half : w;
      std::vector<std::pair<LayoutPtr, LayoutPtr>> cells;
      double h = 0;
      for (const auto* f : row) {
        auto label = text_layout(f->label, t_.label_font, label_w);
        auto value = text_layout(f->value, t_.body_font, cell_w - label_w - 4);
        h = std::max({h, layout_height(label), layout_height(value)});
        cells.emplace_back(std::move(label), std::move(value));
      }
      const double pad = t_.field_rules ? 5 : 3;
      make_room(h + 2 * pad);
      for (size_t k = 0; k < cells.size(); ++k) {
        const double x = left_ + k * (half + gap);
        page().push_back(TextItem{cells[k].first, x + (t_.field_rules ? 4 : 0), y_ + pad, {}});
        page().push_back(TextItem{cells[k].second, x + label_w + 4, y_ + pad, {}});
      }
      if (t_.field_rules) {
        page().push_back(LineItem{left_, y_, right_, y_, 0.5});
        page().push_back(LineItem{left_, y_ + h + 2 * pad, right_, y_ + h + 2 * pad, 0.5});
      }
      y_ += h + 2 * pad;
      i += row.size();
    }
    y_ += 6;
    return ok_status();
  }

  void table() {
    if (c_.table_columns.empty()) return;
    const size_t n = c_.table_columns.size();
    const double w = right_ - left_;
    std::vector<double> widths(n, 1.0);
    for (size_t i = 0; i < n && i < t_.table_widths.size(); ++i) widths[i] = t_.table_widths[i];
    double total = 0;
    for (double x : widths) total += x;
    std::vector<double> xs(n + 1, left_);
    for (size_t i = 0; i < n; ++i) xs[i + 1] = xs[i] + widths[i] / total * w;
    auto align = [&](size_t i) {
      const std::string a = i < t_.table_align.size() ? t_.table_align[i] : "center";
      return a == "left" ? PANGO_ALIGN_LEFT : a == "right" ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_CENTER;
    };
    auto measure_row = [&](const std::vector<std::string>& cells, const std::string& font,
                           std::vector<LayoutPtr>& out) {
      double h = 0;
      out.clear();
      for (size_t i = 0; i < n; ++i) {
        out.push_back(
            text_layout(i < cells.size() ? cells[i] : "", font, xs[i + 1] - xs[i] - 6, align(i)));
        h = std::max(h, layout_height(out.back()));
      }
      return h + 6;
    };
    auto put_row = [&](const std::vector<LayoutPtr>& cells, double h) {
      for (size_t i = 0; i < n; ++i) page().push_back(TextItem{cells[i], xs[i] + 3, y_ + 3, {}});
      y_ += h;
    };
    std::vector<LayoutPtr> header;
    const double header_h = measure_row(c_.table_columns, t_.table_header_font, header);
    auto put_header = [&](bool continued) {
      if (!t_.table_caption.empty())
        y_ +=
            put_text(t_.table_caption + (continued ? "（续）" : ""), t_.label_font, left_, y_, w) +
            4;
      rule(y_, 0.9);
      put_row(header, header_h);
      rule(y_, 0.6);
    };
    std::vector<LayoutPtr> cells;
    const double first_h =
        c_.table_rows.empty() ? 20 : measure_row(c_.table_rows.front(), t_.table_font, cells);
    // The caption, the header and at least one row go together.
    make_room(header_h + first_h + 24);
    put_header(false);
    if (c_.table_rows.empty()) {
      y_ += put_text(t_.table_empty, t_.table_font, left_, y_ + 4, w, PANGO_ALIGN_CENTER) + 8;
    }
    for (const auto& row : c_.table_rows) {
      const double h = measure_row(row, t_.table_font, cells);
      if (y_ + h > bottom_) {
        rule(y_, 0.9);
        new_page();
        if (t_.repeat_table_header) put_header(true);
      }
      put_row(cells, h);
    }
    rule(y_, 0.9);
    y_ += 10;
  }

  void notes() {
    if (t_.notes.empty()) return;
    const double w = right_ - left_;
    auto title = text_layout("说明：", t_.label_font, w);
    make_room(layout_height(title) + 16);
    page().push_back(TextItem{title, left_, y_, {}});
    y_ += layout_height(title) + 2;
    for (size_t i = 0; i < t_.notes.size(); ++i) {
      auto note =
          text_layout(std::to_string(i + 1) + ". " + fill(t_.notes[i], c_), t_.small_font, w);
      const double h = layout_height(note);
      make_room(h);
      page().push_back(TextItem{note, left_, y_, {}});
      y_ += h + 2;
    }
    y_ += 6;
  }

  // The QR code at the bottom left; the issuer, the date and the seal over them at the bottom
  // right — on the last page, kept together.
  Status closing() {
    const double qr = t_.qr_mm * kPointsPerMm;
    const double seal = t_.seal.present ? t_.seal.diameter_mm * kPointsPerMm : 0;
    const double block = std::max(qr + 14, seal + 6);
    make_room(block);
    const double top = bottom_ - block;
    QRcode* raw = QRcode_encodeString(c_.verify_payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!raw)
      return Error{Completion::kInvalidData, "the verification code does not fit a QR code"};
    page().push_back(QrItem{std::shared_ptr<QRcode>(raw, QrCloser()), left_, top, qr});
    put_text(t_.qr_caption, t_.small_font, left_, top + qr + 2, qr * 2);
    const double w = (right_ - left_) * 0.45;
    const double x = right_ - w;
    const double issuer_y = top + block / 2 - 18;
    put_text(c_.issuer, t_.label_font, x, issuer_y, w, PANGO_ALIGN_CENTER);
    const std::string date = c_.issued_at.size() >= 10 ? c_.issued_at.substr(0, 10) : c_.issued_at;
    put_text(t_.date_label + " " + date, t_.body_font, x, issuer_y + 20, w, PANGO_ALIGN_CENTER);
    if (t_.seal.present)
      page().push_back(SealItem{x + w / 2, top + block / 2, seal / 2, fill(t_.seal.text, c_),
                                fill(t_.seal.label, c_), fill(t_.seal.code, c_),
                                parse_color(t_.seal.color)});
    return ok_status();
  }

  void footers() {
    const size_t total = pages_.size();
    const double y = bottom_ + 4;
    for (size_t i = 0; i < total; ++i) {
      auto& items = pages_[i];
      auto add = [&](const std::string& text, PangoAlignment align) {
        auto layout = text_layout(text, t_.small_font, right_ - left_, align);
        items.push_back(TextItem{layout, left_, y, {0.3, 0.3, 0.3}});
      };
      items.push_back(LineItem{left_, y - 2, right_, y - 2, 0.3});
      if (!t_.footer.empty()) add(fill(t_.footer, c_), PANGO_ALIGN_LEFT);
      std::string numbers = t_.page_numbers;
      for (auto [key, value] :
           {std::pair<std::string, size_t>{"{page}", i + 1}, {"{pages}", total}})
        if (auto at = numbers.find(key); at != std::string::npos)
          numbers.replace(at, key.size(), std::to_string(value));
      add(numbers, PANGO_ALIGN_RIGHT);
    }
  }

  const Certificate& c_;
  const Template& t_;
  std::shared_ptr<PangoContext> context_;
  std::vector<std::vector<Item>> pages_;
  double width_, height_, left_, right_, top_, bottom_;
  double y_ = 0;
};

// Draws one character of an arc's text, centred on the arc at `angle` (radians, 0 at the top,
// clockwise). Outer text stands on the ring with its head outward; inner (bottom) text reads
// left to right with its head toward the centre.
void arc_glyph(cairo_t* cr, PangoContext* context, const std::string& glyph, const char* font,
               double cx, double cy, double radius, double angle, bool bottom) {
  LayoutPtr layout(pango_layout_new(context), GObjectUnref());
  PangoFontDescription* desc = pango_font_description_from_string(font);
  pango_layout_set_font_description(layout.get(), desc);
  pango_font_description_free(desc);
  pango_layout_set_text(layout.get(), glyph.c_str(), -1);
  PangoRectangle ink, logical;
  pango_layout_get_extents(layout.get(), &ink, &logical);
  const double w = logical.width / double(PANGO_SCALE);
  const double h = logical.height / double(PANGO_SCALE);
  cairo_save(cr);
  cairo_translate(cr, cx, cy);
  cairo_rotate(cr, angle);
  cairo_move_to(cr, -w / 2, bottom ? radius - h : -radius);
  pango_cairo_update_layout(cr, layout.get());
  pango_cairo_show_layout(cr, layout.get());
  cairo_restore(cr);
}

void draw_seal(cairo_t* cr, PangoContext* context, const SealItem& s) {
  cairo_save(cr);
  cairo_set_source_rgba(cr, s.color.r, s.color.g, s.color.b, 0.88);
  const double ring = s.radius * 0.055;
  cairo_set_line_width(cr, ring);
  cairo_new_path(cr);
  cairo_arc(cr, s.cx, s.cy, s.radius - ring / 2, 0, 2 * M_PI);
  cairo_stroke(cr);
  // The five-pointed star, point up.
  const double outer = s.radius * 0.3, inner = outer * 0.382;
  for (int i = 0; i < 10; ++i) {
    const double r = i % 2 ? inner : outer;
    const double a = -M_PI / 2 + i * M_PI / 5;
    const double x = s.cx + r * std::cos(a), y = s.cy + r * std::sin(a);
    i == 0 ? cairo_move_to(cr, x, y) : cairo_line_to(cr, x, y);
  }
  cairo_close_path(cr);
  cairo_fill(cr);
  // The department's name over the top: squeezed into at most 230 degrees.
  const auto name = utf8_characters(s.text);
  const double text_radius = s.radius - ring * 1.8;
  double size = s.radius * 0.2;
  const double max_span = 230 * M_PI / 180;
  if (!name.empty()) {
    double step = size * 1.12 / (text_radius - size * 0.6);
    if (step * name.size() > max_span) {
      step = max_span / name.size();
      size = step * (text_radius - size * 0.6) / 1.12;
    }
    const std::string font = "Noto Serif CJK SC Bold " + std::to_string(size);
    const double start = -step * (name.size() - 1) / 2;
    for (size_t i = 0; i < name.size(); ++i)
      arc_glyph(cr, context, name[i], font.c_str(), s.cx, s.cy, text_radius, start + i * step,
                false);
  }
  if (!s.label.empty()) {
    const std::string font = "Noto Sans CJK SC Bold " + std::to_string(s.radius * 0.15);
    LayoutPtr layout(pango_layout_new(context), GObjectUnref());
    PangoFontDescription* desc = pango_font_description_from_string(font.c_str());
    pango_layout_set_font_description(layout.get(), desc);
    pango_font_description_free(desc);
    pango_layout_set_text(layout.get(), s.label.c_str(), -1);
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    cairo_move_to(cr, s.cx - logical.width / double(PANGO_SCALE) / 2, s.cy + s.radius * 0.36);
    pango_cairo_update_layout(cr, layout.get());
    pango_cairo_show_layout(cr, layout.get());
  }
  // The seal's code along the bottom, left to right.
  const auto code = utf8_characters(s.code);
  if (!code.empty()) {
    const double code_size = s.radius * 0.085;
    const std::string font = "Noto Sans CJK SC " + std::to_string(code_size);
    const double step = code_size * 0.75 / (text_radius - code_size);
    const double start = step * (code.size() - 1) / 2;
    for (size_t i = 0; i < code.size(); ++i)
      arc_glyph(cr, context, code[i], font.c_str(), s.cx, s.cy, text_radius, start - i * step,
                true);
  }
  cairo_restore(cr);
}

void draw_page(cairo_t* cr, PangoContext* context, const std::vector<Item>& items) {
  pango_cairo_update_context(cr, context);
  for (const auto& item : items) {
    if (const auto* t = std::get_if<TextItem>(&item)) {
      cairo_set_source_rgb(cr, t->color.r, t->color.g, t->color.b);
      cairo_move_to(cr, t->x, t->y);
      pango_cairo_update_layout(cr, t->layout.get());
      pango_cairo_show_layout(cr, t->layout.get());
    } else if (const auto* l = std::get_if<LineItem>(&item)) {
      cairo_set_source_rgb(cr, 0, 0, 0);
      cairo_set_line_width(cr, l->width);
      cairo_move_to(cr, l->x1, l->y1);
      cairo_line_to(cr, l->x2, l->y2);
      cairo_stroke(cr);
    } else if (const auto* q = std::get_if<QrItem>(&item)) {
      cairo_set_source_rgb(cr, 0, 0, 0);
      const int n = q->code->width;
      const double module = q->size / n;
      for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col)
          if (q->code->data[row * n + col] & 1)
            cairo_rectangle(cr, q->x + col * module, q->y + row * module, module, module);
      cairo_fill(cr);
    } else if (const auto* s = std::get_if<SealItem>(&item)) {
      draw_seal(cr, context, *s);
    } else if (const auto* m = std::get_if<StampItem>(&item)) {
      PangoRectangle logical;
      pango_layout_get_extents(m->layout.get(), nullptr, &logical);
      const double w = logical.width / double(PANGO_SCALE),
                   h = logical.height / double(PANGO_SCALE);
      cairo_set_source_rgb(cr, 0.84, 0.15, 0.12);
      cairo_set_line_width(cr, 1.2);
      cairo_rectangle(cr, m->x - 4, m->y - 2, w + 8, h + 4);
      cairo_stroke(cr);
      cairo_move_to(cr, m->x, m->y);
      pango_cairo_update_layout(cr, m->layout.get());
      pango_cairo_show_layout(cr, m->layout.get());
    }
  }
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

Status write_file(const std::filesystem::path& out, const std::string& bytes) {
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.close();
  if (!file) return Error{Completion::kHardwareError, "cannot write " + out.string()};
  return ok_status();
}

// The PDF cairo wrote, with `attachment` embedded as certificate.json (qpdf).
Result<std::string> attach(const std::string& pdf, const std::string& attachment) {
  try {
    QPDF document;
    document.processMemoryFile("certificate.pdf", pdf.data(), pdf.size());
    QPDFEmbeddedFileDocumentHelper files(document);
    auto stream = QPDFEFStreamObjectHelper::createEFStream(document, attachment);
    stream.setSubtype("application/json");
    files.replaceEmbeddedFile(
        kAttachmentName, QPDFFileSpecObjectHelper::createFileSpec(document, kAttachmentName, stream)
                             .setDescription("The certificate as issued, signed (SM2-SM3)"));
    QPDFWriter writer(document);
    writer.setOutputMemory();
    writer.setStaticID(true);  // the same certificate gives the same bytes
    writer.write();
    auto buffer = writer.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  } catch (const std::exception& e) {
    return Error{Completion::kInvalidData, std::string("embedding the certificate: ") + e.what()};
  }
}

// Draws every page on image surfaces (`format`) at `dpi`; `take` gets each finished one.
template <typename Take>
Status draw_images(const Composer& composer, int dpi, cairo_format_t format, Take take) {
  if (dpi < 36 || dpi > 1200) return Error{Completion::kInvalidData, "dpi out of 36..1200"};
  const double scale = dpi / 72.0;
  const int w = static_cast<int>(std::lround(composer.width() * scale));
  const int h = static_cast<int>(std::lround(composer.height() * scale));
  for (size_t i = 0; i < composer.pages().size(); ++i) {
    SurfacePtr surface(cairo_image_surface_create(format, w, h));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
      return Error{Completion::kHardwareError, "no memory for a page image"};
    CairoPtr cr(cairo_create(surface.get()));
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    cairo_scale(cr.get(), scale, scale);
    draw_page(cr.get(), composer.context(), composer.pages()[i]);
    cr.reset();
    cairo_surface_flush(surface.get());
    if (auto s = take(i, surface.get()); !s) return s;
  }
  return ok_status();
}

}  // namespace

std::string seal_code(const std::string& region_code, const std::string& issuer) {
  std::string digits;
  for (char ch : sm3_hex(issuer))
    if (digits.size() < 7)
      digits += static_cast<char>('0' + (std::isdigit(ch) ? ch - '0' : (ch - 'a') % 10));
  return region_code + digits;
}

Result<int> render_pdf(const Certificate& c, const Template& t, const std::filesystem::path& out,
                       const std::string& attachment) {
  Composer composer(c, t);
  if (auto s = composer.compose(); !s) return s.error();
  std::string pdf;
  {
    SurfacePtr surface(cairo_pdf_surface_create_for_stream(append_to_string, &pdf, composer.width(),
                                                           composer.height()));
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, c.title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "市民之窗 smzc");
    CairoPtr cr(cairo_create(surface.get()));
    for (const auto& page : composer.pages()) {
      draw_page(cr.get(), composer.context(), page);
      cairo_show_page(cr.get());
    }
    cr.reset();
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
      return Error{Completion::kHardwareError, "cairo could not finish the PDF"};
  }
  if (!attachment.empty()) {
    auto with = attach(pdf, attachment);
    wipe(pdf);
    if (!with) return with.error();
    pdf = std::move(with.value());
  }
  auto s = write_file(out, pdf);
  wipe(pdf);
  if (!s) return s.error();
  return static_cast<int>(composer.pages().size());
}

Result<int> render_pdf(const Certificate& c, const std::filesystem::path& out,
                       const std::string& attachment) {
  auto layout = load_template(c.document_type.empty() ? "generic" : c.document_type);
  if (!layout) return layout.error();
  return render_pdf(c, layout.value(), out, attachment);
}

Result<int> render_png(const Certificate& c, const Template& t, const std::filesystem::path& out,
                       int dpi) {
  Composer composer(c, t);
  if (auto s = composer.compose(); !s) return s.error();
  auto s = draw_images(composer, dpi, CAIRO_FORMAT_RGB24, [&](size_t i, cairo_surface_t* page) {
    std::filesystem::path path = out;
    if (i > 0)
      path = out.parent_path() / (out.stem().string() + "-" + std::to_string(i + 1) + ".png");
    if (cairo_surface_write_to_png(page, path.c_str()) != CAIRO_STATUS_SUCCESS)
      return Status(Error{Completion::kHardwareError, "cannot write " + path.string()});
    return ok_status();
  });
  if (!s) return s.error();
  return static_cast<int>(composer.pages().size());
}

Result<std::vector<GrayPage>> render_gray(const Certificate& c, const Template& t, int dpi) {
  Composer composer(c, t);
  if (auto s = composer.compose(); !s) return s.error();
  std::vector<GrayPage> pages;
  auto s = draw_images(composer, dpi, CAIRO_FORMAT_RGB24, [&](size_t, cairo_surface_t* surface) {
    GrayPage page;
    page.width = cairo_image_surface_get_width(surface);
    page.height = cairo_image_surface_get_height(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    const unsigned char* data = cairo_image_surface_get_data(surface);
    page.pixels.resize(static_cast<size_t>(page.width) * page.height);
    for (int y = 0; y < page.height; ++y) {
      const auto* row = reinterpret_cast<const uint32_t*>(data + static_cast<size_t>(y) * stride);
      uint8_t* gray = page.pixels.data() + static_cast<size_t>(y) * page.width;
      for (int x = 0; x < page.width; ++x) {
        const uint32_t p = row[x];
        // ITU-R BT.601 luma, in integers.
        gray[x] = static_cast<uint8_t>(
            (((p >> 16) & 0xff) * 299 + ((p >> 8) & 0xff) * 587 + (p & 0xff) * 114) / 1000);
      }
    }
    pages.push_back(std::move(page));
    return ok_status();
  });
  if (!s) return s.error();
  return pages;
}

Result<std::string> read_attachment(const std::filesystem::path& pdf) {
  try {
    QPDF document;
    document.processFile(pdf.c_str());
    QPDFEmbeddedFileDocumentHelper files(document);
    auto spec = files.getEmbeddedFile(kAttachmentName);
    if (!spec)
      return Error{Completion::kInvalidData,
                   pdf.string() + " carries no certificate.json (not made by 市民之窗?)"};
    auto stream = spec->getEmbeddedFileStream();
    auto data = stream.getStreamData(qpdf_dl_generalized);
    constexpr size_t kMaxAttachment = 4 << 20;
    if (data->getSize() > kMaxAttachment)
      return Error{Completion::kInvalidData, "the embedded certificate is larger than 4 MiB"};
    return std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  } catch (const std::exception& e) {
    return Error{Completion::kInvalidData, pdf.string() + " is not a readable PDF: " + e.what()};
  }
}

}  // namespace smzc::certs
