#!/usr/bin/env bash
# Runs every benchmark once on this machine, in one go, and prints one JSON line each (kept in
# build/bench/NAME.json); then bench/record.py writes the machine's facts, the commit, every
# command and its JSON line into docs/performance.md ("Latest full run"). Loopback only, bounded
# in time. `bench/run.sh NAME…` runs only the named steps (and records only those).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/build/bin"
OUT="$ROOT/build/bench"
mkdir -p "$OUT"
cd "$ROOT"
ONLY=("$@")
: >"$OUT/commands.tsv"
# The commit and time the run started from (the binaries were built from it just before).
printf '%s\t%s%s\n' "$(date -Iminutes)" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (with uncommitted changes)')" \
  >"$OUT/started"

# step NAME DESCRIPTION COMMAND… : runs COMMAND into build/bench/NAME.json and notes the command.
step() {
  local name=$1 description=$2
  shift 2
  if [ ${#ONLY[@]} -gt 0 ] && [[ " ${ONLY[*]} " != *" $name "* ]]; then return 0; fi
  echo "== $description" >&2
  printf '%s\t%s\t%s\n' "$name" "$description" "$*" >>"$OUT/commands.tsv"
  "$@" | tee "$OUT/$name.json"
}

step storage "RocksDB ceiling: synced batched writes (1,000,000 rows, batches of 10,000), sequential and random keys" \
  "$BIN/cxs-bench-storage" "$OUT/storage-db" 1000000 10000
step ingest "Durable ingest over HTTPS: 20 CSV batches of 100,000 rows over 1,000 accounts" \
  python3 bench/bench_ingest.py --accounts 1000 --batches 20 --rows 100000 --clients 2
step query "Dashboard query: traffic, 3 months by day, 100 ANs, 5,000,000 calls; side by side with nginx serving the same bytes (2 alternating rounds)" \
  python3 bench/bench_query.py --calls 5000000 --seconds 10 --rounds 2
step detailed "Standard plan: 100 ANs, 3,000,000 calls in 3 detailed months; ingest, each detailed analysis, DuckDB" \
  python3 bench/bench_detailed.py --calls 3000000 --seconds 5
step memory "Memory and start-up: 100,000 accounts, 1,000 active, 10,000,000 calls" \
  python3 bench/bench_memory.py --accounts 100000 --active 1000 --calls 10000000
step login "Login: 1,000 accounts (password + mailed OTP), then session-checked traffic queries" \
  python3 bench/bench_login.py --accounts 1000 --clients 2 --calls 1000000 --seconds 5 --rounds 4
step handshake "TLS handshakes: admin listener vs customer listener (asks for a client certificate) vs a certificate presented, 3 alternating rounds" \
  python3 bench/bench_handshake.py --clients 2 --seconds 5 --rounds 3
step mixed "Mixed load: 1,000 simulated accounts with cxs-load for 60 s (logins, dashboards, analyses, ingest, sign-ups)" \
  python3 bench/bench_mixed.py --accounts 1000 --duration 60 --seed-calls 1000000
step first_dashboard "First dashboard in headless Chromium: cold and warm cache, 20 runs each" \
  node bench/bench_first_dashboard.mjs 20
step tls "TLS audit: testssl.sh against both listeners (nothing above LOW)" \
  bench/tls_audit.sh

python3 bench/record.py "$OUT" "$ROOT/docs/performance.md"
