package org.plenum.hub;

import org.plenum.protocol.Role;

/** Who a push is for: moderators see everything fast; viewers and presenters see what is visible, calmer. */
public enum Audience {
  MODERATORS, AUDIENCE;

  public static Audience of(Role role) {
    return role == Role.MODERATOR ? MODERATORS : AUDIENCE;
  }

  public String metricTag() {
    return this == MODERATORS ? "moderator" : "audience";
  }
}
