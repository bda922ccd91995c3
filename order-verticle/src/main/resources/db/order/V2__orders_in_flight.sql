-- Orders accepted and not finished yet (not DELIVERED, CANCELLED or REJECTED): the saga's backlog,
-- which the front door reads to stop taking orders while the bar is full. A table of its own, kept by a
-- trigger, because an index on orders.status would make every status update rewrite all the order's
-- indexes (a column in an index predicate rules out PostgreSQL's HOT updates).
CREATE TABLE orders_in_flight (
  order_id UUID PRIMARY KEY
);

INSERT INTO orders_in_flight (order_id)
  SELECT id FROM orders WHERE status NOT IN ('DELIVERED', 'CANCELLED', 'REJECTED');

CREATE FUNCTION orders_in_flight_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('DELIVERED', 'CANCELLED', 'REJECTED') THEN
    DELETE FROM orders_in_flight WHERE order_id = NEW.id;
  ELSE
    INSERT INTO orders_in_flight (order_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

-- Fires only when an order is placed or starts or stops being in flight, not on every step.
CREATE TRIGGER orders_placed_in_flight AFTER INSERT ON orders
  FOR EACH ROW WHEN (NEW.status NOT IN ('DELIVERED', 'CANCELLED', 'REJECTED'))
  EXECUTE FUNCTION orders_in_flight_follow();
CREATE TRIGGER orders_finished_in_flight AFTER UPDATE OF status ON orders
  FOR EACH ROW WHEN ((OLD.status IN ('DELIVERED', 'CANCELLED', 'REJECTED'))
                     IS DISTINCT FROM (NEW.status IN ('DELIVERED', 'CANCELLED', 'REJECTED')))
  EXECUTE FUNCTION orders_in_flight_follow();
