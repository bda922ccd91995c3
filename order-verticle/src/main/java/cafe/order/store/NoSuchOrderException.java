package cafe.order.store;

import java.util.UUID;

/** No order has this id in this service's database. */
public class NoSuchOrderException extends RuntimeException {
  public NoSuchOrderException(UUID id) {
    super("no order " + id);
  }
}
