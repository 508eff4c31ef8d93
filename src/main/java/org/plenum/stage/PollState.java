package org.plenum.stage;

import java.util.Locale;

/** draft → open → closed; a closed poll may be opened again. */
public enum PollState {
  DRAFT, OPEN, CLOSED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PollState parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
