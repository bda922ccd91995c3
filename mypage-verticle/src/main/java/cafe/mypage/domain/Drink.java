package cafe.mypage.domain;

/** The drink ticket as the order view shows it; a cancelled ticket never comes back. */
public enum Drink implements Step {
  QUEUED(1), BREWING(2), READY(3), CANCELLED(4);

  private final int rank;

  Drink(int rank) {
    this.rank = rank;
  }

  @Override
  public int rank() {
    return rank;
  }
}
