package org.plenum.engine;

import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.concurrent.TimeoutException;

/**
 * A command reached Redis's connection but its reply never came (it timed out, or the connection
 * was lost after sending): Redis may or may not have run it. Only a retry under the same action id
 * can tell, and the scripts apply an action id at most once.
 */
final class OutcomeUnknownException extends RuntimeException {

  OutcomeUnknownException(Throwable cause) {
    super("no reply from Redis: " + cause, cause, false, false);
  }

  /**
   * What a failure of a command that was handed to a connection means. A reply from Redis (an
   * error reply such as NOSCRIPT, LOADING or BUSY) and a refusal before writing ("Connection is
   * closed", a full waiting queue) mean it did not run; a timeout or a connection that closed with
   * the command outstanding ({@code CONNECTION_CLOSED}) mean nobody knows.
   */
  static Throwable classify(Throwable err) {
    if (err instanceof OutcomeUnknownException) {
      return err;
    }
    if (err instanceof TimeoutException) {
      return new OutcomeUnknownException(err);
    }
    if (err instanceof Response reply && reply.type() == ResponseType.ERROR) {
      return "CONNECTION_CLOSED".equals(String.valueOf(reply.toString())) ? new OutcomeUnknownException(err) : err;
    }
    String message = String.valueOf(err.getMessage());
    if (message.startsWith("Connection is closed") || message.startsWith("Redis waiting queue is full")) {
      return err;
    }
    // anything else after handing it over (a socket error while writing...): the bytes may have left
    return new OutcomeUnknownException(err);
  }
}
