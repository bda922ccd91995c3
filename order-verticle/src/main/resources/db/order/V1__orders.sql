-- The menu: the cafe's prices (KRW, no minor unit). Seeded; a later migration may change it.
CREATE TABLE menu_items (
  id        TEXT    PRIMARY KEY,
  name      TEXT    NOT NULL,
  price     INTEGER NOT NULL CHECK (price > 0),
  available BOOLEAN NOT NULL DEFAULT TRUE,
  position  INTEGER NOT NULL
);

INSERT INTO menu_items (id, name, price, position) VALUES
  ('americano',     'Americano',       4500, 1),
  ('latte',         'Caffe Latte',     5000, 2),
  ('cappuccino',    'Cappuccino',      5000, 3),
  ('vanilla-latte', 'Vanilla Latte',   5500, 4),
  ('green-tea',     'Green Tea Latte', 4800, 5),
  ('croissant',     'Butter Croissant', 3500, 6)
ON CONFLICT (id) DO NOTHING;

CREATE TABLE orders (
  id                   UUID        PRIMARY KEY,
  customer_id          TEXT        NOT NULL,
  status               TEXT        NOT NULL CHECK (status IN ('PAYMENT_PENDING', 'PAID', 'REJECTED', 'QUEUED',
                         'BREWING', 'READY', 'DELIVERING', 'DELIVERED', 'CANCEL_REQUESTED', 'CANCELLED')),
  -- While CANCEL_REQUESTED: where a refused cancellation returns the order.
  status_before_cancel TEXT,
  cancel_reason        TEXT        CHECK (cancel_reason IN ('CUSTOMER', 'OUT_OF_STOCK')),
  -- [{"menuItemId","name","qty","price"}]: priced when placed, never changed after.
  items                JSONB       NOT NULL,
  total                BIGINT      NOT NULL CHECK (total > 0),
  address              TEXT,
  idempotency_key      TEXT,
  -- A digest of the first request's items and address, to tell a retry from a different order under the same key.
  request_digest       TEXT,
  created_at           TIMESTAMPTZ NOT NULL,
  updated_at           TIMESTAMPTZ NOT NULL
);

-- Same key from the same customer = the same order, also when the duplicates race.
CREATE UNIQUE INDEX orders_idempotency_key ON orders (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC, id DESC);
CREATE INDEX orders_by_time ON orders (created_at DESC, id DESC);

-- A charge not settled yet: what the retrier needs to try again after a timeout, an open circuit
-- or a restart. Deleted in the same transaction that settles the order (PAID, REJECTED or CANCELLED),
-- so the card number lives here only while the payment is unsettled.
CREATE TABLE pending_charges (
  order_id        UUID        PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
  card            TEXT        NOT NULL,
  -- The customer's bearer token, forwarded to payment; null when PAYMENT_SERVICE_TOKEN is used instead.
  bearer          TEXT,
  attempts        INTEGER     NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX pending_charges_due ON pending_charges (next_attempt_at);
