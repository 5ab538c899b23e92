#include "domain/signup.hpp"
#include "domain/text.hpp"

#include "domain/child_users.hpp"
#include "domain/custom_data.hpp"
#include "domain/groups.hpp"

#include "domain/numbers.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <utility>

namespace cxs::domain {

// ---------------------------------------------------------------------------------------------
// Language

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// The q-value of one Accept-Language entry ("en-US;q=0.8"): 1 without one, -1 when unreadable.
double q_value(std::string_view params) {
  // params is everything after the first ';'
  while (!params.empty()) {
    auto semi = params.find(';');
    auto p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      std::string v(trim(p.substr(2)));
      if (v.empty()) return -1;
      char* end = nullptr;
      double q = std::strtod(v.c_str(), &end);
      if (end != v.c_str() + v.size() || q < 0 || q > 1) return -1;
      return q;
    }
  }
  return 1;
}

}  // namespace

lang language_of(std::string_view accept_language) {
  std::string_view best;
  double best_q = 0;  // q=0 means "not acceptable": such an entry never wins
  while (!accept_language.empty()) {
    auto comma = accept_language.find(',');
    auto entry = accept_language.substr(0, comma);
    accept_language = comma == std::string_view::npos ? std::string_view{} : accept_language.substr(comma + 1);
    auto semi = entry.find(';');
    auto tag = trim(entry.substr(0, semi));
    double q = semi == std::string_view::npos ? 1.0 : q_value(entry.substr(semi + 1));
    if (tag.empty() || q <= best_q) continue;  // ties keep the earlier entry
    best = tag;
    best_q = q;
  }
  if (best.size() == 2 && iequals_prefix(best, "en")) return lang::en;
  if (best.size() > 3 && iequals_prefix(best, "en-")) return lang::en;
  return lang::ja;
}

const std::vector<std::string>& industries() {
  static const std::vector<std::string> list{
      "製造業",         "建設業",           "情報通信業", "運輸業・郵便業",
      "卸売業・小売業", "金融業・保険業",   "不動産業",   "宿泊業・飲食サービス業",
      "医療・福祉",     "教育・学習支援業", "サービス業", "公務",
      "その他"};
  return list;
}

// ---------------------------------------------------------------------------------------------
// Messages

