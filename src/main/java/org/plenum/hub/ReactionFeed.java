package org.plenum.hub;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.plenum.engine.Engine;
import org.plenum.protocol.Role;
import org.plenum.protocol.ServerMessages;
import org.plenum.stage.ReactionTotals;

/**
 * Reactions: counted by the engine per stage (never stored one by one); pushed as the totals and
 * what arrived since the previous push, with the time window it arrived in, so an overlay can
 * animate bursts at the pace they came.
 */
final class ReactionFeed extends FeedBase {
  static final String PREFIX = "reactions";
  private final List<String> reactionSet;

  ReactionFeed(Engine engine, Fanout fanout, org.plenum.metrics.PlenumMetrics metrics, List<String> reactionSet) {
    super(PREFIX, engine, fanout, metrics);
    this.reactionSet = reactionSet;
  }

  @Override
  public Future<Void> load(StageReadModel room) {
    // start from the current totals, so the first push carries only what arrived since
    return engine.reactionTotals(room.stage.id()).map(totals -> {
      long now = System.nanoTime();
      for (Audience a : Audience.values()) {
        room.lastReactions.put(a, totals);
        room.lastReactionsAt.put(a, now);
        room.pushedVersion.get(a).put(PREFIX, totals.version());
      }
      return null;
    });
  }

  @Override
  public Future<Void> push(StageReadModel room, Audience audience, String ignored, long dirtySince) {
    read(PREFIX);
    return engine.reactionTotals(room.stage.id()).map(totals -> {
      if (totals.version() <= room.pushedVersion(audience, PREFIX)) {
        return null;
      }
      long now = System.nanoTime();
      ReactionTotals before = room.lastReactions.get(audience);
      Long at = room.lastReactionsAt.get(audience);
      Map<String, Long> recent = new HashMap<>();
      totals.totals().forEach((emoji, n) -> {
        long delta = n - (before == null ? n : before.totals().getOrDefault(emoji, 0L));
        if (delta > 0) {
          recent.put(emoji, delta);
        }
      });
      // `recent` holds what arrived since the previous push, and all of it arrived after this
      // aggregate was marked dirty: the window starts there, not at the previous push (which
      // after a quiet spell, or the room's load, may be many seconds back)
      long since = at == null ? dirtySince : Math.max(at, dirtySince);
      long windowMs = Math.max(1, (now - since) / 1_000_000);
      SharedFrame frame = encode(ServerMessages.reactions(room.stage.id(), totals, recent, windowMs));
      room.pushed(audience, PREFIX, totals.version(), frame);
      room.lastReactions.put(audience, totals);
      room.lastReactionsAt.put(audience, now);
      fanout.write(room, audience, frame, PREFIX, totals.version(), null, null);
      return null;
    });
  }

  @Override
  public Future<Void> snapshot(StageReadModel room, Role role, String participantId, JsonObject joined) {
    joined.put("reactionSet", new JsonArray(reactionSet));
    return engine.reactionTotals(room.stage.id()).map(totals -> {
      Audience audience = Audience.of(role);
      if (room.lastReactions.get(audience) == null) {
        // the audience's first session after a spell with none here: what follows starts from here
        room.lastReactions.put(audience, totals);
        room.lastReactionsAt.put(audience, System.nanoTime());
      }
      JsonObject t = new JsonObject();
      totals.totals().forEach(t::put);
      joined.put("reactions", new JsonObject().put("version", totals.version()).put("totals", t));
      return null;
    });
  }
}
