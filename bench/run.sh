#!/usr/bin/env bash
# Runs every benchmark once on this machine and prints one JSON line each; the figures and
# these commands are recorded in docs/performance.md. Loopback only, bounded in time.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/build/bin"
OUT="$ROOT/build/bench"
mkdir -p "$OUT"
cd "$ROOT"

echo "== RocksDB ceiling: synced batched writes (1,000,000 rows, batches of 10,000)" >&2
"$BIN/cxs-bench-storage" "$OUT/storage-db" 1000000 10000 | tee "$OUT/storage.json"

echo "== Durable ingest over HTTPS: 20 CSV batches of 100,000 rows over 1,000 accounts" >&2
python3 bench/bench_ingest.py --accounts 1000 --batches 20 --rows 100000 --clients 2 | tee "$OUT/ingest.json"

echo "== Dashboard query: traffic, 3 months by day, 100 ANs, 5,000,000 calls; side by side with nginx serving the same bytes (2 alternating rounds)" >&2
python3 bench/bench_query.py --calls 5000000 --seconds 10 --rounds 2 | tee "$OUT/query.json"

echo "== Standard plan: 100 ANs, 3,000,000 calls in 3 detailed months; ingest, each detailed analysis, DuckDB" >&2
python3 bench/bench_detailed.py --calls 3000000 --seconds 5 | tee "$OUT/detailed.json"

echo "== Memory and start-up: 100,000 accounts, 1,000 active, 10,000,000 calls" >&2
python3 bench/bench_memory.py --accounts 100000 --active 1000 --calls 10000000 | tee "$OUT/memory.json"

echo "== Login: 1,000 accounts (password + mailed OTP), then session-checked traffic queries" >&2
python3 bench/bench_login.py --accounts 1000 --clients 2 --calls 1000000 --seconds 5 --rounds 4 | tee "$OUT/login.json"

echo "== First dashboard in headless Chromium: cold and warm cache, 20 runs each" >&2
node bench/bench_first_dashboard.mjs 20 | tee "$OUT/first_dashboard.txt"

echo "== TLS audit: testssl.sh against both listeners (nothing above LOW)" >&2
bench/tls_audit.sh | tee "$OUT/tls.json"
