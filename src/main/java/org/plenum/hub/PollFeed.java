package org.plenum.hub;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.plenum.engine.Engine;
import org.plenum.engine.PollDeadlines;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.Role;
import org.plenum.protocol.ServerMessages;
import org.plenum.protocol.Wire;
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;

/** Polls: definitions pushed as {@code poll}, counts as coalesced {@code results} snapshots. */
final class PollFeed extends FeedBase {
  static final String PREFIX = "results";
  PollFeed(Engine engine, Fanout fanout, PlenumMetrics metrics) {
    super(PREFIX, engine, fanout, metrics);
  }

  @Override
  public Future<Void> load(StageReadModel room) {
    read("polls");
    return engine.polls(room.stage.id()).map(polls -> {
      polls.forEach(p -> room.polls.putIfAbsent(p.id(), p));
      if (polls.stream().anyMatch(p -> p.isOpen() && p.closesAt() != null)) {
        // this node may not have heard of the timer (set on another node while it did not watch the stage)
        PollDeadlines.stageLoaded(room.home.owner(), room.stage.id());
      }
      return null;
    });
  }

  /** A poll was created, opened, closed, revealed or hidden: push its definition (and visible results). */
  Future<Void> reload(StageReadModel room, String pollId) {
    read("poll");
    return engine.poll(room.stage.id(), pollId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      Poll poll = found.get();
      room.polls.put(poll.id(), poll);
      room.toLoops(loop -> loop.putPoll(poll));
      read(PREFIX);
      return engine.results(poll).map(results -> {
        String stageId = room.stage.id();
        String key = key(poll.id());
        SharedFrame forModerators = encode(ServerMessages.poll(stageId, poll, results, true));
        fanout.write(room, Audience.MODERATORS, forModerators, "poll:" + poll.id());
        remember(room, Audience.MODERATORS, key, results);
        if (poll.isPublic()) {
          PollResults visible = poll.resultsVisible() ? results : null;
          fanout.write(room, Audience.AUDIENCE, encode(ServerMessages.poll(stageId, poll, visible)), "poll:" + poll.id());
          if (visible != null) {
            remember(room, Audience.AUDIENCE, key, visible);
          }
        }
        return null;
      });
    });
  }

  private void remember(StageReadModel room, Audience audience, String key, PollResults results) {
    room.rememberIfNewer(audience, key, results.version(), () -> encode(ServerMessages.results(room.stage.id(), results)));
  }

  @Override
  public Future<Void> push(StageReadModel room, Audience audience, String pollId, long dirtySince) {
    Poll poll = room.polls.get(pollId);
    if (poll == null || (audience == Audience.AUDIENCE && !(poll.isPublic() && poll.resultsVisible()))) {
      return Future.succeededFuture();
    }
    String key = key(pollId);
    read(PREFIX);
    return engine.results(poll).map(results -> {
      if (fanout.writeIfNewer(room, audience, key, results.version(),
          () -> encode(ServerMessages.results(room.stage.id(), results)))) {
        metrics.changeToPush(audience.metricTag(), System.nanoTime() - dirtySince);
      }
      return null;
    });
  }

  @Override
  public Future<Void> snapshot(StageReadModel room, Role role, String participantId, JsonObject joined) {
    List<Poll> polls = StageReadModel.newest(room.pollsFor(role));
    List<Future<PollResults>> results = new ArrayList<>();
    for (Poll p : polls) {
      boolean visible = role == Role.MODERATOR || p.resultsVisible();
      results.add(visible ? engine.results(p) : Future.succeededFuture(null));
    }
    return Future.all(results).map(all -> {
      JsonArray out = new JsonArray();
      for (int i = 0; i < polls.size(); i++) {
        out.add(Wire.pollWithResults(polls.get(i), results.get(i).result(), role == Role.MODERATOR));
      }
      joined.put("polls", out);
      return null;
    });
  }
}
