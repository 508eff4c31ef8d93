package org.plenum.protocol;

import java.util.List;

/** Everything a client may send over the WebSocket, already validated for shape. */
public sealed interface ClientMessage {

  /** The client action id, or null where the message type allows none (ping). */
  String id();

  /** Enter a stage by id or join code. */
  record Join(String id, String stageId, String code, Role role, String auth, String token)
      implements ClientMessage {}

  /** Vote in a poll: {@code choices} for choice polls, {@code rating} for rating polls. */
  record Vote(String id, String pollId, List<String> choices, Integer rating) implements ClientMessage {}

  record Ping(String id) implements ClientMessage {}
}
