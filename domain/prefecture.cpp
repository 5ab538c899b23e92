// How a phone number becomes a prefecture.
//
// libphonenumber's offline geocoder knows, for each Japanese area-code prefix (up to 6 digits
// with the leading 0), the name of its charging area. What it returns (Debian 12, 8.12.57):
//   - locale ja: the area name only, e.g. 03 → "東京", 011 → "札幌", 0145-6 → "門別富川";
//   - locale en: "City, Prefecture" (011 → "Sapporo, Hokkaido", 06 → "Osaka, Osaka"), or just
//     "Tokyo" for 03; no English name at all for about 70 areas (e.g. 0145-6, 0422-2x, 04996);
//   - nothing (empty) for mobile 070/080/090, IP 050, toll-free 0120/0800, navi-dial 0570 and
//     for unassigned blocks inside geographic area codes.
// The English data was machine-translated and names the wrong prefecture for 7 areas
// (0288 今市 "Imabari, Ehime" is in Tochigi, 0578 神岡 "Kamioka, Akita" is in Gifu, …).
//
// So the mapping is: the Japanese area name, if it is in `ja_areas` below (the areas without an
// English name plus the 7 corrections), gives the prefecture; otherwise the prefecture is the
// English text after the last ", " (or the whole text: "Tokyo"), matched against the 47 English
// prefecture names. Anything else is "00". prefecture_test.cpp checks every area prefix the
// geocoder knows against this rule, so a libphonenumber upgrade that adds an area shows up there.
//
// Geographic numbers in Japan are 10 digits with the leading 0 and the area is decided by the
// first 6, so the answer is memoised per 6-digit prefix in a 100,000-entry table of atomics:
// ingest threads read it without locks and fill it on first use (the geocoder has its own mutex).
#include "domain/prefecture.hpp"

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>

#include <array>
#include <atomic>
#include <mutex>

