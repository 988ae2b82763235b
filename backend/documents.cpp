#include "backend/documents.h"

#include <cstdio>
#include <functional>
#include <map>

#include "certs/signing.h"

namespace smzc::backend {

using nlohmann::json;

namespace {

// Numbers that vary from citizen to citizen but never between two runs.
class Seed {
 public:
  explicit Seed(const std::string& id_number)
      : digest_(certs::sm3_hex("smzc-register|" + id_number)) {}
  // A number in [lo, hi] drawn from the digest's `slot`th pair of hex digits.
  int pick(int slot, int lo, int hi) const {
    const int byte = std::stoi(digest_.substr((slot * 2) % 62, 2), nullptr, 16) * 256 +
                     std::stoi(digest_.substr((slot * 2 + 2) % 62, 2), nullptr, 16);
    return lo + byte % (hi - lo + 1);
  }
  std::string digits(int slot, int count) const {
    std::string out;
    for (int i = 0; i < count; ++i) out += static_cast<char>('0' + pick(slot + i, 0, 9));
    return out;
  }

 private:
  std::string digest_;
};

std::string money(int cents) {
  const std::string whole = std::to_string(cents / 100);
  // Thousands separators, as the registers print them.
  std::string out;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%02d", cents % 100);
  return out + fraction;
}

// The month `back` months before today's, as YYYYMM.
std::string month_before(const std::string& today, int back) {
  int year = std::stoi(today.substr(0, 4)), month = std::stoi(today.substr(4, 2));
  month -= back;
  while (month <= 0) {
    month += 12;
    --year;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d", year, month);
  return buf;
}

std::string dashed(const std::string& yyyymmdd) {
  return yyyymmdd.size() == 8
             ? yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" + yyyymmdd.substr(6, 2)
             : yyyymmdd;
}

std::string birth_of(const std::string& id) {
  return id.size() == 18 ? dashed(id.substr(6, 8)) : "—";
}
std::string sex_of(const std::string& id) {
  return id.size() == 18 ? ((id[16] - '0') % 2 ? "男" : "女") : "—";
}

struct Context {
  const json& item;
  const json& applicant;
  const std::string& today;
  std::string id, name, region;
  Seed seed;
};

json field(const std::string& label, const std::string& value) {
  return {{"label", label}, {"value", value}};
}

json table(std::vector<std::string> columns, json rows) {
  return {{"columns", std::move(columns)}, {"rows", std::move(rows)}};
}

const char* kDistricts[] = {"桂城街道南海大道北 38 号", "大沥镇黄岐广佛路 112 号",
                            "里水镇里广路 19 号", "狮山镇罗村大道 7 号", "西樵镇樵金路 56 号"};

json contributions(const Context& c, json& fields) {
  const int base = c.seed.pick(1, 4200, 9800) * 100;
  const int months = c.seed.pick(2, 36, 240);
  fields.push_back(field("参保状态", "正常参保"));
  fields.push_back(field(
      "参保单位", "佛山市南海区" +
                      std::string(c.seed.pick(3, 0, 1) ? "华智制造有限公司" : "桂城科技有限公司")));
  fields.push_back(field("首次参保年月", month_before(c.today, months)));
  fields.push_back(field("累计缴费月数", std::to_string(months)));
  json rows = json::array();
  // Twelve months of the three insurances that employees pay.
  const std::pair<const char*, std::pair<int, int>> kinds[] = {
      {"职工养老保险", {800, 1400}}, {"失业保险", {20, 32}}, {"职工医疗保险", {200, 550}}};
  for (int m = 0; m < 12; ++m)
    for (const auto& [kind, rates] : kinds)
      rows.push_back({month_before(c.today, m), kind, money(base),
                      money(base * rates.first / 10000), money(base * rates.second / 10000)});
  return table({"缴费年月", "险种", "缴费基数", "个人缴纳", "单位缴纳"}, rows);
}

json enrolment(const Context& c, json& fields) {
  fields.push_back(field("参保状态", "正常参保"));
  fields.push_back(field("参保身份", c.seed.pick(4, 0, 1) ? "企业职工" : "灵活就业人员"));
  json rows = json::array();
  for (const char* kind : {"基本养老保险", "基本医疗保险", "失业保险", "工伤保险"})
    rows.push_back({kind, "参保缴费", dashed(month_before(c.today, c.seed.pick(5, 24, 120)) + "01"),
                    std::to_string(c.seed.pick(6, 24, 120))});
  return table({"险种", "参保状态", "参保起始", "累计月数"}, rows);
}

json real_estate(const Context& c, json& fields) {
  fields.push_back(field("查询范围", c.item.value("department", "")));
  fields.push_back(field("查询结果", "申请人名下有登记的不动产 1 处"));
  const std::string cert =
      "粤（" + c.today.substr(0, 4) + "）佛南不动产权第 0" + c.seed.digits(7, 6) + " 号";
  json rows = json::array({{cert, std::string("佛山市南海区") + kDistricts[c.seed.pick(8, 0, 4)],
                            "住宅", std::to_string(c.seed.pick(9, 60, 160)) + ".35 ㎡",
                            "市场化商品房", dashed(month_before(c.today, 30) + "15")}});
  return table({"不动产权证号", "坐落", "用途", "面积", "权利性质", "登记时间"}, rows);
}

json no_property(const Context& c, json& fields) {
  fields.push_back(field("查询范围", "佛山市南海区不动产登记簿"));
  fields.push_back(field("查询结果", "经查询，截至出具时点，申请人名下无登记的住房"));
  (void)c;
  return nullptr;
}

json business_licence(const Context& c, json& fields) {
  const auto form = c.applicant.value("form", json::object());
  std::string company = form.is_object() ? form.value("company_name", "") : "";
  if (company.empty())
    company =
        "佛山市南海区" + std::string(c.seed.pick(10, 0, 1) ? "云澜贸易" : "新桂餐饮") + "有限公司";
  fields.push_back(field("统一社会信用代码", "91440605MA" + c.seed.digits(11, 7) + "X"));
  fields.push_back(field("名称", company));
  fields.push_back(field("类型", "有限责任公司(自然人独资)"));
  fields.push_back(field("法定代表人", c.name));
  fields.push_back(field("注册资本", "人民币" + std::to_string(c.seed.pick(12, 10, 500)) + "万元"));
  fields.push_back(field("成立日期", dashed(month_before(c.today, c.seed.pick(13, 3, 90)) + "08")));
  fields.push_back(field("营业期限", "长期"));
  fields.push_back(field("住所", std::string("佛山市南海区") + kDistricts[c.seed.pick(14, 0, 4)]));
  fields.push_back(field("经营范围",
                         "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；"
                         "日用百货销售；办公用品销售；信息咨询服务（不含许可类信息咨询服务）。"
                         "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"));
  return nullptr;
}

json special_equipment(const Context& c, json& fields) {
  fields.push_back(field("使用登记证编号",
                         "梯11粤EN" + c.seed.digits(15, 5) + "(" + c.today.substr(2, 2) + ")"));
  fields.push_back(field("设备种类", "电梯"));
  fields.push_back(field("设备类别", "乘客电梯"));
  fields.push_back(field("设备品种", "曳引驱动乘客电梯"));
  fields.push_back(field("产品编号", "E" + c.seed.digits(16, 8)));
  fields.push_back(field("设备代码", "3110440605" + c.seed.digits(17, 10)));
  fields.push_back(field("使用单位", "佛山市南海区物业管理有限公司"));
  fields.push_back(
      field("设备使用地点", std::string("佛山市南海区") + kDistricts[c.seed.pick(18, 0, 4)]));
  fields.push_back(field("登记机关", c.item.value("department", "")));
  return nullptr;
}

json housing_fund(const Context& c, json& fields) {
  const int base = c.seed.pick(19, 4500, 12000) * 100;
  const int monthly = base * 10 / 100;  // 5% by the employee and 5% by the employer
  fields.push_back(field("单位名称", "佛山市南海区华智制造有限公司"));
  fields.push_back(field("账户状态", "正常缴存"));
  fields.push_back(
      field("开户日期", dashed(month_before(c.today, c.seed.pick(20, 24, 150)) + "01")));
  fields.push_back(field("缴存基数", money(base)));
  fields.push_back(field("月缴存额", money(monthly)));
  fields.push_back(field("账户余额", money(monthly * c.seed.pick(21, 20, 90))));
  json rows = json::array();
  for (int m = 0; m < 6; ++m)
    rows.push_back(
        {month_before(c.today, m), money(monthly / 2), money(monthly / 2), money(monthly), "已缴"});
  return table({"缴存年月", "个人缴存", "单位缴存", "合计", "状态"}, rows);
}

json housing_statement(const Context& c, json& fields) {
  const int monthly = c.seed.pick(22, 450, 1200) * 100;
  int balance = monthly * c.seed.pick(23, 20, 60);
  fields.push_back(field("账户状态", "正常缴存"));
  fields.push_back(
      field("查询期间", month_before(c.today, 23) + " 至 " + month_before(c.today, 0)));
  json rows = json::array();
  for (int m = 23; m >= 0; --m) {
    balance += monthly;
    rows.push_back({dashed(month_before(c.today, m) + "10"), "汇缴 " + month_before(c.today, m),
                    money(monthly), "0.00", money(balance)});
  }
  return table({"记账日期", "摘要", "增加额", "减少额", "余额"}, rows);
}

json tax_record(const Context& c, json& fields) {
  fields.push_back(
      field("记录期间", month_before(c.today, 11) + " 至 " + month_before(c.today, 0)));
  fields.push_back(field("纳税人识别号", c.id));
  const int income = c.seed.pick(24, 8000, 26000) * 100;
  json rows = json::array();
  for (int m = 0; m < 12; ++m)
    rows.push_back({month_before(c.today, m), "佛山市南海区华智制造有限公司", "工资薪金所得",
                    money(income), money(income > 500000 ? (income - 500000) * 3 / 100 : 0),
                    month_before(c.today, m - 1 < 0 ? 0 : m - 1)});
  return table({"所属期", "扣缴义务人", "所得项目", "收入额", "已缴税额", "入库时间"}, rows);
}

json household(const Context& c, json& fields) {
  fields.push_back(field("性别", sex_of(c.id)));
  fields.push_back(field("民族", "汉"));
  fields.push_back(field("出生日期", birth_of(c.id)));
  fields.push_back(field("户别", "家庭户"));
  fields.push_back(field("与户主关系", "户主"));
  fields.push_back(field("户主", c.name));
  fields.push_back(
      field("户籍地址", std::string("广东省佛山市南海区") + kDistricts[c.seed.pick(25, 0, 4)]));
  fields.push_back(field("登记日期", dashed(month_before(c.today, 100) + "20")));
  return nullptr;
}

json residence_permit(const Context& c, json& fields) {
  fields.push_back(field("居住证号码", c.id));
  fields.push_back(
      field("居住地址", std::string("佛山市南海区") + kDistricts[c.seed.pick(26, 0, 4)]));
  fields.push_back(field("签注日期", dashed(c.today)));
  fields.push_back(
      field("签注有效期至",
            dashed(std::to_string(std::stoi(c.today.substr(0, 4)) + 1) + c.today.substr(4))));
  return nullptr;
}

json unemployment(const Context& c, json& fields) {
  fields.push_back(field("登记状态", "已登记"));
  fields.push_back(field("失业登记日期", dashed(c.today)));
  fields.push_back(field("登记地", c.item.value("department", "")));
  fields.push_back(field("失业原因", "劳动合同期满"));
  return nullptr;
}

json student(const Context& c, json& fields) {
  fields.push_back(field("学籍号", "G" + c.id));
  fields.push_back(field("学校", "佛山市南海区桂城中心小学"));
  fields.push_back(field("年级", std::to_string(c.seed.pick(27, 1, 6)) + "年级"));
  fields.push_back(field("学籍状态", "在籍"));
  fields.push_back(field("入学年月", month_before(c.today, 14)));
  return nullptr;
}

json birth(const Context& c, json& fields) {
  fields.push_back(field("性别", sex_of(c.id)));
  fields.push_back(field("出生日期", birth_of(c.id)));
  fields.push_back(field("出生地点", "广东省佛山市南海区"));
  fields.push_back(field("接生机构", "佛山市南海区人民医院"));
  fields.push_back(field("出生医学证明编号", "S44" + c.seed.digits(28, 7)));
  return nullptr;
}

json vaccination(const Context& c, json& fields) {
  fields.push_back(field("接种单位", "桂城街道社区卫生服务中心"));
  fields.push_back(field("接种证编号", "440605" + c.seed.digits(29, 10)));
  json rows = json::array();
  const char* vaccines[] = {"乙肝疫苗",   "卡介苗",         "脊灰灭活疫苗",    "百白破疫苗",
                            "麻腮风疫苗", "乙脑减毒活疫苗", "A群流脑多糖疫苗", "甲肝减毒活疫苗"};
  int dose = 0;
  for (const char* v : vaccines)
    rows.push_back({v, "第" + std::to_string(++dose % 3 + 1) + "剂",
                    dashed(month_before(c.today, 90 - dose * 6) + "12"), "桂城街道社区卫生服务中心",
                    "已接种"});
  return table({"疫苗名称", "剂次", "接种日期", "接种单位", "状态"}, rows);
}

json disability(const Context& c, json& fields) {
  fields.push_back(field("残疾人证号", c.id + "44"));
  fields.push_back(field("残疾类别", "肢体"));
  fields.push_back(field("残疾等级", "四级"));
  fields.push_back(field("发证日期", dashed(month_before(c.today, 40) + "05")));
  fields.push_back(field(
      "有效期至", dashed(std::to_string(std::stoi(c.today.substr(0, 4)) + 6) + c.today.substr(4))));
  return nullptr;
}

json traffic(const Context& c, json& fields) {
  const std::string plate = "粤Y" + c.seed.digits(30, 5);
  fields.push_back(field("号牌号码", plate));
  fields.push_back(field("号牌种类", "小型汽车"));
  fields.push_back(field("未处理记录", "0 条"));
  json rows = json::array();
  const int count = c.seed.pick(31, 1, 4);
  for (int i = 0; i < count; ++i)
    rows.push_back({dashed(month_before(c.today, i * 5 + 2) + "1" + std::to_string(i)),
                    "南海大道北与桂澜路交叉口", "机动车不按规定车道行驶", "2", "200", "已处理"});
  return table({"违法时间", "违法地点", "违法行为", "记分", "罚款", "状态"}, rows);
}

json marriage(const Context& c, json& fields) {
  fields.push_back(field("查询范围", "全国婚姻登记信息系统"));
  fields.push_back(field("查询结果", c.seed.pick(32, 0, 1) ? "有结婚登记记录" : "无婚姻登记记录"));
  fields.push_back(field("查询日期", dashed(c.today)));
  return nullptr;
}

json receipt(const Context& c, json& fields) {
  fields.push_back(field("承诺时限", "10 个工作日"));
  (void)c;
  return nullptr;
}

}  // namespace

json document_content(const std::string& type, const json& item, const json& applicant,
                      const std::string& today, const json& common) {
  const Context c{item,
                  applicant,
                  today,
                  applicant.value("id_number", ""),
                  applicant.value("name", ""),
                  item.value("region_code", ""),
                  Seed(applicant.value("id_number", ""))};
  static const std::map<std::string, std::function<json(const Context&, json&)>> kinds = {
      {"social-insurance-contributions", contributions},
      {"social-insurance-enrolment", enrolment},
      {"real-estate-record", real_estate},
      {"no-property", no_property},
      {"business-licence", business_licence},
      {"special-equipment-registration", special_equipment},
      {"housing-fund-deposit", housing_fund},
      {"housing-fund-statement", housing_statement},
      {"tax-record", tax_record},
      {"household-register", household},
      {"residence-permit-endorsement", residence_permit},
      {"unemployment-registration", unemployment},
      {"student-status", student},
      {"birth-certificate-record", birth},
      {"vaccination-record", vaccination},
      {"disability-card-record", disability},
      {"traffic-violations", traffic},
      {"marriage-record", marriage},
      {"receipt", receipt}};
  json fields = common.is_array() ? common : json::array();
  json content = {{"fields", json::array()}};
  if (auto it = kinds.find(type); it != kinds.end()) {
    json t = it->second(c, fields);
    if (!t.is_null()) content["table"] = std::move(t);
  }
  content["fields"] = std::move(fields);
  return content;
}

}  // namespace smzc::backend
