#!/bin/sh
# helm test's smoke test (templates/tests/place-order.yaml), also run by the system tests against a local
# cafe: signs in, places an order through the gateway, waits until it is paid, then cancels it.
# Environment: GATEWAY (http://host:port), MENU_ITEM, and CAFE_TOKEN or CAFE_USERNAME and CAFE_PASSWORD.
set -eu
json() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
TOKEN="${CAFE_TOKEN:-}"
if [ -z "$TOKEN" ]; then
  TOKEN=$(curl -fsS "$GATEWAY/auth/token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$CAFE_USERNAME\",\"password\":\"$CAFE_PASSWORD\"}" | json access_token)
fi
[ -n "$TOKEN" ] || { echo "could not sign in"; exit 1; }
ANSWER=$(curl -sS -w '\n%{http_code}' "$GATEWAY/orders" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: helm-test-$(date +%s)-$$" \
  -d "{\"items\":[{\"menuItemId\":\"$MENU_ITEM\",\"qty\":1}],\"card\":\"4242424242424242\",\"address\":\"helm test\"}")
CODE=$(echo "$ANSWER" | tail -n 1)
BODY=$(echo "$ANSWER" | sed '$d')
case "$CODE" in 201|202) ;; *) echo "POST /orders answered $CODE: $BODY"; exit 1;; esac
ID=$(echo "$BODY" | json id)
STATUS=$(echo "$BODY" | json status)
for _ in $(seq 1 60); do
  [ "$STATUS" = PAYMENT_PENDING ] || break
  sleep 1
  STATUS=$(curl -fsS "$GATEWAY/orders/$ID" -H "Authorization: Bearer $TOKEN" | json status)
done
echo "order $ID: $STATUS"
case "$STATUS" in PAID|QUEUED|BREWING|READY|DELIVERING|DELIVERED) ;; *) exit 1;; esac
curl -fsS -X POST "$GATEWAY/orders/$ID/cancel" -H "Authorization: Bearer $TOKEN" >/dev/null \
  && echo "order $ID: cancelled, its payment is refunded" || echo "order $ID: moved on before the cancel"
