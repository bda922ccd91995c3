#!/usr/bin/env bash
# Signs in through the gateway and writes what the load tests need into loadtest/out/:
#   token                the customer's access token (one line)
#   orders.urls          siege URL file: POST /orders with an order's JSON
#   mypage.urls          siege URL file: GET /mypage/orders
#   order.json           the order the POSTs send
# Usage: loadtest/login.sh [user] [password]   (default alice/alice; CAFE_URL default http://127.0.0.1:8080)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${BENCH_OUT:-$HERE/out}"
URL="${CAFE_URL:-http://127.0.0.1:8080}"
USER_NAME="${1:-alice}"
PASSWORD="${2:-$USER_NAME}"
mkdir -p "$OUT"

answer="$(curl -sS --fail-with-body -X POST "$URL/auth/token" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$USER_NAME\",\"password\":\"$PASSWORD\"}")" || {
  echo "login.sh: POST $URL/auth/token failed: $answer" >&2
  exit 1
}
token="$(printf '%s' "$answer" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
if [ -z "$token" ]; then
  echo "login.sh: no access_token in the answer: $answer" >&2
  exit 1
fi
printf '%s\n' "$token" >"$OUT/token"

# One latte to a fixed address: the same small order every time, as the seeds' load test sent.
order='{"items":[{"menuItemId":"latte","qty":1}],"card":"4242424242424242","address":"1 Main St"}'
printf '%s' "$order" >"$OUT/order.json"
# siege's URL file: "<url> POST <body>" sends the body as it is.
printf '%s POST %s\n' "$URL/orders" "$order" >"$OUT/orders.urls"
printf '%s\n' "$URL/mypage/orders" >"$OUT/mypage.urls"
echo "login.sh: signed in as $USER_NAME; token and URL files in $OUT"
