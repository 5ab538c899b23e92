#pragma once
// A sign-up body that passes every rule of its own (SPEC §13), for tests to break one field at a time.

#include <nlohmann/json.hpp>

namespace cxs::domain::samples {

inline nlohmann::json valid_signup_body() {
  return {{"contractor_name", "株式会社サンプル"},
          {"industry", "情報通信業"},
          {"phone", "03-1234-5678"},
          {"department", "お客様相談室"},
          {"person", "山田 太郎"},
          {"email", "taro@example.co.jp"},
          {"opid", "OP0001"},
          {"an", "0120-123-456"},
          {"dn", "03-1111-2222"},
          {"plan", "free"},
          {"password", "Passw0rdX"},
          {"auth_method", "otp"},
          {"has_sales_code", false}};
}

}  // namespace cxs::domain::samples
