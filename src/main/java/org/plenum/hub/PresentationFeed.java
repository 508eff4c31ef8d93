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
final class PresentationFeed extends FeedBase {
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
  Future<Void> reload(StageReadModel room) {
    read(PREFIX);
    return engine.presentation(room.stage.id()).map(p -> {
      if (!p.equals(room.presentation)) {
        room.presentation = p;
        SharedFrame frame = encode(ServerMessages.presentation(room.stage.id(), p));
        fanout.write(room, Audience.MODERATORS, frame, PREFIX);
        fanout.write(room, Audience.AUDIENCE, frame, PREFIX);
      }
      return null;
    });
  }

  /** Pushed on change (see {@link #reload}), never marked dirty for the ticks. */
  @Override
  public Future<Void> push(StageReadModel room, Audience audience, String id, long dirtySince) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> snapshot(StageReadModel room, Role role, String participantId, JsonObject joined) {
    joined.put("presentation", Wire.presentation(room.presentation));
    return Future.succeededFuture();
  }
}
