// Every request of the /ops page to the admin listener (SPEC §17): JSON in and out, the operator's
// session in the HttpOnly cookie `__Host-cxs_ops` (sent by the browser, never seen by this code),
// and `X-CXS-Ops: 1` on every state-changing request, which the server asks of a change
// authenticated by the cookie (a cross-site form or simple request cannot set it). The token itself
// is only ever in the login request's body: never kept in memory or web storage.

// A request that hangs must not stop the polling for ever.
const TIMEOUT_MS = 15000;

export interface FieldError { field: string; code: string; message: string }

export class OpsError extends Error {
  constructor(public status: number, public code: string, message: string, public errors: FieldError[] = []) {
    super(message);
  }
}

// Called when a request answers 401 (the operator's session ended: 30 minutes idle, 12 hours, a
// logout in another tab): the page stops polling and shows the token form again.
let onUnauthorized: () => void = () => {};
export const whenUnauthorized = (fn: () => void) => { onUnauthorized = fn; };

// `probe`: a 401 is the answer "not logged in", not a session that ended under the operator's feet.
export async function ops<T = unknown>(method: string, path: string, body?: unknown, { probe = false } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CXS-Ops'] = '1';
  let response: Response;
  let text: string;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin', cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) });
    text = await response.text();
  } catch (error) {
    throw new OpsError(0, 'network', error instanceof DOMException && error.name === 'TimeoutError'
      ? `The admin listener did not answer within ${TIMEOUT_MS / 1000} s.` : 'The admin listener could not be reached.');
  }
  let parsed: any = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
  if (response.ok) return parsed as T;
  const error = parsed?.error;
  const errors: FieldError[] = Array.isArray(parsed?.errors) ? parsed.errors : [];
  const failure = new OpsError(response.status, error?.code ?? (errors.length ? 'fields' : 'http'),
    error?.message ?? (errors.length ? errors.map((e) => e.message).join(' ') : `HTTP ${response.status}`), errors);
  if (response.status === 401 && !probe) onUnauthorized();
  throw failure;
}

// What an operator reads for a failure that is not a field error.
export function describe(error: unknown): string {
  if (error instanceof OpsError) {
    if (error.status === 0) return error.message;
    return `${error.message} (HTTP ${error.status}${error.code && error.code !== 'http' ? `, ${error.code}` : ''})`;
  }
  return String(error);
}
