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
final class TalkFeed extends PushedOnChangeFeed {
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
  @Override
  Future<Void> reload(StageReadModel room) {
    read(PREFIX);
    return engine.talks(room.stage.id()).map(talks -> {
      room.talks = talks;
      pushToEveryone(room, ServerMessages.talks(room.stage.id(), talks));
      return null;
    });
  }


  @Override
  public Future<Void> snapshot(StageReadModel room, Role role, String participantId, JsonObject joined) {
    List<org.plenum.stage.Talk> talks = room.talks;
    joined.put("talks", Wire.talks(talks.size() <= StageReadModel.SNAPSHOT_LIST_LIMIT ? talks
        : talks.subList(0, StageReadModel.SNAPSHOT_LIST_LIMIT)));
    return Future.succeededFuture();
  }
}
