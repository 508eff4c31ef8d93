package org.plenum.hub;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.plenum.engine.Engine;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.Role;
import org.plenum.protocol.ServerMessages;
import org.plenum.protocol.Wire;
import org.plenum.stage.Presentation;

/**
 * What the stage's screens show ("present this"): loaded with the room, sent in
 * {@code joined.presentation}, and pushed as {@code presentation} to everyone on the stage when a
 * PRESENTATION change arrives. Every role gets it: the projector and overlay follow it, the
 * moderators' dashboards mark what is on screen, viewers may ignore it.
 */
final class PresentationFeed extends PushedOnChangeFeed {
  static final String PREFIX = "presentation";

  PresentationFeed(Engine engine, Fanout fanout, PlenumMetrics metrics) {
    super(PREFIX, engine, fanout, metrics);
  }

  @Override
  public Future<Void> load(StageReadModel room) {
    return engine.presentation(room.stage.id()).map(p -> {
      room.presentation = p;
      return null;
    });
  }

  /** Rereads the stage's presentation and pushes it if it differs from what the room last sent. */
  @Override
  Future<Void> reload(StageReadModel room) {
    read(PREFIX);
    return engine.presentation(room.stage.id()).map(p -> {
      if (!p.equals(room.presentation)) {
        room.presentation = p;
        pushToEveryone(room, ServerMessages.presentation(room.stage.id(), p));
        if (p.kind() == Presentation.Kind.LEADERBOARD) {
          room.models().leaderboards.presented(room);
        }
      }
      return null;
    });
  }

  @Override
  public Future<Void> snapshot(StageReadModel room, Role role, String participantId, JsonObject joined) {
    joined.put("presentation", Wire.presentation(room.presentation));
    return Future.succeededFuture();
  }
}
