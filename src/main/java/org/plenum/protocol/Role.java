package org.plenum.protocol;

import java.util.Locale;

/** What a session is: who may vote, who sees what and how often. */
public enum Role {
  VIEWER, MODERATOR, PRESENTER;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String s) {
    for (Role r : values()) {
      if (r.wire().equals(s)) {
        return r;
      }
    }
    throw new PlenumException(ErrorCode.INVALID_FIELD, "role: must be viewer, moderator or presenter");
  }
}
