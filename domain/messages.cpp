#include "domain/messages.hpp"

#include "domain/time.hpp"

#include <cstdio>
#include <map>

namespace cxs::domain {

namespace {
struct texts {
  const char* ja;
  const char* en;
};

const std::map<std::string_view, texts>& catalogue() {
  static const std::map<std::string_view, texts> t{
      {"json",
       {"リクエストの内容を読み取れませんでした（JSON形式で送信してください）。",
        "The request body is not valid JSON."}},
      {"not_found", {"お探しのページまたはデータは見つかりませんでした。", "Not found."}},
      {"expired",
       {"このURLは有効期限が切れているか、すでに無効です。お手数ですが、もう一度お申し込みください。",
        "This link has expired or is no longer valid. Please apply again."}},
      {"reset_expired",
       {"このURLは有効期限が切れているか、すでに使用済みです。もう一度パスワードの再発行をお申し込みください。",
        "This link has expired or has been used. Please request a new password reissue."}},
      {"already_confirmed",
       {"このお申し込みはすでに本登録済みです。ご登録のメールアドレスに届いたご案内をご確認ください。",
        "This application has already been confirmed. Please see the mails sent to your address."}},
      {"opid_taken",
       {"このOPIDはすでに契約済みか、お申し込み手続き中です。",
        "This OPID already has a contract or a pending application."}},
      {"invalid_credentials",
       {"CX Support IDまたはパスワードが正しくありません。", "The CX Support ID or the password is wrong."}},
      {"locked",
       {"パスワードを5回続けて間違えたため、このIDは30分間ロックされています。30分後にもう一度お試しいただくか、パスワ"
        "ードを再発行してください。",
        "This ID is locked for 30 minutes after five wrong passwords in a row. Try again later or reissue the "
        "password."}},
      {"session_active",
       {"このIDは別の場所でログイン中です。ログアウトし忘れた場合は、最後の操作から30分で自動的にログアウトされます。",
        "This ID is logged in elsewhere. A session left without logging out is released 30 minutes after its last "
        "request."}},
      {"ticket_expired",
       {"ワンタイムパスワードの有効期限が切れたか、入力回数の上限を超えました。もう一度ログインしてください。",
        "The one-time password has expired or was tried too often. Please log in again."}},
      {"invalid_code", {"ワンタイムパスワードが正しくありません。", "The one-time password is wrong."}},
      {"certificate_required",
       {"このIDは電子証明書でログインする設定ですが、ブラウザから電子証明書が送られませんでした。電子証明書を取り込ん"
        "だうえでブラウザをいったん閉じて開き直し、ログイン時に表示される証明書の選択で「CX Support」の証明書を選ん"
        "でください。証明書をまだお持ちでない場合は、メールでお知らせした電子証明書ダウンロードページから取得してくださ"
        "い。",
        "This ID logs in with a client certificate, but the browser sent none. Import the certificate, restart the "
        "browser and choose the CX Support certificate when the browser asks. If you have none yet, get it from the "
        "certificate download page given in your mail."}},
      {"certificate_mismatch",
       {"ブラウザから送られた電子証明書は、このIDのものではありません。ブラウザをいったん閉じて開き直し、証明書の選択"
        "でこのIDの「CX Support」の証明書を選んでください。",
        "The certificate the browser sent is not this ID's. Restart the browser and choose this ID's CX Support "
        "certificate when it asks."}},
      {"certificate_revoked",
       {"ブラウザから送られた電子証明書は失効しています（新しい証明書の発行などによる）。最新の証明書を選ぶか、電子証"
        "明書ダウンロードページで新しい証明書を取得してください。",
        "The certificate the browser sent has been revoked (a newer one was issued, for example). Choose the newest "
        "certificate, or get a new one from the certificate download page."}},
      {"certificate_expired",
       {"ブラウザから送られた電子証明書は有効期限が切れています。電子証明書ダウンロードページで新しい証明書を取得し、"
        "ブラウザに取り込んでください。",
        "The certificate the browser sent has expired. Get a new one from the certificate download page and import "
        "it into the browser."}},
      {"download_credentials",
       {"ダウンロードアカウントまたはダウンロードパスワードが正しくありません。「ご利用開始のお知らせ」メールに記載の"
        "ものを入力してください。",
        "The download account or password is wrong. Enter the ones from the mail that announced your account."}},
      {"download_locked",
       {"ダウンロードパスワードを5回続けて間違えたため、このダウンロードアカウントは30分間ご利用いただけません。30分"
        "後にもう一度お試しください。",
        "This download account is locked for 30 minutes after five wrong passwords in a row. Please try again "
        "later."}},
      {"forbidden_origin",
       {"このページからは操作できません。電子証明書ダウンロードページから操作してください。",
        "This request came from another site. Use the certificate download page itself."}},
      {"unauthenticated",
       {"ログインしていないか、30分間操作がなかったためログアウトしました。もう一度ログインしてください。",
        "You are not logged in, or the session ended after 30 minutes without a request. Please log in again."}},
      {"session_replaced",
       {"このIDで別のブラウザまたは端末からログインがあったため、この画面のセッションは終了しました。",
        "This ID logged in on another browser or device, so this session has ended."}},
      {"unsupported_media_type",
       {"送信形式が正しくありません。次の形式で送信してください。",
        "The body is not of the type this request takes. Send it as"}},
      {"csrf",
       {"画面の有効期限が切れました。ページを再読み込みしてからもう一度お試しください。",
        "The request is missing its CSRF token (X-CSRF-Token). Reload the page and try again."}},
      {"rate_limited",
       {"短い時間にリクエストが集中しました。しばらく待ってからもう一度お試しください。",
        "Too many requests. Please wait a moment and try again."}},
      {"plan_required",
       {"この機能はスタンダードプランでご利用いただけます。プラン変更からお申し込みください。",
        "This feature needs the standard plan. You can change the plan in the settings."}},
      {"forbidden_role",
       {"この操作はメインIDでのみ行えます。必要な場合はメインIDの管理者にご依頼ください。",
        "Only the main ID can do this. Please ask the administrator of the main ID."}},
      {"not_implemented", {"この機能は現在準備中です。", "This feature is not available yet."}},
      {"method_not_allowed", {"このURLではその操作はできません。", "This method is not allowed on this URL."}},
      {"storage",
       {"一時的に保存できませんでした。しばらく待ってからもう一度お試しください。",
        "The change could not be stored. Please try again shortly."}},
      {"mail",
       {"メールを送信できませんでした。しばらく待ってからもう一度お試しください。",
        "The mail could not be queued. Please try again shortly."}},
      {"busy",
       {"ただいま混み合っています。しばらく待ってからもう一度お試しください。",
        "The service is busy. Please try again in a moment."}},
      {"internal",
       {"申し訳ございません。処理中に問題が発生しました。お問い合わせの際は、受付番号をお知らせください。",
        "Something went wrong on our side. If you contact support, please give the request ID."}},
  };
  return t;
}
}  // namespace

std::string error_message(std::string_view code, lang l) {
  auto& t = catalogue();
  auto it = t.find(code);
  if (it == t.end())
    return l == lang::en ? "The request could not be completed." : "リクエストを処理できませんでした。";
  return l == lang::en ? it->second.en : it->second.ja;
}

std::string format_jst_readable(int64_t unix_seconds, lang l) {
  auto t = to_jst(unix_seconds);
  char buf[64];
  if (l == lang::en)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d JST", t.date.year, t.date.month, t.date.day, t.hour,
                  t.minute);
  else
    std::snprintf(buf, sizeof buf, "%04d年%d月%d日 %02d:%02d", t.date.year, t.date.month, t.date.day, t.hour, t.minute);
  return buf;
}

}  // namespace cxs::domain
