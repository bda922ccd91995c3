package cafe.launcher;

import java.util.List;
import java.util.Locale;

/**
 * One of the six services: its Maven module, the SERVICE_NAME it runs under and its default HTTP port.
 * The jar is {@code <root>/<module>/target/<module>.jar}, next to its {@code lib/}.
 */
record Service(String module, String name, int defaultPort) {

  static final Service GATEWAY = new Service("gateway-verticle", "gateway", 8080);
  static final Service ORDER = new Service("order-verticle", "order", 8081);
  static final Service PAYMENT = new Service("payment-verticle", "payment", 8082);
  static final Service BARISTA = new Service("barista-verticle", "barista", 8083);
  static final Service DELIVERY = new Service("delivery-verticle", "delivery", 8084);
  static final Service MYPAGE = new Service("mypage-verticle", "mypage", 8085);

  static final List<Service> ALL = List.of(GATEWAY, ORDER, PAYMENT, BARISTA, DELIVERY, MYPAGE);

  /** The variable that moves this service to another HTTP port, e.g. CAFE_GATEWAY_PORT. */
  String portVariable() {
    return "CAFE_" + name.toUpperCase(Locale.ROOT) + "_PORT";
  }

  /** The variable that sets this service's JVM flags, e.g. CAFE_ORDER_JAVA_OPTS. */
  String javaOptsVariable() {
    return "CAFE_" + name.toUpperCase(Locale.ROOT) + "_JAVA_OPTS";
  }

  /** The variable other services find it by, e.g. ORDER_URL. */
  String urlVariable() {
    return name.toUpperCase(Locale.ROOT) + "_URL";
  }
}
