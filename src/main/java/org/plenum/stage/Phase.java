package org.plenum.stage;

import java.util.Locale;

/** The lifecycle of a poll or word cloud: draft → open → closed; a closed one may be opened again. */
public enum Phase {
  DRAFT, OPEN, CLOSED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Phase parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
