// The certificate tests and benchmarks render: the demo citizen's contribution certificate.
#pragma once

#include "certs/certificate.h"

namespace smzc::testing {

inline certs::Certificate sample_certificate() {
  certs::Certificate c;
  c.serial = "NH-SB-20261122-000042";
  c.document_type = "social-insurance-contributions";
  c.item_code = "NH-SB-0001";
  c.title = "社会保险参保缴费凭证";
  c.issuer = "佛山市南海区社会保险基金管理局";
  c.region_code = "440605";
  c.issued_at = "2026-11-22T10:00:00+0800";
  c.holder_name = "陈晓明";
  c.holder_id_number = "440605199003072315";
  c.fields = {{"参保状态", "正常参保"}};
  c.table_columns = {"缴费年月", "险种", "缴费基数", "个人缴纳", "单位缴纳"};
  for (int month = 12; month >= 1; --month)
    c.table_rows.push_back({"2026" + std::string(month < 10 ? "0" : "") + std::to_string(month),
                            "职工养老保险", "5,284.00", "422.72", "739.76"});
  c.verify_payload = "SMZC1|NH-SB-20261122-000042|440605";
  return c;
}

}  // namespace smzc::testing
