-- pgbench: one order write as the design's reference figure counts it (docs/benchmarks.md):
-- the order, its two item rows and its outbox row in one transaction.
-- pgbench -n -c50 -j2 -T30 -f loadtest/pgbench-order.sql postgresql://postgres@127.0.0.1:15432/bench
-- The order id is derived from a random number, as pgbench variables cannot sit inside quotes.
\set n random(1, 9000000000000000000)
BEGIN;
INSERT INTO ref_orders (id, customer_id, status, total, address, created_at)
  VALUES (md5(:n::text)::uuid, 'alice', 'PAID', 9500, '1 Main St', now());
INSERT INTO ref_order_items (order_id, menu_item_id, qty, price) VALUES
  (md5(:n::text)::uuid, 'latte', 1, 5000), (md5(:n::text)::uuid, 'americano', 1, 4500);
INSERT INTO outbox (topic, event_key, event) VALUES ('cafe.orders', md5(:n::text)::uuid::text,
  '{"specversion":"1.0","id":"' || gen_random_uuid() || '","source":"order","type":"OrderPlaced","time":"2026-01-01T00:00:00Z","subject":"'
  || md5(:n::text)::uuid || '","datacontenttype":"application/json","data":{"orderId":"' || md5(:n::text)::uuid
  || '","customerId":"alice","items":[{"menuItemId":"latte","name":"Caffe Latte","qty":1,"price":5000},{"menuItemId":"americano","name":"Americano","qty":1,"price":4500}],"total":9500,"address":"1 Main St"}}');
COMMIT;
