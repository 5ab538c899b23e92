#include "domain/prefecture.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <thread>
#include <vector>

#include "domain/numbers.hpp"

namespace cxs::domain {
namespace {

struct sample {
  const char* number;
  const char* pref;
};

// One number in (or near) each prefectural capital, chosen from the area-code plan by hand.
constexpr sample capitals[] = {
    {"0112345678", "01"},  // 011 札幌
    {"0177234567", "02"},  // 017-7 青森
    {"0196234567", "03"},  // 019-6 盛岡
    {"0222345678", "04"},  // 022 仙台
    {"0188234567", "05"},  // 018-8 秋田
    {"0236234567", "06"},  // 023-6 山形
    {"0245234567", "07"},  // 024-5 福島
    {"0292234567", "08"},  // 029-2 水戸
    {"0286234567", "09"},  // 028-6 宇都宮
    {"0272234567", "10"},  // 027-2 前橋
    {"0486234567", "11"},  // 048-6 浦和 (さいたま)
    {"0432234567", "12"},  // 043-2 千葉
    {"0312345678", "13"},  // 03 東京
    {"0452345678", "14"},  // 045 横浜
    {"0252234567", "15"},  // 025-2 新潟
    {"0764234567", "16"},  // 076-4 富山
    {"0762234567", "17"},  // 076-2 金沢
    {"0776234567", "18"},  // 0776 福井
    {"0552234567", "19"},  // 055-2 甲府
    {"0262234567", "20"},  // 026-2 長野
    {"0582234567", "21"},  // 058-2 岐阜
    {"0542234567", "22"},  // 054-2 静岡
    {"0522345678", "23"},  // 052 名古屋
    {"0592234567", "24"},  // 059-2 津
    {"0775234567", "25"},  // 077-5 大津
    {"0752345678", "26"},  // 075 京都
    {"0662345678", "27"},  // 06 大阪
    {"0782345678", "28"},  // 078 神戸
    {"0742234567", "29"},  // 0742 奈良
    {"0734234567", "30"},  // 073-4 和歌山
    {"0857234567", "31"},  // 0857 鳥取
    {"0852234567", "32"},  // 0852 松江
    {"0862234567", "33"},  // 086-2 岡山
    {"0822234567", "34"},  // 082-2 広島
    {"0839234567", "35"},  // 083-9 山口
    {"0886234567", "36"},  // 088-6 徳島
    {"0878234567", "37"},  // 087-8 高松
    {"0899234567", "38"},  // 089-9 松山
    {"0888234567", "39"},  // 088-8 高知
    {"0922345678", "40"},  // 092 福岡
    {"0952234567", "41"},  // 0952 佐賀
    {"0958234567", "42"},  // 095-8 長崎
    {"0962234567", "43"},  // 096-2 熊本
    {"0975234567", "44"},  // 097-5 大分
    {"0985234567", "45"},  // 0985 宮崎
    {"0992234567", "46"},  // 099-2 鹿児島
    {"0988234567", "47"},  // 098-8 那覇
};

TEST(Prefecture, EveryPrefectureFromItsCapital) {
  for (const sample& s : capitals) EXPECT_EQ(prefecture_of(s.number), s.pref) << s.number;
}

TEST(Prefecture, SmallTownsAndSplitAreaCodes) {
  EXPECT_EQ(prefecture_of("0155223456"), "01");  // 帯広
  EXPECT_EQ(prefecture_of("0166223456"), "01");  // 旭川
  EXPECT_EQ(prefecture_of("0982223456"), "45");  // 延岡 (098-2 is Miyazaki, 098-8 Okinawa)
  EXPECT_EQ(prefecture_of("0280223456"), "08");  // 古河 (028-0 is Ibaraki, the rest of 028 Tochigi)
  EXPECT_EQ(prefecture_of("0423123456"), "13");  // 国分寺
  EXPECT_EQ(prefecture_of("0427123456"), "14");  // 相模原
  EXPECT_EQ(prefecture_of("0429123456"), "11");  // 飯能
  EXPECT_EQ(prefecture_of("0534123456"), "22");  // 浜松
  EXPECT_EQ(prefecture_of("0586123456"), "23");  // 一宮
  EXPECT_EQ(prefecture_of("0499812345"), "13");  // 小笠原
}

TEST(Prefecture, AreasWithoutEnglishName) {
  EXPECT_EQ(area_description("0145623456", "en"), "");
  EXPECT_EQ(area_description("0145623456", "ja"), "門別富川");
  EXPECT_EQ(prefecture_of("0145623456"), "01");
  EXPECT_EQ(prefecture_of("0422223456"), "13");  // 武蔵野三鷹
  EXPECT_EQ(prefecture_of("0499623456"), "13");  // 八丈島
  EXPECT_EQ(prefecture_of("0980623456"), "47");  // 沖縄宮古
  EXPECT_EQ(prefecture_of("0997223456"), "46");  // 種子島
}

TEST(Prefecture, EnglishDataErrorsAreCorrected) {
  EXPECT_EQ(area_description("0288223456", "en"), "Imabari, Ehime");  // what the data says
  EXPECT_EQ(prefecture_of("0288223456"), "09");                       // 今市 is in Tochigi
  EXPECT_EQ(prefecture_of("0578223456"), "21");                       // 神岡, Gifu
  EXPECT_EQ(prefecture_of("0735223456"), "30");                       // 新宮, Wakayama
  EXPECT_EQ(prefecture_of("0747523456"), "29");                       // 下市, Nara
  EXPECT_EQ(prefecture_of("0779223456"), "18");                       // 大野, Fukui
  EXPECT_EQ(prefecture_of("0846623456"), "34");                       // 木江, Hiroshima
  EXPECT_EQ(prefecture_of("0851223456"), "32");                       // 西郷 (隠岐), Shimane
}

TEST(Prefecture, NonGeographicNumbersAreUnknown) {
  EXPECT_EQ(prefecture_of(""), "00");             // withheld
  EXPECT_EQ(prefecture_of("09012345678"), "00");  // mobile
  EXPECT_EQ(prefecture_of("08012345678"), "00");
  EXPECT_EQ(prefecture_of("05012345678"), "00");  // IP
  EXPECT_EQ(prefecture_of("0120123456"), "00");   // toll-free
  EXPECT_EQ(prefecture_of("08001234567"), "00");
  EXPECT_EQ(prefecture_of("0570123456"), "00");  // navi-dial
  EXPECT_EQ(prefecture_of("0012345678"), "00");
  EXPECT_EQ(prefecture_of("031234567"), "00");    // too short
  EXPECT_EQ(prefecture_of("03123456789"), "00");  // too long
  EXPECT_EQ(prefecture_of("03-1234-56"), "00");
  EXPECT_EQ(prefecture_of("3123456789"), "00");
  EXPECT_EQ(prefecture_code_of("0312345678"), 13);
  EXPECT_EQ(prefecture_code_of("09012345678"), 0);
}

TEST(Prefecture, MemoisedAnswerIsStable) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(prefecture_of("0312345678"), "13");
    EXPECT_EQ(prefecture_of("0399999999"), "13");
  }
}

