#!/usr/bin/env bash
# The seeds' read test: siege -c100 -t60S of GET /mypage/orders through the gateway, with a customer's JWT.
# Usage: loadtest/siege-mypage.sh [concurrency] [time]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${BENCH_OUT:-$HERE/out}"
[ -f "$OUT/token" ] && [ -f "$OUT/mypage.urls" ] || "$HERE/login.sh"
exec siege -R "$HERE/siegerc" -c"${1:-100}" -t"${2:-60S}" -f "$OUT/mypage.urls" \
  -H "Authorization: Bearer $(cat "$OUT/token")"
