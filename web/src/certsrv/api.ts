// The calls of the download page /certsrv/ (SPEC §16) and what it says when one fails.
//
// Every request goes to the same origin under /certsrv/ with `Accept-Language: ja`; the browser
// re-sends the download account's HTTP Basic credentials by itself (`credentials: 'same-origin'`). The page is Japanese
// only, so it does not use the app's api.ts / errors.ts: those read the app's language choice
// (English for an English browser) and would mark the document `lang="en"`. The wording below
// follows errors.ts (SPEC §19 "Messages"): the server's Japanese message when it has one, else the
// page's words for the code, always with what to do next, and a 5xx's request ID on its own line.

export interface Certificate {
  serial: string;            // hex
  not_after: string;         // ISO 8601
  revoked: string | null;    // ISO 8601 when revoked
}

export interface Status {
  id: string;
  certificates: Certificate[];   // newest first
}

export interface Issued {
  id: string;
  pkcs12: string;            // base64 of the .p12 file
  password: string;          // 16 characters, shown once
  serial: string;
  not_after: string;
}

export interface FieldError { field: string; code: string; message: string }

// A request that did not succeed: status 0 when there was no answer at all.
export class CertError extends Error {
  constructor(public status: number, public code: string, message: string, public errors: FieldError[] = [],
              public retryAfter: number | null = null, public requestId: string | null = null) {
    super(message);
  }
}

const networkError = () => new CertError(0, 'network', '');

async function errorOf(response: Response): Promise<CertError> {
  let text = '';
  try { text = await response.text(); } catch { text = ''; }
  let parsed: any = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
  const error = parsed && typeof parsed.error === 'object' && parsed.error ? parsed.error : null;
  const errors: FieldError[] = Array.isArray(parsed?.errors)
    ? parsed.errors.filter((e: any) => e && typeof e.message === 'string').map((e: any) => ({
      field: String(e.field ?? ''), code: String(e.code ?? ''), message: e.message }))
    : [];
  const code = typeof error?.code === 'string' ? error.code : errors.length ? 'fields' : 'http';
  const message = typeof error?.message === 'string' ? error.message : '';
  const retry = Number(response.headers.get('Retry-After') ?? '');
  // The request ID: its own field when the server gives one, else the 16 hex digits in the message.
  const requestId = typeof error?.request_id === 'string' && error.request_id ? error.request_id
    : response.status >= 500 ? (/\b[0-9a-f]{16}\b/i.exec(message)?.[0] ?? null) : null;
  return new CertError(response.status, code, message, errors, Number.isFinite(retry) && retry > 0 ? retry : null, requestId);
}

async function send(method: string, path: string, init: { headers?: Record<string, string>; body?: BodyInit } = {}): Promise<Response> {
  let response: Response;
  try {
    // Japanese only: the server writes its messages in the language asked for.
    const headers = { 'Accept-Language': 'ja', ...init.headers };
    response = await fetch(path, { method, headers, body: init.body, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw networkError();
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

async function json<T>(response: Response): Promise<T> {
  try { return (await response.json()) as T; } catch { throw networkError(); }
}

// GET /certsrv/status: the ID and its certificates, newest first.
export async function getStatus(): Promise<Status> {
  const body = await json<Partial<Status>>(await send('GET', '/certsrv/status', { headers: { Accept: 'application/json' } }));
  return {
    id: String(body.id ?? ''),
    certificates: Array.isArray(body.certificates) ? body.certificates.map((c) => ({
      serial: String(c.serial ?? ''), not_after: String(c.not_after ?? ''), revoked: c.revoked ? String(c.revoked) : null })) : [],
  };
}

// POST /certsrv/issue: a new key and certificate as a PKCS#12 file and its password (revokes the previous one).
export async function issue(): Promise<Issued> {
  const body = await json<Issued>(await send('POST', '/certsrv/issue', { headers: { Accept: 'application/json' } }));
  if (!body || typeof body.pkcs12 !== 'string' || typeof body.password !== 'string') throw new CertError(500, 'http', '');
  return body;
}

// POST /certsrv/csr: the customer's own certificate request (PEM) → the signed certificate (PEM).
export async function signCsr(pem: string): Promise<string> {
  const response = await send('POST', '/certsrv/csr', { headers: { 'Content-Type': 'application/pkcs10' }, body: pem });
  try { return await response.text(); } catch { throw networkError(); }
}

// ---- What the page says -------------------------------------------------------------------

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;

const OWN: Record<string, string> = {
  network: 'サーバーに接続できませんでした。',
  download_credentials: 'ダウンロードアカウントまたはダウンロードパスワードが正しくありません。',
  download_locked: 'ダウンロードパスワードを5回続けて間違えたため、ダウンロードアカウントは30分間ロックされています。',
  rate_limited: '短い時間にリクエストが集中しました。',
  busy: 'ただいま混み合っています。',
  timeout: '処理に時間がかかりすぎたため、中断しました。',
  internal: '申し訳ございません。処理中に問題が発生しました。',
  forbidden_origin: 'このページ以外から送られた操作のため、受け付けられませんでした。',
  unsupported_media_type: '送信した内容の形式を受け付けられませんでした。',
  fields: '入力内容をご確認ください。',
  request: 'リクエストを処理できませんでした。',
  unexpected: '予期しないエラーが発生しました。',
};

const NEXT = {
  network: '通信環境をご確認のうえ、もう一度お試しください。',
  credentials: 'ページを再読み込みし、メールに記載のダウンロードアカウントとダウンロードパスワードを入力してください。',
  locked: '30分ほど待ってから、ページを再読み込みしてください。',
  wait: (n: number) => `${n}秒ほど待ってから、もう一度お試しください。`,
  later: 'しばらく待ってから、もう一度お試しください。',
  support: 'しばらく待ってから、もう一度お試しください。解決しない場合は、受付番号を添えてお問い合わせください。',
  reload: 'ページを再読み込みしてから、もう一度お試しください。',
  check: '入力内容をご確認のうえ、もう一度お試しください。',
};

export interface Explained {
  status: number;
  code: string;
  message: string;
  next: string | null;
  requestId: string | null;
}

// What happened, in Japanese, and what to do next.
export function explain(error: unknown): Explained {
  if (!(error instanceof CertError)) {
    // A script error: its English text goes to the console only.
    if (error instanceof Error) console.warn(error);
    return { status: 0, code: 'client', message: OWN.unexpected, next: NEXT.reload, requestId: null };
  }
  const { status, code, requestId } = error;
  const server = JAPANESE.test(error.message) ? error.message : null;
  const wait = error.retryAfter ? NEXT.wait(Math.ceil(error.retryAfter)) : null;
  const out = (message: string, next: string | null): Explained => ({ status, code, message, next, requestId });
  if (status === 0) return out(OWN.network, NEXT.network);
  if (status === 401) return out(server ?? OWN.download_credentials, NEXT.credentials);
  if (status === 423) return out(server ?? OWN.download_locked, NEXT.locked);
  if (status === 429) return out(server ?? OWN.rate_limited, wait ?? NEXT.later);
  if (status >= 500) {
    const known = code === 'busy' || code === 'timeout' ? OWN[code] : OWN.internal;
    const next = code === 'busy' || code === 'timeout' ? (wait ?? NEXT.later) : NEXT.support;
    return out(server ?? known, next);
  }
  if (status === 403) return out(server ?? OWN.forbidden_origin, NEXT.reload);
  if (status === 415) return out(OWN.unsupported_media_type, NEXT.reload);
  if (status === 422) return out(server ?? OWN.fields, NEXT.check);
  return out(server ?? OWN.request, NEXT.reload);
}
