package org.plenum.stage;

import java.time.Duration;
import java.time.Instant;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/** The rules of a poll's countdown timer: how long it may run, checked before anything changes. */
public final class PollTimer {
  /** Shorter than this nobody can read the question, let alone vote. */
  public static final int MIN_SECONDS = 10;
  /** A day: a timer is for a session, not for a conference's lifetime. */
  public static final int MAX_SECONDS = 86_400;

  private PollTimer() {}

  /** {@code now} plus {@code seconds}, if {@code seconds} is within {@value #MIN_SECONDS}..{@value #MAX_SECONDS}. */
  public static Instant deadline(Instant now, long seconds) {
    check(seconds, "seconds");
    return now.plusSeconds(seconds);
  }

  /**
   * The timer of an open poll moved on by {@code seconds} (from its current deadline, or from now if
   * it has none or has already run out); the time left must stay within the range.
   */
  public static Instant extended(Poll poll, Instant now, long seconds) {
    if (seconds < 1 || seconds > MAX_SECONDS) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "addSeconds: 1 to " + MAX_SECONDS);
    }
    Instant from = poll.closesAt() == null || poll.closesAt().isBefore(now) ? now : poll.closesAt();
    Instant next = from.plusSeconds(seconds);
    long left = Duration.between(now, next).toSeconds();
    if (left > MAX_SECONDS) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "addSeconds: the timer would run longer than "
          + MAX_SECONDS + " seconds (24 h)");
    }
    return next.isBefore(now.plusSeconds(MIN_SECONDS)) ? now.plusSeconds(MIN_SECONDS) : next;
  }

  private static void check(long seconds, String field) {
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": " + MIN_SECONDS + " to " + MAX_SECONDS
          + " seconds (24 h), or null for no timer");
    }
  }
}
