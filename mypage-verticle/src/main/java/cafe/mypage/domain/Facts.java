package cafe.mypage.domain;

import java.util.List;

/**
 * What an event tells about the order besides its status: lines, total, what the order is called in
 * messages ("latte", or "order" for anything bigger), why it was cancelled. {@code firsthand} facts
 * come from their owner (the order service) and replace what another service's event said; the
 * others only fill gaps. Any of them may be null.
 */
public record Facts(List<Item> items, Long total, String what, String cancelReason, boolean firsthand) {
  public static final Facts NONE = new Facts(null, null, null, null, false);

  public Facts {
    items = items == null ? null : List.copyOf(items);
  }
}
