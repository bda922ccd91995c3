package cafe.mypage.domain;

/** The payment as the order view shows it; a refund outranks the approval it undoes. */
public enum Payment implements Step {
  APPROVED(1), DECLINED(1), REFUNDED(2);

  private final int rank;

  Payment(int rank) {
    this.rank = rank;
  }

  @Override
  public int rank() {
    return rank;
  }
}
