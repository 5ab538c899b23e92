// Every call to /api/…: JSON in and out, the language in Accept-Language, the session's CSRF
// token in X-CSRF-Token on state-changing requests (SPEC §11). The token lives in memory only,
// never in localStorage. An answer that is not 2xx becomes an ApiError with the server's code,
// message and field errors.

import { lang } from './i18n';

// `line`: the CSV line of an upload's error (line 1 = the header).
export interface FieldError { field: string; code: string; message: string; line?: number }

export class ApiError extends Error {
  field: string | null = null;      // the parameter a 400 invalid_parameter names
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

async function send<T>(method: string, path: string, body: { bytes: BodyInit; type: string } | undefined, probe: boolean): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': lang() === 'en' ? 'en' : 'ja' };
  if (body !== undefined) headers['Content-Type'] = body.type;
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body?.bytes, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', lang() === 'en' ? 'The server could not be reached. Check your connection and try again.'
      : 'サーバーに接続できませんでした。通信環境をご確認のうえ、もう一度お試しください。');
  }
  const text = await response.text();
  let parsed: any = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
  if (response.ok) return parsed as T;
  const retry = response.headers.get('Retry-After');
  const error = parsed?.error;
  const apiError = new ApiError(response.status, error?.code ?? (parsed?.errors ? 'fields' : 'http'),
    error?.message ?? (parsed?.errors ? '' : `HTTP ${response.status}`), parsed?.errors ?? [], retry ? Number(retry) : null);
  apiError.field = typeof error?.field === 'string' ? error.field : null;
  const ended = response.status === 401 ? endOf(apiError.code) : null;
  if (ended && !probe) onUnauthenticated(ended);
  return Promise.reject(apiError);
}

// A CSV answer of an analysis as a file the browser saves: the server's bytes and file name.
export async function download(path: string): Promise<{ blob: Blob; filename: string }> {
  const response = await fetch(path, { headers: { 'Accept-Language': lang() }, credentials: 'same-origin' });
  if (!response.ok) {
    let error: { code?: string; message?: string } | undefined;
    try { error = JSON.parse(await response.text())?.error; } catch { error = undefined; }
    const ended = response.status === 401 ? endOf(error?.code) ?? 'expired' : null;
    if (ended) onUnauthenticated(ended);
    throw new ApiError(response.status, error?.code ?? 'http', error?.message ?? `HTTP ${response.status}`);
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return { blob: await response.blob(), filename: match ? decodeURIComponent(match[1]) : 'cxs.csv' };
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
