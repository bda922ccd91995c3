package cafe.mypage.domain;

/** A state of one part of the order (payment, drink, delivery); a lower rank never replaces a higher one. */
public interface Step {
  int rank();

  String name();
}