namespace cxs::domain {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;

struct prefecture_info {
  std::string_view ja;
  std::string_view en;
};

// JIS X 0401 order: index = code - 1.
constexpr std::array<prefecture_info, prefecture_count> prefectures{{
    {"北海道", "Hokkaido"}, {"青森県", "Aomori"},      {"岩手県", "Iwate"},     {"宮城県", "Miyagi"},
    {"秋田県", "Akita"},    {"山形県", "Yamagata"},    {"福島県", "Fukushima"}, {"茨城県", "Ibaraki"},
    {"栃木県", "Tochigi"},  {"群馬県", "Gunma"},       {"埼玉県", "Saitama"},   {"千葉県", "Chiba"},
    {"東京都", "Tokyo"},    {"神奈川県", "Kanagawa"},  {"新潟県", "Niigata"},   {"富山県", "Toyama"},
    {"石川県", "Ishikawa"}, {"福井県", "Fukui"},       {"山梨県", "Yamanashi"}, {"長野県", "Nagano"},
    {"岐阜県", "Gifu"},     {"静岡県", "Shizuoka"},    {"愛知県", "Aichi"},     {"三重県", "Mie"},
    {"滋賀県", "Shiga"},    {"京都府", "Kyoto"},       {"大阪府", "Osaka"},     {"兵庫県", "Hyogo"},
    {"奈良県", "Nara"},     {"和歌山県", "Wakayama"},  {"鳥取県", "Tottori"},   {"島根県", "Shimane"},
    {"岡山県", "Okayama"},  {"広島県", "Hiroshima"},   {"山口県", "Yamaguchi"}, {"徳島県", "Tokushima"},
    {"香川県", "Kagawa"},   {"愛媛県", "Ehime"},       {"高知県", "Kochi"},     {"福岡県", "Fukuoka"},
    {"佐賀県", "Saga"},     {"長崎県", "Nagasaki"},    {"熊本県", "Kumamoto"},  {"大分県", "Oita"},
    {"宮崎県", "Miyazaki"}, {"鹿児島県", "Kagoshima"}, {"沖縄県", "Okinawa"},
}};

struct ja_area {
  std::string_view name;
  uint8_t code;
};

// Japanese area names whose prefecture the English data does not give (or gives wrongly).
constexpr ja_area ja_areas[] = {
    // No English name in the geocoder data.
    {"門別富川", 1},
    {"根室標津", 1},
    {"十勝池田", 1},
    {"十勝清水", 1},
    {"北見枝幸", 1},
    {"利尻礼文", 1},
    {"石狩深川", 1},
    {"焼尻", 1},
    {"鰺ケ沢", 2},
    {"迫", 4},
    {"築館", 4},
    {"古川", 4},
    {"磐城富岡", 7},
    {"会津山口", 7},
    {"水海道", 8},
    {"竜ケ崎", 8},
    {"大原", 12},
    {"武蔵野三鷹", 13},
    {"伊豆大島", 13},
    {"三宅", 13},
    {"八丈島", 13},
    {"新井", 15},
    {"巻", 15},
    {"小出", 15},
    {"鰍沢青柳", 19},
    {"長野", 20},
    {"木曾福島", 20},
    {"美濃白川", 21},
    {"郡上八幡", 21},
    {"高富", 21},
    {"天竜", 22},
    {"修善寺大仁", 22},
    {"尾張横須賀", 23},
    {"上野", 24},
    {"三瀬谷", 24},
    {"峰山", 26},
    {"岸和田貝塚", 27},
    {"播磨山崎", 28},
    {"竜野", 28},
    {"丹波柏原", 28},
    {"八鹿", 28},
    {"大和榛原", 29},
    {"五条", 29},
    {"和歌山橋本", 30},
    {"根雨", 31},
    {"石見大田", 32},
    {"福渡", 33},
    {"安芸吉田", 34},
    {"千代田", 34},
    {"甲山", 34},
    {"久賀", 35},
    {"阿波池田", 36},
    {"丹生谷", 36},
    {"牟岐", 36},
    {"三本松", 37},
    {"窪川", 39},
    {"土佐中村", 39},
    {"土佐山田", 39},
    {"嶺北", 39},
    {"郷ノ浦", 42},
    {"厳原", 42},
    {"対馬佐賀", 42},
    {"有川", 42},
    {"松橋", 43},
    {"熊本一の宮", 43},
    {"矢部", 43},
    {"中之島", 46},
    {"硫黄島", 46},
    {"大根占", 46},
    {"中甑", 46},
    {"種子島", 46},
    {"沖縄宮古", 47},
    // English data names the wrong prefecture.
    {"今市", 9},   // 0288, "Imabari, Ehime"
    {"大野", 18},  // 0779, "Ono, Gifu"
    {"神岡", 21},  // 0578, "Kamioka, Akita"
    {"下市", 29},  // 0747-5, "Shimonoseki, Yamaguchi"
    {"新宮", 30},  // 0735-2, "Shingu, Fukuoka"
    {"西郷", 32},  // 0851-2, "Nishigo, Fukushima"
    {"木江", 34},  // 0846-6, "Mima, Tokushima"
};

// GetAreaDescription is the geocoder's prefix lookup without the "Japan" fallback and without
// an ICU Locale; it is private, so reach it through the standard explicit-instantiation rule
// (access checks do not apply to template arguments of an explicit instantiation). This keeps
// domain/ free of a direct ICU link; the signature is checked by the compiler.
using area_description_fn = const char* (PhoneNumberOfflineGeocoder::*)(const PhoneNumber&, const std::string&,
                                                                        const std::string&, const std::string&) const;
area_description_fn area_description_member();
template <area_description_fn F>
struct expose_area_description {
  friend area_description_fn area_description_member() { return F; }
};
template struct expose_area_description<&PhoneNumberOfflineGeocoder::GetAreaDescription>;

const PhoneNumberOfflineGeocoder& geocoder() {
  // Built once and never destroyed: ingest threads may still use it while the process exits.
  static const auto* instance = new PhoneNumberOfflineGeocoder();
  return *instance;
}

std::string lookup_area(uint64_t national_number, const std::string& language) {
  PhoneNumber number;
  number.set_country_code(81);
  number.set_national_number(national_number);
  static const std::string none;
  const char* text = (geocoder().*area_description_member())(number, language, none, none);
  return text ? std::string(text) : std::string();
}

uint8_t code_from_english(std::string_view en) {
  const auto comma = en.rfind(", ");
  const std::string_view pref = comma == std::string_view::npos ? en : en.substr(comma + 2);
  for (std::size_t i = 0; i < prefectures.size(); ++i)
    if (prefectures[i].en == pref) return static_cast<uint8_t>(i + 1);
  return 0;
}

// The uncached rule, for a 6-digit prefix "0" + five digits given as the five digits' value.
// One lookup at a time: Debian's libgeocoding loads its area maps on first use without a lock
// that holds across threads (ThreadSanitizer reported the race, docs/security.md "Sanitizers").
// Lookups are memoised per prefix, so the lock is taken only on a prefix's first call.
uint8_t lookup_prefix(unsigned five_digits) {
  static std::mutex geocoder_mutex;
  const std::lock_guard lock(geocoder_mutex);
  const uint64_t national = uint64_t{five_digits} * 10000;  // any subscriber digits will do
  const std::string ja = lookup_area(national, "ja");
  if (ja.empty()) return 0;
  for (const ja_area& a : ja_areas)
    if (a.name == ja) return a.code;
  return code_from_english(lookup_area(national, "en"));
}

// 0 = not looked up yet, else code + 1.
std::array<std::atomic<uint8_t>, 100000> memo{};

}  // namespace

