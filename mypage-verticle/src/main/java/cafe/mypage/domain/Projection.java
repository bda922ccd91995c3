package cafe.mypage.domain;

import java.util.List;
import java.util.Locale;

/**
 * What each event of the saga means for the customer's view of an order, and what the customer is
 * told about it, in the cafe's own words. Plain rules, one method per event type.
 */
public final class Projection {
  static final String ORDER = "order";

  private Projection() {
  }

  public static Change orderPlaced(List<Item> items, Long total) {
    return new Change("OrderPlaced", Effect.ADVANCE, OrderStatus.PAID, null, null, null,
        new Facts(items, total, what(items), null, true),
        "Thanks! We've got your order and " + yourPayment(total), false);
  }

  public static Change orderCancelRequested(OrderStatus previousStatus) {
    OrderStatus before = previousStatus == null || previousStatus.rank() < 0 ? OrderStatus.PAID : previousStatus;
    return new Change("OrderCancelRequested", Effect.CANCEL_REQUEST, before, null, null, null, Facts.NONE,
        "We're asking the barista to cancel your " + ORDER, false);
  }

  /** {@code missing}: what ran out, when the order says (it may reach us before the barista's OutOfStock). */
  public static Change orderCancelled(String reason, Long total, List<String> missing) {
    String message = "OUT_OF_STOCK".equals(reason)
        ? outOfStockMessage(missing)
        : "Your order was cancelled as you asked; " + yourPayment(total) + " will be refunded to your card";
    return new Change("OrderCancelled", Effect.CLOSE, OrderStatus.CANCELLED, null, null, null,
        new Facts(null, total, null, reason, true), message, false);
  }

  public static Change paymentApproved(Long amount) {
    return new Change("PaymentApproved", Effect.ADVANCE, OrderStatus.PAID, Payment.APPROVED, null, null,
        new Facts(null, amount, null, null, false), capital(yourPayment(amount)) + " was approved", false);
  }

  public static Change paymentDeclined(Long amount, String reason) {
    String why = reason == null || reason.isBlank() ? "" : " (" + reason + ")";
    return new Change("PaymentDeclined", Effect.CLOSE, OrderStatus.REJECTED, Payment.DECLINED, null, null,
        new Facts(null, amount, null, null, false),
        capital(yourPayment(amount)) + " was declined" + why + ", so we couldn't take your order", false);
  }

  /** A refund is only ever made for a cancelled order, and the customer hears of it every time. */
  public static Change paymentRefunded(Long amount) {
    return new Change("PaymentRefunded", Effect.CLOSE, OrderStatus.CANCELLED, Payment.REFUNDED, null, null,
        new Facts(null, amount, null, null, false), capital(yourPayment(amount)) + " was refunded to your card", true);
  }

  public static Change drinkQueued(List<Item> items) {
    return new Change("DrinkQueued", Effect.ADVANCE, OrderStatus.QUEUED, null, Drink.QUEUED, null,
        new Facts(items, null, what(items), null, false), "Your " + Change.WHAT + " is in the barista's queue", false);
  }

  public static Change drinkStarted() {
    return new Change("DrinkStarted", Effect.ADVANCE, OrderStatus.BREWING, null, Drink.BREWING, null, Facts.NONE,
        "Your " + Change.WHAT + " is being made", false);
  }

  public static Change drinkReady() {
    return new Change("DrinkReady", Effect.ADVANCE, OrderStatus.READY, null, Drink.READY, null, Facts.NONE,
        "Your " + Change.WHAT + " is ready", false);
  }

  public static Change drinkCancelled() {
    return new Change("DrinkCancelled", Effect.CANCELLING, OrderStatus.CANCEL_REQUESTED, null, Drink.CANCELLED,
        null, Facts.NONE, "Your " + Change.WHAT + " was taken off the barista's queue", false);
  }

  /** Told every time: it may arrive before the request it answers, when the status does not move. */
  public static Change drinkCancelRejected(OrderStatus drinkStatus) {
    boolean ready = drinkStatus == OrderStatus.READY;
    return new Change("DrinkCancelRejected", Effect.CANCEL_REFUSED, ready ? OrderStatus.READY : OrderStatus.BREWING,
        null, ready ? Drink.READY : Drink.BREWING, null, Facts.NONE,
        "Sorry, we couldn't cancel: your " + Change.WHAT + (ready ? " is already made" : " is already being made"),
        true);
  }

  private static String outOfStockMessage(List<String> missing) {
    return "We're out of " + listed(missing) + ", so your order was cancelled and refunded";
  }

  public static Change outOfStock(List<String> missing) {
    return new Change("OutOfStock", Effect.CLOSE, OrderStatus.CANCELLED, null, Drink.CANCELLED, null,
        new Facts(null, null, null, "OUT_OF_STOCK", false),
        outOfStockMessage(missing), false);
  }

  public static Change deliveryWaiting() {
    return new Change("DeliveryWaiting", Effect.ADVANCE, OrderStatus.READY, null, null, Delivery.WAITING,
        Facts.NONE, "Your " + Change.WHAT + " is ready and waiting for a rider", false);
  }

  public static Change deliveryStarted() {
    return new Change("DeliveryStarted", Effect.ADVANCE, OrderStatus.DELIVERING, null, null, Delivery.DELIVERING,
        Facts.NONE, "Your order is on its way", false);
  }

  public static Change deliveryCompleted() {
    return new Change("DeliveryCompleted", Effect.ADVANCE, OrderStatus.DELIVERED, null, null, Delivery.DELIVERED,
        Facts.NONE, "Your order was delivered. Enjoy!", false);
  }

  public static Change deliveryCancelled() {
    return new Change("DeliveryCancelled", Effect.CLOSE, OrderStatus.CANCELLED, null, null, Delivery.CANCELLED,
        Facts.NONE, "Your order was cancelled", false);
  }

  /** One item ordered once is called by its name ("latte"); anything bigger is "order". */
  static String what(List<Item> items) {
    if (items == null || items.isEmpty()) {
      return null;
    }
    if (items.size() == 1 && items.get(0).qty() == 1) {
      return itemName(items.get(0).name(), items.get(0).menuItemId());
    }
    return ORDER;
  }

  static String itemName(String name, String menuItemId) {
    String n = name != null && !name.isBlank() ? name : menuItemId == null ? ORDER : menuItemId.replace('-', ' ');
    return n.toLowerCase(Locale.ROOT);
  }

  static String listed(List<String> menuItemIds) {
    if (menuItemIds == null || menuItemIds.isEmpty()) {
      return "something you ordered";
    }
    List<String> names = menuItemIds.stream().map(id -> itemName(null, id)).toList();
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }

  /** "your payment of ₩4,500": money in the won's smallest unit, which has no smaller one. */
  static String yourPayment(Long amount) {
    return amount == null ? "your payment" : "your payment of " + String.format(Locale.ROOT, "\u20a9%,d", amount);
  }

  static String capital(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
