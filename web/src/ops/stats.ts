// The answer of GET /admin/stats (docs/api.md, "GET /admin/stats"): rates and p99 over `window_s`
// seconds, totals since the process started.

export interface Stats {
  window_s: number;
  accounts: { live: number; passivated: number };
  actors: { kind: string; live: number; mailbox_depth: number; messages_per_s: number; restarts: number }[];
  routes: { listener: string; route: string; requests: number; requests_per_s: number; p99_ms: number | null; p99_over_ms?: number }[];
  ingest: { outcome: string; rows: number; rows_per_s: number }[];
  sessions: number;
  mails: { queue: number; states: { state: string; total: number; per_s: number }[] };
  storage: { cf: string; bytes: number }[];
  connections: { listener: string; open: number }[];
  failures: { code: string; total: number; per_s: number }[];
  busiest: { id: string; requests_per_s: number; rows_per_s: number; requests: number; rows: number }[];
}

// The same answer with every list present, so a figure the server leaves out (a newer or older
// server) shows as empty rather than breaking the page.
export function normalise(raw: Partial<Stats> | null): Stats {
  const s = raw ?? {};
  return {
    window_s: s.window_s ?? 0,
    accounts: { live: s.accounts?.live ?? 0, passivated: s.accounts?.passivated ?? 0 },
    actors: s.actors ?? [],
    routes: s.routes ?? [],
    ingest: s.ingest ?? [],
    sessions: s.sessions ?? 0,
    mails: { queue: s.mails?.queue ?? 0, states: s.mails?.states ?? [] },
    storage: s.storage ?? [],
    connections: s.connections ?? [],
    failures: s.failures ?? [],
    busiest: s.busiest ?? [],
  };
}

export const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 100) / 100;

// Requests per second of one listener (all its routes).
export const listenerRate = (s: Stats, listener: string) =>
  sum(s.routes.filter((r) => r.listener === listener).map((r) => r.requests_per_s));

export const ingestRate = (s: Stats) => sum(s.ingest.map((r) => r.rows_per_s));
