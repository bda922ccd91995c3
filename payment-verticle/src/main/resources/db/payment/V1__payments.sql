-- One row per order: the primary key is what makes a repeated charge (retry, duplicate) take money once.
-- Only the card's last four digits are kept.
CREATE TABLE payments (
  order_id       UUID        PRIMARY KEY,
  customer_id    TEXT        NOT NULL,
  amount         BIGINT      NOT NULL CHECK (amount >= 0),
  status         TEXT        NOT NULL CHECK (status IN ('APPROVED', 'DECLINED', 'REFUNDED', 'VOIDED')),
  card_last4     TEXT        CHECK (card_last4 ~ '^[0-9]{4}$'),
  decline_reason TEXT,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
