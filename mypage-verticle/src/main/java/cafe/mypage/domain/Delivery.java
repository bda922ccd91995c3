package cafe.mypage.domain;

/** The delivery as the order view shows it; only a waiting delivery is ever cancelled. */
public enum Delivery implements Step {
  WAITING(1), DELIVERING(2), DELIVERED(3), CANCELLED(4);

  private final int rank;

  Delivery(int rank) {
    this.rank = rank;
  }

  @Override
  public int rank() {
    return rank;
  }
}
