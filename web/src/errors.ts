// What a page says about a failed request, always in the page's language (SPEC §19 "Messages"):
// what happened, what to do next, and for a failure on the server's side (5xx) the request ID to
// quote to support. The server writes its messages in the language the request asked for, but
// not every one can be trusted to match the page: a 400 invalid_parameter's detail is English
// whatever the language, a 5xx timeout has no text of its own, a proxy's 502 has no JSON, a
// network failure has no answer at all, and a JavaScript error (a chart, a PDF) is English. So:
//   - network (0), session over (401), rate limit (429) and every 5xx: the page's own words;
//   - the other refusals: the server's message when it is in the page's language, else the
//     page's own words for its code, else a general sentence for its status.
// Never `HTTP 503`, never an English JavaScript message inside a Japanese sentence.
//
//   explain(error)          → { message, next, requestId, … }
//   messageOf(error)        → the message alone (for sentences such as "データを読み込めませんでした: {message}")
//   errorSentence(error)    → message, what to do next and the request ID as one line
//   errorAlert(lead, error) → an .alert.error box: the lead, what to do next, the request ID

import { h } from './dom';
import { t, texts, lang } from './i18n';
import { ApiError } from './api';

texts({
  ja: {
    'err.network': 'サーバーに接続できませんでした。',
    'err.unauthenticated': 'ログインの有効期限が切れたため、ログアウトしました。',
    'err.session_replaced': 'このIDで別のブラウザまたは端末からログインがあったため、この画面のセッションは終了しました。',
    'err.csrf': '画面の有効期限が切れました。',
    'err.rate_limited': '短い時間にリクエストが集中しました。',
    'err.busy': 'ただいま混み合っています。',
    'err.timeout': '処理に時間がかかりすぎたため、中断しました。',
    'err.storage': 'データを一時的に読み書きできませんでした。',
    'err.unavailable': 'ただいまサービスを一時的にご利用いただけません。',
    'err.mail': 'メールを送信できませんでした。',
    'err.internal': '申し訳ございません。処理中に問題が発生しました。',
    'err.too_large': '送信する内容が大きすぎます。',
    'err.not_found': 'お探しのページまたはデータは見つかりませんでした。',
    'err.plan_required': 'この機能はスタンダードプランでご利用いただけます。',
    'err.forbidden_role': 'この操作はメインIDでのみ行えます。',
    'err.invalid_parameter': '値を見直してください。',
    'err.not_implemented': 'この機能は現在準備中です。',
    'err.json': 'リクエストの内容を読み取れませんでした。',
    'err.request': 'リクエストを処理できませんでした。',
    'err.unexpected': '予期しないエラーが発生しました。',
    // Refusals of the public pages, for a server message that is not in the page's language.
    'err.invalid_credentials': 'CX Support IDまたはパスワードが正しくありません。',
    'err.locked': 'パスワードを5回続けて間違えたため、このIDは30分間ロックされています。30分後にもう一度お試しいただくか、パスワードを再発行してください。',
    'err.session_active': 'このIDは別の場所でログイン中です。ログアウトし忘れた場合は、最後の操作から30分で自動的にログアウトされます。',
    'err.ticket_expired': 'ワンタイムパスワードの有効期限が切れたか、入力回数の上限を超えました。もう一度ログインしてください。',
    'err.invalid_code': 'ワンタイムパスワードが正しくありません。',
    // Certificate login (SPEC §16): the server's texts say what to do; these are their page-side twins.
    'err.certificate_required': 'このIDは電子証明書でログインする設定ですが、ブラウザから電子証明書が送られませんでした。電子証明書を取り込んだうえでブラウザをいったん閉じて開き直し、証明書の選択で「CX Support」の証明書を選んでください。',
    'err.certificate_mismatch': 'ブラウザから送られた電子証明書は、このIDのものではありません。ブラウザをいったん閉じて開き直し、証明書の選択でこのIDの「CX Support」の証明書を選んでください。',
    'err.certificate_revoked': 'ブラウザから送られた電子証明書は失効しています。最新の証明書を選ぶか、電子証明書ダウンロードページで新しい証明書を取得してください。',
    'err.certificate_expired': 'ブラウザから送られた電子証明書は有効期限が切れています。電子証明書ダウンロードページで新しい証明書を取得し、ブラウザに取り込んでください。',
    'err.expired': 'このURLは有効期限が切れているか、すでに無効です。',
    'err.already_confirmed': 'このお申し込みはすでに本登録済みです。ご登録のメールアドレスに届いたご案内をご確認ください。',
    'err.opid_taken': 'このOPIDはすでに契約済みか、お申し込み手続き中です。',
    // What to do next.
    'err.next.network': '通信環境をご確認のうえ、もう一度お試しください。',
    'err.next.login': 'もう一度ログインしてください。',
    'err.next.reload': 'ページを再読み込みしてから、もう一度お試しください。',
    'err.next.wait': '{n}秒ほど待ってから、もう一度お試しください。',
    'err.next.later': 'しばらく待ってから、もう一度お試しください。',
    'err.next.support': 'しばらく待ってから、もう一度お試しください。解決しない場合は、受付番号を添えてお問い合わせください。',
    'err.next.smaller': '内容を減らしてから、もう一度お試しください。',
    'err.next.check': '指定した内容をご確認ください。',
    'err.next.plan': 'プランの変更は「プラン」のページから行えます。',
    'err.next.main_id': '必要な場合は、メインIDの管理者にご依頼ください。',
    'err.request_id': '受付番号: {id}',
    'err.request_id_short': '受付番号 {id}',
  },
  en: {
    'err.network': 'The server could not be reached.',
    'err.unauthenticated': 'Your session has ended, so you have been logged out.',
    'err.session_replaced': 'This ID logged in on another browser or device, so this session has ended.',
    'err.csrf': 'This page has expired.',
    'err.rate_limited': 'Too many requests were sent in a short time.',
    'err.busy': 'The service is busy just now.',
    'err.timeout': 'The request took too long and was stopped.',
    'err.storage': 'The data could not be read or stored just now.',
    'err.unavailable': 'The service is not available just now.',
    'err.mail': 'The mail could not be sent.',
    'err.internal': 'Sorry, something went wrong on our side.',
    'err.too_large': 'What was sent is too large.',
    'err.not_found': 'What you asked for was not found.',
    'err.plan_required': 'This feature needs the standard plan.',
    'err.forbidden_role': 'Only the main ID can do this.',
    'err.invalid_parameter': 'Please check the value.',
    'err.not_implemented': 'This feature is not available yet.',
    'err.json': 'The request could not be read.',
    'err.request': 'The request could not be completed.',
    'err.unexpected': 'An unexpected error occurred.',
    'err.invalid_credentials': 'The CX Support ID or the password is wrong.',
    'err.locked': 'This ID is locked for 30 minutes after five wrong passwords in a row. Try again later or reissue the password.',
    'err.session_active': 'This ID is logged in elsewhere. A session left without logging out is released 30 minutes after its last request.',
    'err.ticket_expired': 'The one-time password has expired or was tried too often. Please log in again.',
    'err.invalid_code': 'The one-time password is wrong.',
    'err.certificate_required': 'This ID logs in with a client certificate, but the browser sent none. Import the certificate, restart the browser and choose the CX Support certificate when it asks.',
    'err.certificate_mismatch': 'The certificate the browser sent is not this ID\'s. Restart the browser and choose this ID\'s CX Support certificate when it asks.',
    'err.certificate_revoked': 'The certificate the browser sent has been revoked. Choose the newest certificate, or get a new one from the certificate download page.',
    'err.certificate_expired': 'The certificate the browser sent has expired. Get a new one from the certificate download page and import it into the browser.',
    'err.expired': 'This link has expired or is no longer valid.',
    'err.already_confirmed': 'This application has already been confirmed. Please see the mails sent to your address.',
    'err.opid_taken': 'This OPID already has a contract or a pending application.',
    'err.next.network': 'Check your connection and try again.',
    'err.next.login': 'Please log in again.',
    'err.next.reload': 'Reload the page and try again.',
    'err.next.wait': 'Please wait about {n} seconds and try again.',
    'err.next.later': 'Please wait a moment and try again.',
    'err.next.support': 'Please wait a moment and try again. If it keeps happening, contact support and give the request ID.',
    'err.next.smaller': 'Make it smaller and try again.',
    'err.next.check': 'Please check what you asked for.',
    'err.next.plan': 'You can change the plan on the Plan page.',
    'err.next.main_id': 'Please ask the administrator of the main ID if it is needed.',
    'err.request_id': 'Request ID: {id}',
    'err.request_id_short': 'request ID {id}',
  },
});

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;

