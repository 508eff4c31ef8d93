package org.plenum.hub;

import org.plenum.protocol.Role;

/** A session as the hub sees it: something on a stage, in a role, that takes pushes. */
public interface Subscriber {
  Role role();

  /** The participant behind the session (pushes about their own posts go to them alone). */
  String participantId();

  /** Where the session joined from (the link it came by); viewers are split by it in the presence samples. */
  default org.plenum.stage.JoinSource source() {
    return org.plenum.stage.JoinSource.OTHER;
  }

  /**
   * Delivers a push. {@code aggregate} names what the frame is a snapshot of (e.g. a poll's
   * results); a subscriber that cannot write right now keeps only the newest frame per aggregate.
   */
  void push(SharedFrame frame, String aggregate);

  /** Sends a WebSocket ping frame (keep-alive through proxies). */
  void keepAlive();
}
