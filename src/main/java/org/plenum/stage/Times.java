package org.plenum.stage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The one clock of the domain: milliseconds, as stored and sent, so a stored time reads back equal. */
public final class Times {
  private Times() {}

  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
