package org.plenum.protocol;

/**
 * A refusal with a stable code and a message a person can read. Thrown (or used to fail a Future)
 * wherever input is refused; nothing has been changed when it is raised. The engines raise it by
 * code and facts only ({@link #worded()} false), and the edges choose the text
 * ({@link RefusalTexts#message}).
 */
public class PlenumException extends RuntimeException {
  private final ErrorCode code;
  private final Long retryAfterMs;

  public PlenumException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public PlenumException(ErrorCode code, String message, Long retryAfterMs) {
    super(message, null, false, false); // refusals are expected; no stack trace needed
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }

  public ErrorCode code() {
    return code;
  }

  public Long retryAfterMs() {
    return retryAfterMs;
  }

  /**
   * False for a refusal raised without a text, by code and facts only (the engines'): the edge words
   * it ({@link RefusalTexts}). True when {@link #getMessage()} is already the text a person reads.
   */
  public boolean worded() {
    return true;
  }

  /** What an unworded refusal is about (keys in {@link RefusalTexts}); empty for a worded one. */
  public java.util.Map<String, Object> facts() {
    return java.util.Map.of();
  }

  /** Maps any failure to a refusal; unknown failures become {@code internal}. */
  public static PlenumException of(Throwable t) {
    if (t instanceof PlenumException p) {
      return p;
    }
    return new PlenumException(ErrorCode.INTERNAL, "Internal error; retrying with the same id is safe.");
  }
}