namespace {

struct label {
  const char* ja;
  const char* en;  // as it reads inside a sentence
  bool choice;     // chosen from a list (select/radio) rather than typed
};

const std::map<std::string, label, std::less<>>& labels() {
  static const std::map<std::string, label, std::less<>> m{
      {"contractor_name", {"契約者名", "contractor name", false}},
      {"industry", {"業種", "industry", true}},
      {"phone", {"連絡先電話番号", "contact phone number", false}},
      {"department", {"部署", "department", false}},
      {"person", {"担当者", "person in charge", false}},
      {"email", {"メールアドレス", "email address", false}},
      {"opid", {"OPID", "OPID", false}},
      {"an", {"FD/ND番号", "FD/ND number", false}},
      {"dn", {"着信先番号", "destination number", false}},
      {"plan", {"プラン", "plan", true}},
      {"billing_an", {"請求用FD/ND番号", "billing FD/ND number", false}},
      {"billing_phone", {"請求用電話番号", "billing phone number", false}},
      {"password", {"パスワード", "password", false}},
      {"current_password", {"現在のパスワード", "current password", false}},
      {"auth_method", {"認証方式", "authentication method", true}},
      {"has_sales_code", {"営業コード有無", "whether you have a sales code", true}},
      {"sales_code", {"営業コード", "sales code", false}},
      // The login and reissue forms (parse_pair in settings.cpp).
      {"id", {"CX Support ID", "CX Support ID", false}},
      {"code", {"ワンタイムパスワード", "one-time password", false}},
  };
  return m;
}

// The label at the start of a sentence.
std::string cap(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// A limit as it reads in a message (the numbers live in the domain headers, never in a text).
std::string num(std::size_t n) { return std::to_string(n); }

// The AN prefixes as a message lists them: "0120・0800・0570", "0120, 0800 or 0570".
std::string an_prefixes(lang l) {
  std::string out;
  for (std::size_t i = 0; i < an_formats.size(); ++i) {
    if (i > 0) out += l == lang::ja ? "・" : i + 1 == an_formats.size() ? " or " : ", ";
    out += an_formats[i].prefix;
  }
  return out;
}

using message_pair = std::pair<std::string, std::string>;  // ja, en

const std::map<std::pair<std::string, std::string>, message_pair>& messages() {
  static const auto table = [] {
    std::map<std::pair<std::string, std::string>, message_pair> t;
    auto put = [&](const std::string& field, const std::string& code, std::string ja, std::string en) {
      t[{field, code}] = {std::move(ja), std::move(en)};
    };

    // required: every field a form can leave empty.
    for (auto& [field, l] : labels()) {
      if (field == "department") continue;  // optional
      if (l.choice)
        put(field, "required", std::string(l.ja) + "を選択してください。",
            std::string("Please select the ") + l.en + ".");
      else
        put(field, "required", std::string(l.ja) + "を入力してください。",
            std::string("Please enter the ") + l.en + ".");
    }
    put("has_sales_code", "required", "営業コードの有無を選択してください。",
        "Please select whether you have a sales code.");

    for (const char* f : {"contractor_name", "department", "person"}) {
      auto& l = labels().find(f)->second;
      put(f, "too_long", std::string(l.ja) + "は" + num(text_max_length) + "文字以内で入力してください。",
          cap(l.en) + " must be at most " + num(text_max_length) + " characters.");
      put(f, "invalid", std::string(l.ja) + "に使用できない文字（改行・制御文字など）が含まれています。",
          cap(l.en) + " contains characters that cannot be used (line breaks or control characters).");
    }
    put("email", "too_long", "メールアドレスは" + num(email_max_length) + "文字以内で入力してください。",
        "Email address must be at most " + num(email_max_length) + " characters.");
    put("email", "invalid", "メールアドレスの形式が正しくありません。ご確認ください。",
        "Please enter a valid email address.");

    put("industry", "not_in_list", "業種は一覧から選択してください。", "Please select an industry from the list.");
    put("industry", "invalid", "業種は一覧から選択してください。", "Please select an industry from the list.");

    put("phone", "invalid", "連絡先電話番号が正しくありません。市外局番から半角数字（ハイフン可）で入力してください。",
        "Contact phone number is not a valid Japanese phone number. Enter it with its area code, in "
        "half-width digits (hyphens allowed).");
    put("billing_phone", "invalid",
        "請求用電話番号が正しくありません。市外局番から半角数字（ハイフン可）で入力してください。",
        "Billing phone number is not a valid Japanese phone number. Enter it with its area code, in "
        "half-width digits (hyphens allowed).");
    put("dn", "invalid", "着信先番号が正しくありません。市外局番から半角数字（ハイフン可）で入力してください。",
        "Destination number is not a valid Japanese phone number. Enter it with its area code, in "
        "half-width digits (hyphens allowed).");
    for (const char* f : {"an", "billing_an"}) {
      auto& l = labels().find(f)->second;
      put(f, "invalid",
          std::string(l.ja) + "が正しくありません。" + an_prefixes(lang::ja) +
              "で始まる番号を半角数字（ハイフン可）で入力してください。",
          cap(l.en) + " is not valid. Enter a number starting with " + an_prefixes(lang::en) +
              ", in half-width digits (hyphens allowed).");
    }
    put("opid", "invalid", "OPIDは半角英数字" + num(opid_max_length) + "文字以内で入力してください。",
        "OPID must be " + num(opid_min_length) + " to " + num(opid_max_length) + " half-width letters or digits.");
    put("plan", "invalid", "プランはフリープランまたはスタンダードプランから選択してください。",
        "Please select the free plan or the standard plan.");
    put("auth_method", "invalid", "認証方式はワンタイムパスワードまたは電子証明書から選択してください。",
        "Please select one-time password or client certificate as the authentication method.");
    put("auth_method", "unavailable", "子IDの認証方式はワンタイムパスワードのみです。",
        "A child ID logs in with one-time passwords only.");
    put("take_over", "invalid", "ログイン中のセッションを引き継ぐかどうかは true または false で指定してください。",
        "take_over must be true or false.");
    put("has_sales_code", "invalid", "営業コードの有無を「あり」または「なし」から選択してください。",
        "Please select whether you have a sales code.");
    put("sales_code", "invalid", "営業コードは半角英数字" + num(sales_code_length) + "文字で入力してください。",
        "Sales code must be exactly " + num(sales_code_length) + " half-width letters or digits.");
    put("password", "invalid", "パスワードの形式が正しくありません。", "Password is not valid.");
    put("current_password", "invalid", "現在のパスワードの形式が正しくありません。", "Current password is not valid.");

    put("password", "weak_password",
        "パスワードは半角英数字" + num(password_min_length) + "〜" + num(password_max_length) +
            "文字で、英大文字・英小文字・数字をそれぞれ1文字以上含めてください。",
        "Password must be " + num(password_min_length) + " to " + num(password_max_length) +
            " half-width letters and digits, with at least one upper-case letter, one lower-case letter and one "
            "digit.");
    // POST /admin/accounts (SPEC §14): its registration date.
    put("registered", "invalid", "登録日はYYYY-MM-DD形式の日付で入力してください。",
        "Registration date must be a date in the form YYYY-MM-DD.");
    put("registered", "future", "登録日に未来の日付は指定できません。", "Registration date must not be in the future.");
    put("current_password", "wrong_password", "現在のパスワードが正しくありません。", "Current password is incorrect.");

    put("opid", "unknown_opid", "このOPIDは登録されていません。OPIDをご確認ください。",
        "This OPID is not registered. Please check the OPID.");
    put("opid", "child_opid", "子OPIDではお申し込みいただけません。親OPIDでお申し込みください。",
        "A child OPID cannot be used to apply. Please apply with the parent OPID.");
    put("opid", "opid_taken", "このOPIDはすでに契約済みか、お申し込み手続き中です。",
        "This OPID already has a contract or an application in progress.");
    put("an", "an_not_in_opid", "このFD/ND番号は、入力されたOPIDに登録されていません。",
        "This FD/ND number is not registered to the OPID you entered.");
    put("billing_an", "an_not_in_opid", "この請求用FD/ND番号は、入力されたOPIDに登録されていません。",
        "This billing FD/ND number is not registered to the OPID you entered.");
    put("dn", "dn_not_in_opid", "この着信先番号は、入力されたOPIDのFD/ND番号に登録されていません。",
        "This destination number is not registered to any FD/ND number of the OPID you entered.");

    put("confirm", "confirmation_required",
        "フリープランへ変更すると、詳細データ・カスタムデータと12か月を超えるデータが削除されます。"
        "内容をご確認のうえ、変更を確定してください。",
        "Moving to the free plan deletes detailed and custom data and data older than 12 months. "
        "Please confirm the change.");
    // Groups (domain/groups.hpp).
    put("group.name", "required", "グループ名を入力してください。", "Please enter the group name.");
    put("group.name", "too_long", "グループ名は" + num(group_name_max_length) + "文字以内で入力してください。",
        "Group name must be at most " + num(group_name_max_length) + " characters.");
    put("group.name", "invalid", "グループ名に使用できない文字（改行・制御文字など）が含まれています。",
        "Group name contains characters that cannot be used (line breaks or control characters).");
    put("group.name", "name_taken", "同じ名前のグループがすでにあります。別の名前を入力してください。",
        "A group with this name already exists. Please choose another name.");
    put("group.members", "required", "グループに含める番号を1つ以上選んでください。",
        "Please choose at least one number for the group.");
    put("group.members", "invalid", "番号は半角数字（ハイフン可）で入力してください。",
        "Numbers must be half-width digits (hyphens allowed).");
    put("group.members", "too_many", "1つのグループに含められる番号は" + num(group_max_members) + "件までです。",
        "A group can hold at most " + num(group_max_members) + " numbers.");
    put("group.members", "an_not_in_account", "このアカウントのFD/ND番号ではない番号が含まれています。",
        "A number is not an FD/ND number of this account.");
    put("group.members", "dn_not_in_account",
        "このアカウントのFD/ND番号に登録された着信先番号ではない番号が含まれています。",
        "A number is not a destination number registered to an FD/ND number of this account.");
    put("group.", "too_many", "グループは種類ごとに" + num(groups_per_kind_max) + "件まで作成できます。",
        "You can create at most " + num(groups_per_kind_max) + " groups of each kind.");

    // Custom data sets (domain/custom_data.hpp).
    put("custom.name", "required", "データ名を入力してください。", "Please enter the name of the data set.");
    put("custom.name", "too_long", "データ名は" + num(custom_name_max_length) + "文字以内で入力してください。",
        "The name must be at most " + num(custom_name_max_length) + " characters.");
    put("custom.name", "invalid", "データ名に使用できない文字（改行・制御文字など）が含まれています。",
        "The name contains characters that cannot be used (line breaks or control characters).");
    put("custom.name", "name_taken", "同じ名前のデータがすでにあります。別の名前を入力してください。",
        "A data set with this name already exists. Please choose another name.");
    put("custom.unit", "too_long", "単位は" + num(custom_unit_max_length) + "文字以内で入力してください。",
        "The unit must be at most " + num(custom_unit_max_length) + " characters.");
    put("custom.unit", "invalid", "単位に使用できない文字（改行・制御文字など）が含まれています。",
        "The unit contains characters that cannot be used (line breaks or control characters).");
    put("custom.points", "invalid", "データの形式が正しくありません。", "The points must be a list.");
    put("custom.points", "too_many", "1つのデータに登録できるのは" + num(custom_points_max) + "件までです。",
        "A data set can hold at most " + num(custom_points_max) + " points.");
    put("custom.points", "duplicate", "同じ日時のデータが複数あります。", "Two points have the same time.");
    put("custom.points[].t", "required", "日時を入力してください。", "Please enter the time of the point.");
    put("custom.points[].t", "invalid",
        "日時は「2026-11」（月）、「2026-11-01」（日）、「2026-11-01T09」（時）の形式で入力してください。",
        "Write the time as 2026-11 (a month), 2026-11-01 (a day) or 2026-11-01T09 (an hour).");
    put("custom.points[].t", "kind_mismatch", "1つのデータには月・日・時のいずれか1種類の日時だけを登録できます。",
        "A data set holds points of one kind only: months, days or hours.");
    put("custom.points[].t", "too_old", "保存期間（" + num(custom_retention_months) + "か月）より前の日時です。",
        "This time is before the " + num(custom_retention_months) + "-month retention window.");
    put("custom.points[].value", "required", "値を入力してください。", "Please enter the value.");
    put("custom.points[].value", "invalid", "値は数値で入力してください。", "The value must be a number.");
    put("custom.from_analysis", "invalid",
        "コピー元の分析の指定が正しくありません。分析名と項目を指定し、ポイントと同時には指定しないでください。",
        "The analysis to copy is not valid: give its name and figure, and no points with it.");
    put("custom.from_analysis.name", "invalid", "コピー元の分析が見つかりません。",
        "There is no analysis of that name.");
    put("custom.from_analysis.figure", "invalid", "この分析にはその項目の時系列がありません。",
        "The analysis has no series of that figure.");
    put("custom.from_analysis.filters", "invalid", "コピー元の分析の条件が正しくありません。",
        "The filters of the analysis to copy are not valid.");
    put("custom.from_analysis.filters", "minute",
        "分単位の時系列は独自データにできません。月・日・時単位を指定してください。",
        "Minute buckets cannot become a data set: use months, days or hours.");
    put("custom.upload.line", "header",
        "1行目（見出し）は「t,value」「date,value」「日付,値」のいずれかにしてください。",
        "The first line (the header) must be t,value or date,value or 日付,値.");
    put("custom.upload.line", "columns", "1行に日時と値の2項目をカンマで区切って書いてください。",
        "Each line must hold two fields, the time and the value, separated by a comma.");
    put("custom.upload.line", "encoding",
        "この行の文字を読み取れません。ファイルをUTF-8またはShift_JISで保存し、文字コードを選び直してください。",
        "This line cannot be read: save the file as UTF-8 or Shift_JIS and choose its encoding.");
    put("custom.upload.line", "too_many", "1つのデータに登録できるのは" + num(custom_points_max) + "件までです。",
        "A data set can hold at most " + num(custom_points_max) + " points.");
    put("custom.upload.line", "too_many_errors", "ほかにも誤りのある行があります（件数）。",
        "More lines have errors (their count).");
    put("custom.", "too_many_sets", "独自データは" + num(custom_sets_max) + "件まで作成できます。",
        "You can create at most " + num(custom_sets_max) + " data sets.");

    // Child IDs (domain/child_users.hpp).
    put("user.an_groups", "invalid", "閲覧できるグループの指定が正しくありません。",
        "The AN groups must be a list of group IDs.");
    put("user.an_groups", "unknown_group", "存在しないFD/ND番号グループが指定されています。",
        "No AN group of this account has that ID.");
    put("disabled", "invalid", "利用停止の指定が正しくありません。", "disabled must be true or false.");
    put("users.", "too_many", "子IDは" + num(children_max) + "件まで作成できます。",
        "You can create at most " + num(children_max) + " child IDs.");

    put("", "invalid", "送信された内容の形式が正しくありません。もう一度お試しください。",
        "The request is not valid: the body must be a JSON object.");
    return t;
  }();
  return table;
}

}  // namespace

std::string field_message(const std::string& field, const std::string& code, lang l) {
  auto it = messages().find({field, code});
  if (it != messages().end()) return l == lang::en ? it->second.second : it->second.first;
  if (l == lang::en) return "Please check this entry.";
  return "入力内容に誤りがあります。ご確認ください。";
}

bool has_field_message(const std::string& field, const std::string& code) {
  return messages().count({field, code}) != 0;
}

std::vector<std::pair<std::string, std::string>> field_message_keys() {
  std::vector<std::pair<std::string, std::string>> keys;
  keys.reserve(messages().size());
  for (auto& entry : messages()) keys.push_back(entry.first);
  return keys;
}

// ---------------------------------------------------------------------------------------------
// The form's own rules

namespace {

bool is_half_width_alnum(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
}

class checker {
 public:
  checker(const nlohmann::json& body, lang l) : body_(body), lang_(l) {}