TEST(Prefecture, NamesAndCodes) {
  EXPECT_EQ(prefecture_name("13"), "東京都");
  EXPECT_EQ(prefecture_name("01"), "北海道");
  EXPECT_EQ(prefecture_name("47"), "沖縄県");
  EXPECT_EQ(prefecture_name("00"), "不明");
  EXPECT_EQ(prefecture_name("48"), "");
  EXPECT_EQ(prefecture_name("1"), "");
  EXPECT_EQ(prefecture_name(uint8_t{27}), "大阪府");
  EXPECT_EQ(prefecture_name_en(28), "Hyogo");
  EXPECT_EQ(format_prefecture(0), "00");
  EXPECT_EQ(format_prefecture(7), "07");
  EXPECT_EQ(format_prefecture(47), "47");
  EXPECT_EQ(parse_prefecture("00"), uint8_t{0});
  EXPECT_EQ(parse_prefecture("47"), uint8_t{47});
  EXPECT_FALSE(parse_prefecture("48"));
  EXPECT_FALSE(parse_prefecture("7"));
  EXPECT_FALSE(parse_prefecture("007"));
  EXPECT_FALSE(parse_prefecture("a1"));
}

// Every area prefix the geocoder knows must land in a prefecture, and all 47 must be reachable.
// A libphonenumber upgrade that adds an area name this mapping does not know fails here.
TEST(Prefecture, EveryGeocoderAreaMapsToAPrefecture) {
  std::set<uint8_t> reached;
  int areas = 0;
  for (int prefix = 10000; prefix < 100000; ++prefix) {
    char number[16];
    std::snprintf(number, sizeof number, "0%05d2345", prefix);
    const std::string ja = area_description(number, "ja");
    if (ja.empty()) {
      EXPECT_EQ(prefecture_code_of(number), 0) << number;
      continue;
    }
    ++areas;
    const uint8_t code = prefecture_code_of(number);
    EXPECT_GE(code, 1) << number << " " << ja << " / " << area_description(number, "en");
    reached.insert(code);
  }
  EXPECT_GT(areas, 10000);  // sanity: the JP data is there at all
  EXPECT_EQ(reached.size(), 47u);
}

TEST(Prefecture, ThreadSafe) {
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round)
        for (const sample& s : capitals)
          if (prefecture_of(s.number) != s.pref) ++wrong[static_cast<std::size_t>(t)];
    });
  for (auto& th : threads) th.join();
  for (const int w : wrong) EXPECT_EQ(w, 0);
}

}  // namespace
}  // namespace cxs::domain
