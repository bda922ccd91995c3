-- pgbench: the statements the cafe commits for one POST /orders up to PAID, on the real schema
-- (order's and payment's migrations, applied to one database): three commits.
--   1. order: the order and its pending charge (OrderStore PLACE)
--   2. payment: the payment and PaymentApproved in its outbox (PaymentStore RECORD)
--   3. order: PAID, the pending charge gone and OrderPlaced in the outbox (OrderStore applyIfUnchanged)
-- pgbench -n -c50 -j2 -T30 -f loadtest/pgbench-cafe-order.sql postgresql://postgres@127.0.0.1:15432/bench
-- The order id is derived from a random number, as pgbench variables cannot sit inside quotes.
\set n random(1, 9000000000000000000)
WITH placed AS (
  INSERT INTO orders (id, customer_id, status, items, total, address, idempotency_key, request_digest, created_at, updated_at)
  VALUES (md5(:n::text)::uuid, 'alice', 'PAYMENT_PENDING',
    '[{"menuItemId":"latte","name":"Caffe Latte","qty":1,"price":5000}]', 5000, '1 Main St', NULL, NULL, now(), now())
  ON CONFLICT (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id)
INSERT INTO pending_charges (order_id, card, bearer, next_attempt_at)
  SELECT id, '4242424242424242', NULL, now() + interval '2500 milliseconds' FROM placed RETURNING order_id;
WITH charged AS (
  INSERT INTO payments (order_id, customer_id, amount, status, card_last4, decline_reason)
  VALUES (md5(:n::text)::uuid, 'alice', 5000, 'APPROVED', '4242', NULL) ON CONFLICT (order_id) DO NOTHING RETURNING order_id)
INSERT INTO outbox (topic, event_key, event) SELECT 'cafe.payments', order_id::text,
  '{"specversion":"1.0","id":"' || gen_random_uuid() || '","source":"payment","type":"PaymentApproved","time":"2026-01-01T00:00:00Z","subject":"'
  || order_id || '","datacontenttype":"application/json","data":{"orderId":"' || order_id || '","customerId":"alice","amount":5000}}'
  FROM charged RETURNING id;
WITH moved AS (
  UPDATE orders SET status = 'PAID', status_before_cancel = NULL, cancel_reason = NULL, updated_at = now()
  WHERE id = md5(:n::text)::uuid AND status = 'PAYMENT_PENDING' AND status_before_cancel IS NOT DISTINCT FROM NULL RETURNING id),
settled AS (DELETE FROM pending_charges WHERE order_id IN (SELECT id FROM moved))
INSERT INTO outbox (topic, event_key, event) SELECT 'cafe.orders', id::text,
  '{"specversion":"1.0","id":"' || gen_random_uuid() || '","source":"order","type":"OrderPlaced","time":"2026-01-01T00:00:00Z","subject":"'
  || id || '","datacontenttype":"application/json","data":{"orderId":"' || id || '","customerId":"alice","items":[{"menuItemId":"latte","name":"Caffe Latte","qty":1,"price":5000}],"total":5000,"address":"1 Main St"}}'
  FROM moved RETURNING id;
