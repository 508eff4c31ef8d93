package org.plenum.hub;

import io.vertx.core.Future;
import org.plenum.engine.Engine;
import org.plenum.metrics.PlenumMetrics;

/**
 * A feed of small stage-wide state (the programme, what the screens show) that is reread and
 * pushed to everyone on the stage when its change arrives, not marked dirty for the ticks: there
 * is nothing to coalesce, a moderator changes it now and then.
 */
abstract class PushedOnChangeFeed extends FeedBase {

  PushedOnChangeFeed(String prefix, Engine engine, Fanout fanout, PlenumMetrics metrics) {
    super(prefix, engine, fanout, metrics);
  }

  /** Rereads the state and pushes it to everyone on the stage (see the subclass for when). */
  abstract Future<Void> reload(StageReadModel room);

  /** Encodes {@code message} once and writes it to every role on the stage. */
  protected final void pushToEveryone(StageReadModel room, io.vertx.core.json.JsonObject message) {
    SharedFrame frame = encode(message);
    fanout.write(room, Audience.MODERATORS, frame, prefix());
    fanout.write(room, Audience.AUDIENCE, frame, prefix());
  }

  /** Never marked dirty: pushed by {@link #reload}. */
  @Override
  public final Future<Void> push(StageReadModel room, Audience audience, String id, long dirtySince) {
    return Future.succeededFuture();
  }
}
