-- The reference tables of pgbench-order.sql; the cafe's own tables come from its migrations (bench.sh applies them).
CREATE TABLE IF NOT EXISTS ref_orders (
  id UUID PRIMARY KEY, customer_id TEXT NOT NULL, status TEXT NOT NULL, total BIGINT NOT NULL,
  address TEXT, created_at TIMESTAMPTZ NOT NULL);
CREATE TABLE IF NOT EXISTS ref_order_items (
  order_id UUID NOT NULL REFERENCES ref_orders (id), menu_item_id TEXT NOT NULL, qty INTEGER NOT NULL,
  price INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS ref_order_items_order ON ref_order_items (order_id);
