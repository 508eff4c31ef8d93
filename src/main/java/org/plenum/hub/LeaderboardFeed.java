package org.plenum.hub;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ConcurrentHashMap;
import org.plenum.engine.Engine;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.QuizWire;
import org.plenum.protocol.Role;
import org.plenum.stage.Leaderboard;
import org.plenum.stage.Presentation;

/**
 * A stage's quiz leaderboard: marked dirty by LEADERBOARD changes (an answer scored, a nickname
 * set, on any node), read once per tick (not per answer) and pushed as {@code leaderboard} when it
 * differs from what the audience was last sent. Moderators get it whenever the stage has a quiz;
 * the audience (viewers, projector, overlay) only while the stage's screens show it (presentation
 * {@code leaderboard}). Not versioned by the ticks' rules: {@code scored} restarts at 0 with a reset,
 * so each audience is compared with the board it was last sent.
 */
final class LeaderboardFeed extends FeedBase {
  static final String PREFIX = "leaderboard";
  /** By stage id and audience: the last board pushed (each entry touched only on its read model's home). */
  private final ConcurrentHashMap<String, Leaderboard> sent = new ConcurrentHashMap<>();

  LeaderboardFeed(Engine engine, Fanout fanout, PlenumMetrics metrics) {
    super(PREFIX, engine, fanout, metrics);
  }

  private static String sentKey(StageReadModel room, Audience audience) {
    return room.stageId() + '/' + audience.name();
  }

  static boolean shownTo(StageReadModel room, Audience audience) {
    return audience == Audience.MODERATORS ? room.polls.values().stream().anyMatch(org.plenum.stage.Poll::isQuiz)
        : room.presentation.kind() == Presentation.Kind.LEADERBOARD;
  }

  @Override
  public Future<Void> load(StageReadModel room) {
    for (Audience a : Audience.values()) {
      sent.remove(sentKey(room, a));
    }
    return Future.succeededFuture();
  }

  /** The screens began to show the leaderboard: the audience gets it on the next tick even if unchanged. */
  void presented(StageReadModel room) {
    sent.remove(sentKey(room, Audience.AUDIENCE));
    room.markDirty(Audience.AUDIENCE, PREFIX + ":", System.nanoTime());
  }

  @Override
  public Future<Void> push(StageReadModel room, Audience audience, String ignored, long dirtySince) {
    if (!shownTo(room, audience)) {
      return Future.succeededFuture();
    }
    read(PREFIX);
    return engine.leaderboard(room.stageId(), Leaderboard.TOP).map(board -> {
      if (!board.equals(sent.get(sentKey(room, audience)))) {
        sent.put(sentKey(room, audience), board);
        fanout.write(room, audience, encode(QuizWire.leaderboard(room.stageId(), board)), PREFIX);
        metrics.changeToPush(audience.metricTag(), System.nanoTime() - dirtySince);
      }
      return null;
    });
  }

  @Override
  public Future<Void> snapshot(StageReadModel room, Role role, String participantId, JsonObject joined) {
    if (!shownTo(room, Audience.of(role))) {
      return Future.succeededFuture();
    }
    read(PREFIX);
    return engine.leaderboard(room.stageId(), Leaderboard.TOP).map(board -> {
      JsonObject wire = QuizWire.leaderboard(room.stageId(), board);
      wire.remove("type");
      joined.put("leaderboard", wire);
      return null;
    });
  }
}
