package org.plenum.hub;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.plenum.protocol.Role;

/**
 * One kind of live content on a stage (polls, word clouds, posts, reactions): how it is loaded
 * into a room, how one changed aggregate is read once and pushed, and its part of the snapshot a
 * joining session gets.
 */
interface Feed {

  /** The prefix of this feed's aggregate keys, e.g. {@code results} for {@code results:<pollId>}. */
  String prefix();

  /** Fills a new room's cache. */
  Future<Void> load(StageReadModel room);

  /** Reads aggregate {@code id} once and pushes it to {@code audience} if it is newer than what they have. */
  Future<Void> push(StageReadModel room, Audience audience, String id, long dirtySince);

  /** Adds this feed's part of the {@code joined} message for a session of {@code role}. */
  Future<Void> snapshot(StageReadModel room, Role role, String participantId, JsonObject joined);
}
