// Who is logged in: the answer of GET /api/me, kept in memory for the page's life. The CSRF token
// that comes with it is handed to api.ts; nothing is stored in the browser.

import { api, setCsrfToken, ApiError } from './api';

export interface Me {
  id: string; opid: string; plan: 'free' | 'standard'; auth_method: 'otp' | 'certificate';
  ans: string[]; dns?: string[]; registered: string; email: string; person: string; department: string;
  contractor_name: string; industry: string; phone: string; csrf_token: string;
  billing_an?: string; billing_phone?: string;
  // SPEC §15 child IDs: who is logged in — the account's main ID or one of its child IDs. A child
  // limited to AN groups has their IDs here, and `ans` is already cut by the server to the ANs of
  // those groups (empty `an_groups`: every AN). Absent on an older server: the main ID.
  role?: 'main' | 'child'; an_groups?: string[];
}

let me: Me | null = null;
// Why the last look found no session: another login took it over (SPEC §19), or it ran out.
let lastEnd: 'expired' | 'replaced' = 'expired';

export const currentMe = (): Me | null => me;

// The session's account, or null when there is no live session (a 401). Any other failure (the
// network, a 5xx) is no answer about the session: it is thrown, for the page to say so, rather
// than taken for a logout.
export async function loadMe(force = false): Promise<Me | null> {
  if (me && !force) return me;
  try {
    me = await api<Me>('GET', '/api/me', undefined, { probe: true });
    setCsrfToken(me.csrf_token);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
    me = null;
    setCsrfToken(null);
    lastEnd = error.code === 'session_replaced' ? 'replaced' : 'expired';
  }
  return me;
}

// The login page that explains why a page found its session gone, and comes back to `path` after.
export const loginAfterEnd = (path: string) => `/login?reason=${lastEnd}&next=${encodeURIComponent(path)}`;

export function setMe(next: Me | null): void {
  me = next;
  setCsrfToken(next?.csrf_token ?? null);
}

export const isStandard = () => me?.plan === 'standard';

// A child ID reads what the account has but changes nothing of it (plan, groups, custom data,
// users): the pages leave out what it may not do (SPEC §15).
export const isChild = (who: Me | null = me) => who?.role === 'child';
