package cafe.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.MultiMap;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Which failed calls may go to another instance of the service. */
class UpstreamRetryTest {

  @Test
  void aCallThatNeverReachedTheInstanceMayAlwaysGoElsewhere() {
    assertTrue(Upstream.mayTryAnother(new ConnectException("Connection refused"), false));
    assertTrue(Upstream.mayTryAnother(OpenCircuitException.INSTANCE, false));
  }

  @Test
  void aCallWithoutAnAnswerGoesElsewhereOnlyWhenRepeatable() {
    Throwable closed = new HttpClosedException("Connection was closed");
    Throwable unavailable = new Upstream.UnavailableAnswer(new Upstream.Answer(503, MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer()));
    assertFalse(Upstream.mayTryAnother(closed, false));
    assertFalse(Upstream.mayTryAnother(unavailable, false));
    assertTrue(Upstream.mayTryAnother(closed, true));
    assertTrue(Upstream.mayTryAnother(unavailable, true));
  }

  @Test
  void aTimedOutCallIsNeverRepeated() {
    Throwable timeout = io.vertx.circuitbreaker.TimeoutException.INSTANCE;
    assertFalse(Upstream.mayTryAnother(timeout, true));
    assertFalse(Upstream.mayTryAnother(timeout, false));
  }
}
