package cafe.launcher;

import java.util.List;

/** Ends ./cafe with a one-line message, optionally followed by lines worth seeing (a log's tail). */
final class LaunchException extends RuntimeException {

  private final List<String> details;

  LaunchException(String message) {
    this(message, List.of());
  }

  LaunchException(String message, List<String> details) {
    super(message);
    this.details = List.copyOf(details);
  }

  List<String> details() {
    return details;
  }
}
