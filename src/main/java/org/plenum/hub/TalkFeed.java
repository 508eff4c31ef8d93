package org.plenum.hub;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.plenum.engine.Engine;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.Role;
import org.plenum.protocol.ServerMessages;
import org.plenum.protocol.Wire;

/**
 * The stage's programme: loaded with the room, sent in {@code joined.talks}, and pushed whole as
 * {@code talks} to everyone on the stage when a TALKS change arrives (programmes are short).
 */
final class TalkFeed extends FeedBase {
  static final String PREFIX = "talks";

  TalkFeed(Engine engine, Fanout fanout, PlenumMetrics metrics) {
    super(PREFIX, engine, fanout, metrics);
  }

  @Override
  public Future<Void> load(StageReadModel room) {
    return engine.talks(room.stage.id()).map(talks -> {
      room.talks = talks;
      return null;
    });
  }

  /** A talk of the stage was saved or deleted: reread the list and push it to everyone on the stage. */
  Future<Void> reload(StageReadModel room) {
    read(PREFIX);
    return engine.talks(room.stage.id()).map(talks -> {
      room.talks = talks;
      SharedFrame frame = encode(ServerMessages.talks(room.stage.id(), talks));
      fanout.write(room, Audience.MODERATORS, frame, PREFIX);
      fanout.write(room, Audience.AUDIENCE, frame, PREFIX);
      return null;
    });
  }

  /** Talks are pushed on change (see {@link #reload}), never marked dirty for the ticks. */
  @Override
  public Future<Void> push(StageReadModel room, Audience audience, String id, long dirtySince) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> snapshot(StageReadModel room, Role role, String participantId, JsonObject joined) {
    List<org.plenum.stage.Talk> talks = room.talks;
    joined.put("talks", Wire.talks(talks.size() <= StageReadModel.SNAPSHOT_LIST_LIMIT ? talks
        : talks.subList(0, StageReadModel.SNAPSHOT_LIST_LIMIT)));
    return Future.succeededFuture();
  }
}
