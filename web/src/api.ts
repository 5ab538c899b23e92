// Every call to /api/…: JSON in and out, the language in Accept-Language, the session's CSRF
// token in X-CSRF-Token on state-changing requests (SPEC §11). The token lives in memory only,
// never in localStorage. An answer that is not 2xx becomes an ApiError with the server's code,
// message and field errors.

import { lang } from './i18n';

// `line`: the CSV line of an upload's error (line 1 = the header).
export interface FieldError { field: string; code: string; message: string; line?: number }

// `message` is the server's text, in the language the request asked for — or '' when the answer
// had none (a proxy's page, an empty body). Pages do not show it as it is: errors.ts says what to
// show in the page's language (SPEC §19 "Messages").
export class ApiError extends Error {
  field: string | null = null;      // the parameter a 400 invalid_parameter names
  requestId: string | null = null;  // the request_id of a 5xx, for support
  constructor(public status: number, public code: string, message: string, public errors: FieldError[] = [],
              public retryAfter: number | null = null) {
    super(message);
  }
}

let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => { csrfToken = token; };

// Called when a guarded request answers 401 unauthenticated (session over) or session_replaced
// (another login took it over, SPEC §19): the router sends the user to the login page with an
// explanation of which it was.
export type SessionEnd = 'expired' | 'replaced';
let onUnauthenticated: (why: SessionEnd) => void = () => {};
export const whenUnauthenticated = (fn: (why: SessionEnd) => void) => { onUnauthenticated = fn; };
const endOf = (code: string | undefined): SessionEnd | null =>
  code === 'unauthenticated' ? 'expired' : code === 'session_replaced' ? 'replaced' : null;

// `probe`: a 401 is an answer ("no session"), not a session that ended under the user's feet.
export async function api<T = unknown>(method: string, path: string, body?: unknown, { probe = false } = {}): Promise<T> {
  return send<T>(method, path, body === undefined ? undefined : { bytes: JSON.stringify(body), type: 'application/json' }, probe);
}

// A request whose body is not JSON (a CSV file's own bytes for the custom-data upload): sent as
// it is, under `type`; the answer is read like any other.
export async function apiRaw<T = unknown>(method: string, path: string, bytes: Blob | ArrayBuffer, type: string): Promise<T> {
  return send<T>(method, path, { bytes, type }, false);
}

// No answer at all (offline, the server down, the connection cut): status 0, code `network`.
const networkError = () => new ApiError(0, 'network', lang() === 'en'
  ? 'The server could not be reached. Check your connection and try again.'
  : 'サーバーに接続できませんでした。通信環境をご確認のうえ、もう一度お試しください。');

// The ApiError of an answer that is not 2xx: code, message, field errors, field, request ID and the
// wait of a 429 or 503 busy, from the JSON body when there is one.
function errorOf(response: Response, text: string): ApiError {
  let parsed: any = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
  const error = parsed && typeof parsed.error === 'object' ? parsed.error : null;
  const errors: FieldError[] = Array.isArray(parsed?.errors) ? parsed.errors : [];
  const code = typeof error?.code === 'string' ? error.code : Array.isArray(parsed?.errors) ? 'fields' : 'http';
  const message = typeof error?.message === 'string' ? error.message : '';
  const retry = Number(response.headers.get('Retry-After') ?? '');
  const apiError = new ApiError(response.status, code, message, errors, Number.isFinite(retry) && retry > 0 ? retry : null);
  apiError.field = typeof error?.field === 'string' ? error.field : null;
  apiError.requestId = typeof error?.request_id === 'string' && error.request_id ? error.request_id : null;
  return apiError;
}

async function send<T>(method: string, path: string, body: { bytes: BodyInit; type: string } | undefined, probe: boolean): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': lang() === 'en' ? 'en' : 'ja' };
  if (body !== undefined) headers['Content-Type'] = body.type;
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  let text: string;
  try {
    response = await fetch(path, { method, headers, body: body?.bytes, credentials: 'same-origin' });
    text = await response.text();
  } catch {
    throw networkError();
  }
  if (response.ok) {
    try { return (text ? JSON.parse(text) : null) as T; } catch { return null as T; }
  }
  const apiError = errorOf(response, text);
  const ended = response.status === 401 ? endOf(apiError.code) : null;
  if (ended && !probe) onUnauthenticated(ended);
  throw apiError;
}

// A CSV answer of an analysis as a file the browser saves: the server's bytes and file name.
// Failures are ApiErrors like those of api() (a network failure too).
export async function download(path: string): Promise<{ blob: Blob; filename: string }> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { 'Accept-Language': lang() === 'en' ? 'en' : 'ja' }, credentials: 'same-origin' });
  } catch {
    throw networkError();
  }
  if (!response.ok) {
    let text = '';
    try { text = await response.text(); } catch { text = ''; }
    const apiError = errorOf(response, text);
    const ended = response.status === 401 ? endOf(apiError.code) ?? 'expired' : null;
    if (ended) onUnauthenticated(ended);
    throw apiError;
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  let blob: Blob;
  try { blob = await response.blob(); } catch { throw networkError(); }
  let filename = 'cxs.csv';
  if (match) { try { filename = decodeURIComponent(match[1]); } catch { filename = match[1]; } }
  return { blob, filename };
}

// Saves a blob under a file name (an <a download> click; no window.open, no data: URLs in the page).
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