uint8_t prefecture_code_of(std::string_view digits) {
  // Only 10-digit national numbers can be geographic; 00… is an international/carrier prefix.
  if (digits.size() != 10 || digits[0] != '0' || digits[1] == '0') return 0;
  unsigned key = 0;
  for (std::size_t i = 1; i < 10; ++i) {
    const char c = digits[i];
    if (c < '0' || c > '9') return 0;
    if (i < 6) key = key * 10 + static_cast<unsigned>(c - '0');
  }
  const uint8_t cached = memo[key].load(std::memory_order_relaxed);
  if (cached != 0) return static_cast<uint8_t>(cached - 1);
  const uint8_t code = lookup_prefix(key);  // two threads may both compute it; same answer
  memo[key].store(static_cast<uint8_t>(code + 1), std::memory_order_relaxed);
  return code;
}

std::string prefecture_of(std::string_view digits) { return format_prefecture(prefecture_code_of(digits)); }

std::string_view prefecture_name(uint8_t code) {
  if (code == 0) return "不明";
  if (code > prefecture_count) return {};
  return prefectures[code - 1].ja;
}

std::string_view prefecture_name(std::string_view code) {
  const auto parsed = parse_prefecture(code);
  return parsed ? prefecture_name(*parsed) : std::string_view{};
}

std::string_view prefecture_name_en(uint8_t code) {
  if (code == 0) return "Unknown";
  if (code > prefecture_count) return {};
  return prefectures[code - 1].en;
}

std::string format_prefecture(uint8_t code) {
  return {static_cast<char>('0' + code / 10 % 10), static_cast<char>('0' + code % 10)};
}

std::optional<uint8_t> parse_prefecture(std::string_view code) {
  if (code.size() != 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9') return std::nullopt;
  const int value = (code[0] - '0') * 10 + (code[1] - '0');
  if (value > prefecture_count) return std::nullopt;
  return static_cast<uint8_t>(value);
}

std::string area_description(std::string_view digits, std::string_view language) {
  if (digits.size() < 2 || digits.size() > 16 || digits[0] != '0' || digits[1] == '0') return {};
  uint64_t national = 0;
  for (const char c : digits.substr(1)) {
    if (c < '0' || c > '9') return {};
    national = national * 10 + static_cast<uint64_t>(c - '0');
  }
  return lookup_area(national, std::string(language));
}

}  // namespace cxs::domain