// Whether a text reads as the page's language: Japanese has kana or kanji, English has none.
export const inPageLanguage = (text: string | null | undefined): boolean =>
  !!text && text.trim() !== '' && (lang() === 'ja' ? JAPANESE.test(text) : !JAPANESE.test(text));

// Codes whose own words the page has (used when the server's message is not in the page's language).
const OWN = new Set(['not_found', 'plan_required', 'forbidden_role', 'invalid_parameter', 'not_implemented', 'json', 'csrf',
  'invalid_credentials', 'locked', 'session_active', 'ticket_expired', 'invalid_code', 'certificate_required',
  'certificate_mismatch', 'certificate_revoked', 'certificate_expired', 'expired', 'already_confirmed', 'opid_taken', 'too_large']);

export interface Explained {
  status: number;            // 0: no answer (network) or not a request at all
  code: string;              // the server's code; 'network', 'client' (a script error), 'http' (no JSON)
  message: string;           // what happened, in the page's language
  next: string | null;       // what to do next, in the page's language
  requestId: string | null;  // the server's request_id of a 5xx, for support
}

// A script error that is really the network's (a chunk or the PDF font that could not be fetched).
const networkish = (e: unknown) => e instanceof TypeError && /fetch|network|import|load/i.test(e.message);

const logged = new WeakSet<Error>();

