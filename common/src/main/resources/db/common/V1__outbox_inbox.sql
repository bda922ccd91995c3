-- The transactional outbox: written in the same transaction as the state change it announces.
CREATE TABLE IF NOT EXISTS outbox (
  id         BIGSERIAL PRIMARY KEY,
  topic      TEXT        NOT NULL,
  event_key  TEXT        NOT NULL,
  event      TEXT        NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  sent_at    TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- Wake the relay on commit instead of waiting for its next poll.
CREATE OR REPLACE FUNCTION outbox_wake() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('cafe_outbox', '');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS outbox_wake ON outbox;
CREATE TRIGGER outbox_wake AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_wake();

-- The inbox: an event id applied once, in the same transaction as its effect.
CREATE TABLE IF NOT EXISTS inbox (
  event_id   TEXT        PRIMARY KEY,
  event_type TEXT        NOT NULL,
  handled_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
