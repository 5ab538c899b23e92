#!/usr/bin/env bash
# TLS audit (issue 11): Debian's testssl.sh against both listeners of a server started here on
# loopback. The server gets a certificate shaped like one a public CA issues (from a CA made here
# for the run, which testssl is told to trust, with CRL and OCSP addresses), so the findings are
# about our TLS settings rather than the trial certificate: the self-signed default is, by
# nature, untrusted and unrevocable (docs/security.md "TLS audit"). Prints one JSON line per
# listener with the findings counted by severity and every finding above LOW, and fails when
# there is one. Takes several minutes per listener.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CXS_SERVER:-$ROOT/build/bin/cxs-server}
OUT=${CXS_TLS_AUDIT_OUT:-$ROOT/build/bench/tls}
command -v testssl >/dev/null || { echo "tls_audit: testssl (Debian package testssl.sh) is missing" >&2; exit 2; }
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
ca="$work/ca" && mkdir -p "$ca"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 120 -subj "/CN=CX Support audit CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$ca/ca.key" -out "$ca/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$ca/server.key" -out "$ca/server.csr" 2>/dev/null
cat >"$ca/ext.cnf" <<'EXT'
subjectAltName=DNS:localhost,IP:127.0.0.1
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
crlDistributionPoints=URI:http://crl.cx-support.example/audit.crl
authorityInfoAccess=OCSP;URI:http://ocsp.cx-support.example
EXT
openssl x509 -req -in "$ca/server.csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" -CAcreateserial -days 90 \
  -extfile "$ca/ext.cnf" -out "$ca/server.crt" 2>/dev/null
chmod 600 "$ca/server.key"
"$BIN" --data-dir="$work/data" --registry="$ROOT/ops/demo/registry.json" --http.host=127.0.0.1 \
  --http.port=0 --admin.port=0 --tls.cert="$ca/server.crt" --tls.key="$ca/server.key" >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do grep -q '^cxs ready' "$work/out" 2>/dev/null && break; sleep 0.1; done
ready=$(head -1 "$work/out")
[[ $ready == "cxs ready "* ]] || { echo "tls_audit: the server did not start: $(cat "$work/err")" >&2; exit 1; }
customer=${ready#*customer=}
customer=${customer%% *}
admin=${ready##*admin=}
failed=0
for listener in customer admin; do
  url=${!listener}
  json="$OUT/testssl-$listener.json"
  rm -f "$json"
  # --warnings batch: no questions; the result is the JSON file, the screen output is not needed.
  testssl --quiet --color 0 --warnings batch --add-ca "$ca/ca.crt" --jsonfile "$json" "$url" \
    >"$OUT/testssl-$listener.txt" 2>&1 || true
  python3 - "$listener" "$json" <<'EOF' || failed=1
import json, sys
listener, path = sys.argv[1], sys.argv[2]
findings = json.load(open(path))
order = ["OK", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
counts = {s: sum(1 for f in findings if f.get("severity") == s) for s in order + ["WARN"]}
above = [f"{f['id']}: {f['finding']}" for f in findings if f.get("severity") in ("MEDIUM", "HIGH", "CRITICAL")]
print(json.dumps({"listener": listener, "counts": counts, "above_low": above}, ensure_ascii=False))
sys.exit(1 if above else 0)
EOF
done
exit $failed