  // A string field: missing, null or "" → required (when required), another JSON type → invalid.
  std::optional<std::string> string_field(const char* name, bool required) {
    auto it = body_.find(name);
    if (it == body_.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
      if (required) fail(name, "required");
      return std::nullopt;
    }
    if (!it->is_string()) {
      fail(name, "invalid");
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  std::optional<bool> bool_field(const char* name) {
    auto it = body_.find(name);
    if (it == body_.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
      fail(name, "required");
      return std::nullopt;
    }
    if (!it->is_boolean()) {
      fail(name, "invalid");
      return std::nullopt;
    }
    return it->get<bool>();
  }

  // A one-line text of at most max characters.
  void text(const char* name, bool required, std::size_t max, std::string& out) {
    auto v = string_field(name, required);
    if (!v) return;
    if (has_control_chars(*v)) return fail(name, "invalid");
    if (utf8_length(*v) > max) return fail(name, "too_long");
    out = std::move(*v);
  }

  // A number typed with optional hyphens, kept as digits.
  template <class Valid>
  void number(const char* name, Valid valid, std::string& out) {
    auto v = string_field(name, true);
    if (!v) return;
    auto digits = strip_hyphens(*v);
    if (!valid(digits)) return fail(name, "invalid");
    out = std::move(digits);
  }

  void fail(const char* name, const char* code) { errors_.push_back({name, code, field_message(name, code, lang_)}); }

  std::vector<field_error>& errors() { return errors_; }

 private:
  const nlohmann::json& body_;
  lang lang_;
  std::vector<field_error> errors_;
};

bool valid_phone(const std::string& digits) { return is_valid_jp_phone(digits); }
bool valid_an(const std::string& digits) { return is_valid_an(digits); }

}  // namespace

std::variant<signup_form, std::vector<field_error>> parse_signup(const nlohmann::json& body, lang l) {
  if (!body.is_object()) return std::vector<field_error>{{"", "invalid", field_message("", "invalid", l)}};
  checker c(body, l);
  signup_form f;

  c.text("contractor_name", true, text_max_length, f.contractor_name);

  if (auto v = c.string_field("industry", true)) {
    auto& list = industries();
    if (std::find(list.begin(), list.end(), *v) == list.end())
      c.fail("industry", "not_in_list");
    else
      f.industry = *v;
  }

  c.number("phone", valid_phone, f.phone);
  c.text("department", false, text_max_length, f.department);
  c.text("person", true, text_max_length, f.person);

  if (auto v = c.string_field("email", true)) {
    if (utf8_length(*v) > email_max_length)
      c.fail("email", "too_long");
    else if (!is_valid_email(*v))
      c.fail("email", "invalid");
    else
      f.email = *v;
  }

  if (auto v = c.string_field("opid", true)) {
    if (!is_valid_opid(*v))
      c.fail("opid", "invalid");
    else
      f.opid = *v;
  }

  c.number("an", valid_an, f.an);
  c.number("dn", valid_phone, f.dn);

  if (auto v = c.string_field("plan", true)) {
    if (*v != "free" && *v != "standard")
      c.fail("plan", "invalid");
    else
      f.plan = *v;
  }

  // Billing fields matter on standard only; on free (or an unreadable plan) they are ignored.
  if (f.plan == "standard") {
    c.number("billing_an", valid_an, f.billing_an);
    c.number("billing_phone", valid_phone, f.billing_phone);
  }

  if (auto v = c.string_field("password", true)) {
    if (!is_valid_password(*v))
      c.fail("password", "weak_password");
    else
      f.password = *v;
  }

  if (auto v = c.string_field("auth_method", true)) {
    if (*v != "otp" && *v != "certificate")
      c.fail("auth_method", "invalid");
    else
      f.auth_method = *v;
  }

  auto has = c.bool_field("has_sales_code");
  if (has) f.has_sales_code = *has;
  if (has && *has) {
    if (auto v = c.string_field("sales_code", true)) {
      if (v->size() != sales_code_length || !is_half_width_alnum(*v))
        c.fail("sales_code", "invalid");
      else
        f.sales_code = *v;
    }
  } else {
    // Without a sales code (or when has_sales_code itself is wrong) sales_code is ignored.
    f.sales_code = std::string(sales_code_length, '0');
  }

  if (!c.errors().empty()) return std::move(c.errors());
  return f;
}

// ---------------------------------------------------------------------------------------------
// Registry rules

std::vector<field_error> check_signup_against_registry(const signup_form& f, const registry& reg,
                                                       const std::function<bool(const std::string&)>& taken, lang l) {
  std::vector<field_error> errors;
  auto fail = [&](const char* field, const char* code) {
    errors.push_back({field, code, field_message(field, code, l)});
  };
  const opid_entry* e = reg.find(f.opid);
  if (!e) {
    fail("opid", "unknown_opid");
    return errors;  // AN and DN cannot belong to an OPID that does not exist
  }
  if (!e->parent) {
    fail("opid", "child_opid");
    return errors;
  }
  if (taken && taken(f.opid)) fail("opid", "opid_taken");

  auto has_an = [&](const std::string& an) {
    return std::any_of(e->ans.begin(), e->ans.end(), [&](const an_entry& a) { return a.an == an; });
  };
  if (!has_an(f.an)) fail("an", "an_not_in_opid");
  bool dn_found = std::any_of(e->ans.begin(), e->ans.end(), [&](const an_entry& a) {
    return std::find(a.dns.begin(), a.dns.end(), f.dn) != a.dns.end();
  });
  if (!dn_found) fail("dn", "dn_not_in_opid");
  if (f.plan == "standard" && !has_an(f.billing_an)) fail("billing_an", "an_not_in_opid");
  return errors;
}

// ---------------------------------------------------------------------------------------------
// JSON forms

nlohmann::json signup_summary_json(const signup_form& f) {
  return {{"contractor_name", f.contractor_name},
          {"industry", f.industry},
          {"phone", f.phone},
          {"department", f.department},
          {"person", f.person},
          {"email", f.email},
          {"opid", f.opid},
          {"an", f.an},
          {"dn", f.dn},
          {"plan", f.plan},
          {"billing_an", f.billing_an},
          {"billing_phone", f.billing_phone},
          {"auth_method", f.auth_method},
          {"has_sales_code", f.has_sales_code},
          {"sales_code", f.sales_code}};
}

nlohmann::json signup_to_storage_json(const signup_form& f) { return signup_summary_json(f); }

std::optional<signup_form> signup_from_storage_json(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  try {
    signup_form f;
    auto str = [&](const char* key, std::string& out) { out = j.at(key).get<std::string>(); };
    str("contractor_name", f.contractor_name);
    str("industry", f.industry);
    str("phone", f.phone);
    str("department", f.department);
    str("person", f.person);
    str("email", f.email);
    str("opid", f.opid);
    str("an", f.an);
    str("dn", f.dn);
    str("plan", f.plan);
    str("billing_an", f.billing_an);
    str("billing_phone", f.billing_phone);
    str("auth_method", f.auth_method);
    f.has_sales_code = j.at("has_sales_code").get<bool>();
    str("sales_code", f.sales_code);
    return f;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

signup_draft read_signup(const nlohmann::json& body, lang l) {
  signup_draft d;
  auto parsed = parse_signup(body, l);
  if (auto* form = std::get_if<signup_form>(&parsed)) {
    d.form = std::move(*form);
    return d;
  }
  d.errors = std::move(std::get<std::vector<field_error>>(parsed));
  auto text = [&](const char* key) {
    auto it = body.find(key);
    return it != body.end() && it->is_string() ? strip_hyphens(it->get<std::string>()) : std::string();
  };
  auto ok = [&](const char* key) {
    return std::none_of(d.errors.begin(), d.errors.end(), [&](auto& e) { return e.field == key; });
  };
  auto& f = d.form;
  if (ok("opid")) f.opid = text("opid");
  if (ok("an")) f.an = text("an");
  if (ok("dn")) f.dn = text("dn");
  if (ok("plan")) f.plan = text("plan");
  if (ok("billing_an") && f.plan == "standard") f.billing_an = text("billing_an");
  return d;
}

void sort_in_form_order(std::vector<field_error>& errors) {
  static const char* order[] = {"contractor_name", "industry",      "phone",    "department",  "person",
                                "email",           "opid",          "an",       "dn",          "plan",
                                "billing_an",      "billing_phone", "password", "auth_method", "has_sales_code",
                                "sales_code"};
  auto rank = [](const std::string& field) {
    for (int i = 0; i < 16; ++i)
      if (field == order[i]) return i;
    return 16;
  };
  std::stable_sort(errors.begin(), errors.end(), [&](auto& a, auto& b) { return rank(a.field) < rank(b.field); });
}

}  // namespace cxs::domain
