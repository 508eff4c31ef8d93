package org.plenum.stage;

import java.util.Locale;

/**
 * pending (waiting for a moderator) → published or rejected; deleted by its author while
 * unanswered (the text is erased, the tombstone tells clients to remove it).
 */
public enum PostState {
  PENDING, PUBLISHED, REJECTED, DELETED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PostState parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
