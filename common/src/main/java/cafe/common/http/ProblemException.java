package cafe.common.http;

import java.util.Map;

/** An answer to give as RFC 9457 problem+json; throw it or fail a future with it. */
public class ProblemException extends RuntimeException {
  private final int status;
  private final String slug;
  private final String title;
  private final Map<String, String> headers;

  public ProblemException(int status, String slug, String title, String detail, Map<String, String> headers) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.headers = Map.copyOf(headers);
  }

  public ProblemException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, Map.of());
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(400, "bad-request", "Bad request", detail);
  }

  public static ProblemException unauthorized(String detail) {
    return new ProblemException(401, "unauthorized", "Unauthorized", detail,
        Map.of("WWW-Authenticate", "Bearer"));
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(403, "forbidden", "Forbidden", detail);
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "not-found", "Not found", detail);
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(409, "conflict", "Conflict", detail);
  }

  public static ProblemException unavailable(String detail, int retryAfterSeconds) {
    return new ProblemException(503, "unavailable", "Service unavailable", detail,
        Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
  }

  /**
   * 503 "the cafe is busy": a deliberate refusal by a service that is up and answering (it sheds load it could
   * not finish in time), not a failure. The gateway passes it on without counting it against the service's circuit.
   */
  public static ProblemException busy(String detail, int retryAfterSeconds) {
    return new ProblemException(503, BUSY, "The cafe is busy", detail,
        Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
  }

  /** The slug of {@link #busy}. */
  public static final String BUSY = "busy";

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public Map<String, String> headers() {
    return headers;
  }
}
