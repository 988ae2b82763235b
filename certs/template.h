// Certificate templates: how a document type is laid out on paper, as data
// (certs/templates/*.json, format in docs/certificate-templates.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"

namespace smzc::certs {

/// The issuing department's round seal (公章), drawn as vector graphics: a red ring, a
/// five-pointed star, the department's name along the upper arc, the seal's purpose across the
/// bottom and its code along the lower arc. Texts may hold {issuer}, {region_code}, {seal_code}.
struct SealSpec {
  bool present = true;
  std::string text = "{issuer}";  ///< along the upper arc
  std::string label;              ///< across, under the star, e.g. 证明专用章
  std::string code = "{seal_code}";
  double diameter_mm = 42;
  std::string color = "#d7261e";
};

/// One document type's layout. Lengths are in millimetres, fonts are pango descriptions.
struct Template {
  std::string name;      ///< e.g. "social-insurance-contributions"
  std::string document;  ///< the document type in words, e.g. 社会保险参保缴费凭证
  std::string page_size = "A4";  ///< A4 or A5
  bool landscape = false;
  double margin_top_mm = 18, margin_right_mm = 18, margin_bottom_mm = 16, margin_left_mm = 18;
  std::string title_font = "Noto Serif CJK SC Bold 22";
  std::string body_font = "Noto Sans CJK SC 10.5";
  std::string label_font = "Noto Sans CJK SC Bold 10.5";
  std::string table_font = "Noto Sans CJK SC 9.5";
  std::string table_header_font = "Noto Sans CJK SC Bold 9.5";
  std::string small_font = "Noto Sans CJK SC 8";
  std::string subtitle;  ///< under the title, may hold placeholders
  /// Labels of the holder rows; empty: the document names no holder (a business's licence
  /// prints its own fields instead).
  std::string holder_name_label = "姓名";
  std::string holder_id_label = "公民身份号码";
  int field_columns = 1;  ///< 1 or 2 label/value pairs per row
  double label_width_mm = 30;
  bool field_rules = false;  ///< a ruled box around each field row
  std::string table_caption;
  std::vector<double> table_widths;      ///< relative column widths; empty: equal
  std::vector<std::string> table_align;  ///< left, center or right per column
  bool repeat_table_header = true;       ///< on every page the table continues on
  std::string table_empty = "无记录";    ///< printed when the table has no rows
  std::vector<std::string> notes;        ///< paragraphs after the content (说明)
  std::string date_label = "出具日期";
  SealSpec seal;
  double qr_mm = 28;
  std::string qr_caption = "扫描二维码核验本凭证真伪";
  /// Field labels whose values the QR code carries (masked when personal) besides the holder's.
  std::vector<std::string> key_fields;
  std::string footer = "本凭证由市民之窗自助终端打印";
  std::string page_numbers = "第 {page} 页 共 {pages} 页";
};

/// Parses a template; "extends": NAME merges it over another template read by `load` (one level
/// deep). Unknown keys and wrong types are errors that name the key.
Result<Template> parse_template(const std::string& json, const std::filesystem::path& dir);

/// certs/templates/ in the data directory (data_file()).
std::filesystem::path default_template_dir();
/// Reads NAME.json from `dir`; a name with anything but [a-z0-9-] is refused.
Result<Template> load_template(const std::string& name,
                               const std::filesystem::path& dir = default_template_dir());
/// Every template in `dir`, by name (base templates that only serve as "extends" included).
std::vector<std::string> template_names(const std::filesystem::path& dir = default_template_dir());

}  // namespace smzc::certs