export function explain(error: unknown): Explained {
  if (!(error instanceof ApiError)) {
    // A JavaScript error (a chart, a document, a file): its English text goes to the console only.
    if (error instanceof Error && !logged.has(error)) { logged.add(error); console.warn(error); }
    return networkish(error)
      ? { status: 0, code: 'network', message: t('err.network'), next: t('err.next.network'), requestId: null }
      : { status: 0, code: 'client', message: t('err.unexpected'), next: t('err.next.reload'), requestId: null };
  }
  const { status, code } = error;
  const requestId = error.requestId;
  const wait = error.retryAfter && error.retryAfter > 0 ? t('err.next.wait', { n: Math.ceil(error.retryAfter) }) : null;
  const own = (message: string, next: string | null = null): Explained => ({ status, code, message, next, requestId });

  if (status === 0) return own(t('err.network'), t('err.next.network'));
  if (status === 401 && code === 'session_replaced') return own(t('err.session_replaced'), t('err.next.login'));
  if (status === 401 && (code === 'unauthenticated' || code === 'http')) return own(t('err.unauthenticated'), t('err.next.login'));
  if (status === 429) return own(t('err.rate_limited'), wait ?? t('err.next.later'));
  if (status >= 500) {
    if (code === 'not_implemented') return own(t('err.not_implemented'));
    const known = ['busy', 'timeout', 'storage', 'unavailable', 'mail'].includes(code);
    const message = t(known ? `err.${code}` : 'err.internal');
    // Busy and timeout pass by themselves; the others may need support, who find the log line by the ID.
    const next = code === 'busy' || code === 'timeout' ? (wait ?? t('err.next.later')) : requestId ? t('err.next.support') : (wait ?? t('err.next.later'));
    return own(message, next);
  }
  // A refusal (4xx): the server's words when they are the page's language, else the page's own.
  // Refusals the user did not cause and cannot mend by what they typed (a page too old for its
  // session's token, a body the page should not have sent) are said in the page's words: the
  // server's are for developers (CSRF, media types) or missing (too large).
  const server = !PAGE_WORDS.has(code) && inPageLanguage(error.message) ? error.message : null;
  const message = server ?? (OWN.has(code) ? t(`err.${code}`) : t('err.request'));
  const hint = NEXT[code] ? t(NEXT[code]) : null;
  // The server's texts say what to do already, but for "not found".
  const next = code === 'not_found' ? hint : server ? null : hint ?? (OWN.has(code) ? null : t('err.next.reload'));
  return own(message, next);
}

const PAGE_WORDS = new Set(['csrf', 'too_large', 'json', 'unsupported_media_type', 'method_not_allowed', 'http']);

const NEXT: Record<string, string> = {
  csrf: 'err.next.reload', too_large: 'err.next.smaller', plan_required: 'err.next.plan', forbidden_role: 'err.next.main_id',
  not_found: 'err.next.check', json: 'err.next.reload',
};

export const messageOf = (error: unknown): string => explain(error).message;

// The server's own message when it is in the page's language (else null): for boxes that have
// their own title and explanation and only add the server's words when they fit.
export const serverText = (error: unknown): string | null =>
  error instanceof ApiError && error.status > 0 && error.status < 500 && inPageLanguage(error.message) ? error.message : null;

const sentences = (parts: (string | null)[]) => parts.filter(Boolean).join(lang() === 'ja' ? '' : ' ');

// One line: what happened, what to do, and the request ID.
export function errorSentence(error: unknown): string {
  const e = explain(error);
  const id = e.requestId ? (lang() === 'ja' ? `（${t('err.request_id_short', { id: e.requestId })}）` : ` (${t('err.request_id_short', { id: e.requestId })})`) : '';
  return sentences([e.message, e.next]) + id;
}

// The request ID of a 5xx as its own line, for support.
export function requestIdLine(error: unknown): HTMLElement | null {
  const id = error instanceof ApiError ? error.requestId : null;
  return id ? h('p', { class: 'small request-id', 'data-request-id': id }, t('err.request_id', { id })) : null;
}

// An error box: `lead` (what could not be done, usually with messageOf(error) in it; the message
// itself when null), then what to do next and the request ID.
export function errorAlert(lead: string | null, error: unknown, attrs: Record<string, string> = {}): HTMLElement {
  const e = explain(error);
  return h('div', { class: 'alert error', role: 'alert', 'data-status': String(e.status), 'data-code': e.code, ...attrs },
    h('p', { class: 'error-message' }, lead ?? e.message),
    e.next ? h('p', { class: 'error-next' }, e.next) : null,
    requestIdLine(error));
}
