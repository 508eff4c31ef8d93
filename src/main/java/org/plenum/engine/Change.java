package org.plenum.engine;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * "Something of this kind changed on this stage": what engines publish on the local event bus
 * (and, for Redis, to the other nodes). Hubs react by reading the aggregate once per tick.
 *
 * @param id the id of the poll, cloud or post that changed; null for PRESENCE, STAGE, REACTIONS, TALKS
 */
public record Change(Kind kind, String stageId, String id) {
  /** Local event bus address; every gateway event loop listens here. */
  public static final String ADDRESS = "plenum.changes";

  /**
   * POLL, CLOUD: a definition changed (id = poll / cloud id). RESULTS, CLOUD_RESULTS: counts moved.
   * POST: a question or message changed or was upvoted (id = post id). REACTIONS: reactions
   * arrived (id null). PRESENCE: session counts changed (id null). STAGE: the stage's settings or its
   * event's blocklist changed (id null).
   * TALKS: a talk of the stage's programme was saved or deleted (id null: the whole list is reloaded).
   * MODERATOR: a moderator access was revoked (stageId = the event's id, id = the moderator access
   * id); every node closes that moderator's open sessions.
   * POLL_DELETED, CLOUD_DELETED: a poll or cloud was deleted (id = its id): caches forget it and
   * clients are told {@code removed}. STAGE_DELETED: the stage and all its data are gone (id null):
   * every node closes the stage's sessions (4404) and forgets it. STAGE_RESET: the stage's
   * interactions were cleared ("test mode" reset, id null): every node closes the stage's sessions
   * (4205, rejoin) and re-reads it. ORDER: the stage's polls or clouds were reordered (id null).
   * RESYNC: local only, never sent between nodes (stage and id null): anything may have changed
   * unannounced (the engine recovered from an outage, or resubscribed); re-read every stage served.
   */
  public enum Kind { POLL, RESULTS, PRESENCE, STAGE, CLOUD, CLOUD_RESULTS, POST, REACTIONS, TALKS, MODERATOR, PRESENTATION, RESYNC,
    POLL_DELETED, CLOUD_DELETED, STAGE_DELETED, STAGE_RESET, ORDER,
    /** A talk's feedback survey changed (definition, state or responses); id = the talk's id. */
    SURVEY,
    /** A quiz answer was scored or a nickname set on the stage (id null): the leaderboard is re-read on the next tick. */
    LEADERBOARD }

  /** "Re-read everything": what an engine announces locally after it may have missed changes. */
  public static Change resync() {
    return new Change(Kind.RESYNC, null, null);
  }

  /** Wire form between nodes: {@code kind|stageId|id}. Ids never contain '|'. */
  public String encode() {
    return kind.name() + "|" + stageId + "|" + (id == null ? "" : id);
  }

  public static Change decode(String s) {
    String[] parts = s.split("\\|", -1);
    return new Change(Kind.valueOf(parts[0]), parts[1], parts[2].isEmpty() ? null : parts[2]);
  }

  public static void publish(Vertx vertx, Change change) {
    vertx.eventBus().publish(ADDRESS, change);
  }

  /** Lets Change objects travel on the local event bus without copying. */
  public static void registerCodec(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(Change.class, new LocalCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // several servers in one Vert.x (tests): one registration serves them all
    }
  }

  private static final class LocalCodec implements MessageCodec<Change, Change> {
    @Override
    public void encodeToWire(Buffer buffer, Change change) {
      buffer.appendString(change.encode());
    }

    @Override
    public Change decodeFromWire(int pos, Buffer buffer) {
      return decode(buffer.getString(pos, buffer.length()));
    }

    @Override
    public Change transform(Change change) {
      return change;
    }

    @Override
    public String name() {
      return "plenum-change";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
