#!/usr/bin/env bash
# The seeds' load test against the cafe: siege -c100 -t60S of POST /orders through the gateway,
# with a customer's JWT. Run loadtest/login.sh first (or let this script do it).
# Usage: loadtest/siege-orders.sh [concurrency] [time]    e.g. loadtest/siege-orders.sh 100 60S
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${BENCH_OUT:-$HERE/out}"
[ -f "$OUT/token" ] && [ -f "$OUT/orders.urls" ] || "$HERE/login.sh"
exec siege -R "$HERE/siegerc" -c"${1:-100}" -t"${2:-60S}" -f "$OUT/orders.urls" \
  -H "Authorization: Bearer $(cat "$OUT/token")" -T 'application/json'
