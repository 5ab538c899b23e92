#!/usr/bin/env bash
# Starts cxs-server with its embedded defaults on ./data, loads the demo registry, creates the
# demo account (registered six months back) once, backfills six months of generated calls through
# the real ingest API, then keeps a trickle of new calls flowing until the server stops (Ctrl-C).
# --prometheus (first argument) also starts Debian's Prometheus on 127.0.0.1:9090 scraping the
# demo with ops/prometheus/ (its data under ./data/prometheus/).
set -euo pipefail
PROMETHEUS=0
if [ "${1:-}" = --prometheus ]; then PROMETHEUS=1; shift; fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${CXS_DEMO_DATA:-$ROOT/data}
SERVER="$ROOT/build/bin/cxs-server"
GEN="$ROOT/ops/gen_cdrs.py"
PASSWORD=DemoPass2026
mkdir -p "$DATA"

"$SERVER" --data-dir="$DATA" --registry="$ROOT/ops/demo/registry.json" "$@" > "$DATA/ready.line" &
SERVER_PID=$!
PROM_PID=
trap 'kill -TERM $SERVER_PID $PROM_PID 2>/dev/null; wait $SERVER_PID $PROM_PID 2>/dev/null' EXIT INT TERM
for _ in $(seq 100); do
  grep -q '^cxs ready' "$DATA/ready.line" 2>/dev/null && break
  kill -0 $SERVER_PID 2>/dev/null || { echo "cxs-server did not start" >&2; exit 1; }
  sleep 0.2
done
READY=$(grep '^cxs ready' "$DATA/ready.line")
CUSTOMER=$(sed -E 's/.*customer=([^ ]+).*/\1/' <<<"$READY")
ADMIN=$(sed -E 's/.*admin=([^ ]+).*/\1/' <<<"$READY")
ADMIN_LOCAL=${ADMIN/0.0.0.0/127.0.0.1}
TOKEN=$(cat "$DATA/admin.token")
CURL=(curl -sS --cacert "$DATA/tls/server.crt" -H "Authorization: Bearer $TOKEN")

if [ ! -s "$DATA/demo-account.json" ]; then
  REGISTERED=$(TZ=Asia/Tokyo date -d '6 months ago' +%F)
  "${CURL[@]}" -X POST "$ADMIN_LOCAL/admin/accounts" -H 'Content-Type: application/json' \
    -d "{\"opid\":\"DEMO0001\",\"plan\":\"standard\",\"auth_method\":\"otp\",\"password\":\"$PASSWORD\",\
\"email\":\"demo@example.jp\",\"person\":\"デモ担当\",\"registered\":\"$REGISTERED\",\
\"billing_an\":\"$(python3 -c "import json;print(json.load(open('$ROOT/ops/demo/registry.json'))['opids'][0]['ans'][0]['an'])")\",\
\"billing_phone\":\"0312345678\"}" > "$DATA/demo-account.json"
  echo "backfilling six months of demo calls…" >&2
  python3 "$GEN" --seed 2026 --registry "$ROOT/ops/demo/registry.json" --opid DEMO0001 \
    --from "$REGISTERED" --calls-per-day 400 --post "$ADMIN_LOCAL" --token "$DATA/admin.token" \
    --cafile "$DATA/tls/server.crt" --batch 20000 >/dev/null
fi
ID=$(python3 -c "import json,sys;print(json.load(open('$DATA/demo-account.json'))['id'])")

PROM_TEXT=
if [ $PROMETHEUS = 1 ]; then
  # The repository's scrape config with this demo's token, certificate and admin address.
  mkdir -p "$DATA/prometheus"
  sed -e "s#\.\./\.\./data/admin.token#$DATA/admin.token#" -e "s#\.\./\.\./data/tls/server.crt#$DATA/tls/server.crt#" \
      -e "s#\"127.0.0.1:[0-9]*\"#\"${ADMIN_LOCAL#https://}\"#" "$ROOT/ops/prometheus/prometheus.yml" > "$DATA/prometheus/prometheus.yml"
  cp "$ROOT/ops/prometheus/alerts.yml" "$DATA/prometheus/"
  prometheus --config.file="$DATA/prometheus/prometheus.yml" --storage.tsdb.path="$DATA/prometheus/tsdb" \
    --web.listen-address=127.0.0.1:9090 > "$DATA/prometheus/prometheus.log" 2>&1 &
  PROM_PID=$!
  PROM_TEXT="  prometheus: http://127.0.0.1:9090   (alerts: /alerts; log in $DATA/prometheus/prometheus.log)"
fi

BROWSER_URL=$(sed -E 's#//(0\.0\.0\.0|\[::\])(:|/|$)#//localhost\2#' <<<"$CUSTOMER")/login
cat <<TXT
CX Support demo is running.
  browser:  $BROWSER_URL   (the certificate is the demo's own: accept it once)
  customer: $CUSTOMER
  admin:    $ADMIN   (token in $DATA/admin.token)
  operators: $ADMIN_LOCAL/ops   (enter the token once)
$PROM_TEXT
  demo login: ID $ID  password $PASSWORD
              (the one-time password is mailed: newest file in $DATA/outbox/, line ワンタイムパスワード)
  sign-up:  ${BROWSER_URL%/login}/signup (free OPIDs: SHOP0002, CLINIC03, TRAVEL04) — mails (1/3)(2/3)(3/3) land in $DATA/outbox/
  traffic:  curl --cacert $DATA/tls/server.crt -H "Authorization: Bearer \$(cat $DATA/admin.token)" \\
            "$ADMIN_LOCAL/admin/accounts/$ID/analytics/traffic?granularity=month"
Press Ctrl-C to stop.
TXT

# A trickle of new calls so the dashboard moves, at every hour of the day (SPEC §19): each 10 s,
# on average one call in three that started in the last minute (about 100 an hour; at night most
# are out_of_hours, as real night calls are).
n=0
while kill -0 $SERVER_PID 2>/dev/null; do
  n=$((n + 1))
  python3 "$GEN" --seed $((100000 + n)) --id-prefix "live$(date +%s)" --registry "$ROOT/ops/demo/registry.json" \
    --opid DEMO0001 --live 0.35 \
    --post "$ADMIN_LOCAL" --token "$DATA/admin.token" --cafile "$DATA/tls/server.crt" >/dev/null 2>&1 || true
  sleep 10
done
