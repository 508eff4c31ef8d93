package org.plenum.hub;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.plenum.engine.Change;
import org.plenum.engine.Engine;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.Role;
import org.plenum.protocol.ServerMessages;
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;
import org.plenum.stage.Presence;
import org.plenum.stage.Stage;

/**
 * The fan-out of one event loop: which sessions are on which stage, and the ticks that turn
 * "something changed" into one encoded snapshot written to every interested session. Changes only
 * mark aggregates dirty; each tick reads every dirty aggregate once from the engine, encodes it
 * once and writes the same frame to all subscribers, so the cost does not grow with the vote rate.
 * Touched only from its own event loop.
 */
public final class Hub {
  private static final Logger LOG = Logger.getLogger(Hub.class.getName());
  /** Presence reports expire unless refreshed, so a crashed node's sessions disappear. */
  static final long PRESENCE_TTL_MS = 15_000;
  private static final long PRESENCE_HEARTBEAT_MS = 5_000;
  private static final long KEEPALIVE_MS = 30_000;

  private final Vertx vertx;
  private final Engine engine;
  private final PlenumMetrics metrics;
  private final String reporterId;
  private final Map<String, StageRoom> rooms = new HashMap<>();
  private final List<Long> timers = new ArrayList<>();

  public Hub(Vertx vertx, Engine engine, PlenumMetrics metrics, String reporterId) {
    this.vertx = vertx;
    this.engine = engine;
    this.metrics = metrics;
    this.reporterId = reporterId;
  }

  /** Starts the ticks; call on the owning event loop. */
  public void start(int moderatorTickMs, int viewerTickMs) {
    timers.add(vertx.setPeriodic(moderatorTickMs, id -> tick(Audience.MODERATORS)));
    timers.add(vertx.setPeriodic(viewerTickMs, id -> tick(Audience.AUDIENCE)));
    timers.add(vertx.setPeriodic(PRESENCE_HEARTBEAT_MS, id -> rooms.values().forEach(r -> r.presenceReportDue = true)));
    timers.add(vertx.setPeriodic(KEEPALIVE_MS, id -> rooms.values().forEach(
        r -> r.subscribers.values().forEach(set -> set.forEach(Subscriber::keepAlive)))));
  }

  public void stop() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
  }

  public Optional<StageRoom> room(String stageId) {
    return Optional.ofNullable(rooms.get(stageId));
  }

  /** Adds a subscriber to a stage, loading the stage's polls into this loop's cache on first use. */
  public Future<StageRoom> enter(Stage stage, Subscriber subscriber) {
    StageRoom room = rooms.computeIfAbsent(stage.id(), id -> new StageRoom(stage));
    if (room.loaded == null || room.loaded.failed()) {
      room.loaded = engine.polls(stage.id()).map(polls -> {
        for (Poll p : polls) {
          room.polls.putIfAbsent(p.id(), p);
        }
        return null;
      });
    }
    room.subscribers.get(Audience.of(subscriber.role())).add(subscriber);
    count(room, subscriber.role(), +1);
    return room.loaded.map(room);
  }

  public void leave(String stageId, Subscriber subscriber) {
    StageRoom room = rooms.get(stageId);
    if (room == null || !room.subscribers.get(Audience.of(subscriber.role())).remove(subscriber)) {
      return;
    }
    count(room, subscriber.role(), -1);
    if (room.isEmpty()) {
      // report the zero now: the room is gone before the next tick would have reported it
      engine.reportPresence(reporterId, stageId, Presence.NONE, PRESENCE_TTL_MS);
      rooms.remove(stageId);
    }
  }

  private void count(StageRoom room, Role role, int delta) {
    if (role == Role.VIEWER) {
      room.viewers += delta;
    } else if (role == Role.PRESENTER) {
      room.presenters += delta;
    }
    room.presenceReportDue = true;
    metrics.connection(room.stage.id(), role.wire(), delta);
  }

  /** Reports this loop's sessions on the stage right away and returns the deployment-wide sum. */
  public Future<Presence> presenceNow(StageRoom room) {
    room.presenceReportDue = false;
    String stageId = room.stage.id();
    return engine.reportPresence(reporterId, stageId, room.localPresence(), PRESENCE_TTL_MS)
        .compose(v -> engine.presence(stageId));
  }

  /** Called (on this loop) for every change announced by the engine, local or remote. */
  public void onChange(Change change) {
    StageRoom room = rooms.get(change.stageId());
    if (room == null) {
      return;
    }
    long now = System.nanoTime();
    switch (change.kind()) {
      case RESULTS -> {
        room.markDirty(Audience.MODERATORS, change.id(), now);
        room.markDirty(Audience.AUDIENCE, change.id(), now);
      }
      case PRESENCE -> {
        if (room.presenceDirtySince == 0) {
          room.presenceDirtySince = now;
        }
      }
      case POLL -> room.pollUpdates = room.pollUpdates.transform(ignored -> reloadPoll(room, change.id()));
    }
  }

  /** Reloads a changed poll and pushes it; chained per room so the last reload wins. */
  private Future<Void> reloadPoll(StageRoom room, String pollId) {
    return engine.poll(room.stage.id(), pollId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      Poll poll = found.get();
      room.polls.put(poll.id(), poll);
      return engine.results(poll).map(results -> {
        pushPoll(room, poll, results);
        return (Void) null;
      });
    }).recover(err -> {
      LOG.log(Level.WARNING, "could not reload poll " + pollId + " of stage " + room.stage.id(), err);
      return Future.succeededFuture();
    });
  }

  private void pushPoll(StageRoom room, Poll poll, PollResults results) {
    String stageId = room.stage.id();
    write(room, Audience.MODERATORS, SharedFrame.of(ServerMessages.poll(stageId, poll, results)), "poll:" + poll.id());
    remember(room, Audience.MODERATORS, poll.id(), results);
    if (poll.isPublic()) {
      PollResults visible = poll.resultsVisible() ? results : null;
      write(room, Audience.AUDIENCE, SharedFrame.of(ServerMessages.poll(stageId, poll, visible)), "poll:" + poll.id());
      if (visible != null) {
        remember(room, Audience.AUDIENCE, poll.id(), visible);
      }
    }
  }

  /** Records that an audience has seen a results version through a poll push. */
  private void remember(StageRoom room, Audience audience, String pollId, PollResults results) {
    if (results.version() > room.pushedVersion(audience, pollId)) {
      room.pushedVersion.get(audience).put(pollId, results.version());
      room.lastResults.get(audience).put(pollId, SharedFrame.of(ServerMessages.results(room.stage.id(), results)));
    }
  }

  private void tick(Audience audience) {
    for (StageRoom room : rooms.values()) {
      if (audience == Audience.MODERATORS) {
        presence(room);
      }
      if (room.tickBusy.get(audience) || room.dirtySince.get(audience).isEmpty()) {
        continue;
      }
      room.tickBusy.put(audience, true);
      Map<String, Long> dirty = new HashMap<>(room.dirtySince.get(audience));
      room.dirtySince.get(audience).clear();
      List<Future<Void>> pushes = new ArrayList<>(dirty.size());
      dirty.forEach((pollId, since) -> pushes.add(pushResults(room, audience, pollId, since)));
      Future.join(pushes).onComplete(done -> room.tickBusy.put(audience, false));
    }
  }

  private Future<Void> pushResults(StageRoom room, Audience audience, String pollId, long dirtySince) {
    Poll poll = room.polls.get(pollId);
    if (poll == null || (audience == Audience.AUDIENCE && !(poll.isPublic() && poll.resultsVisible()))) {
      return Future.succeededFuture();
    }
    return engine.results(poll).map(results -> {
      if (results.version() > room.pushedVersion(audience, pollId)) {
        SharedFrame frame = SharedFrame.of(ServerMessages.results(room.stage.id(), results));
        room.pushedVersion.get(audience).put(pollId, results.version());
        room.lastResults.get(audience).put(pollId, frame);
        write(room, audience, frame, "results:" + pollId);
        metrics.changeToPush(audience.metricTag(), System.nanoTime() - dirtySince);
      }
      return (Void) null;
    }).recover(err -> {
      // the engine is unreachable: keep the poll dirty so the next tick tries again
      room.markDirty(audience, pollId, dirtySince);
      return Future.succeededFuture();
    });
  }

  /** Reports this loop's counts when they changed, and pushes the deployment-wide sum to moderators. */
  private void presence(StageRoom room) {
    String stageId = room.stage.id();
    if (room.presenceReportDue) {
      room.presenceReportDue = false;
      engine.reportPresence(reporterId, stageId, room.localPresence(), PRESENCE_TTL_MS)
          .onFailure(err -> room.presenceReportDue = true);
    }
    if (room.presenceDirtySince != 0 && !room.subscribers.get(Audience.MODERATORS).isEmpty()) {
      room.presenceDirtySince = 0;
      engine.presence(stageId).onSuccess(p -> {
        if (!p.equals(room.lastPresence)) {
          room.lastPresence = p;
          room.lastPresenceFrame = SharedFrame.of(ServerMessages.presence(stageId, p));
          write(room, Audience.MODERATORS, room.lastPresenceFrame, "presence");
        }
      });
    }
  }

  private void write(StageRoom room, Audience audience, SharedFrame frame, String aggregate) {
    var targets = room.subscribers.get(audience);
    if (targets.isEmpty()) {
      return;
    }
    for (Subscriber s : targets) {
      s.push(frame, aggregate);
    }
    metrics.messageOut(frame.type(), targets.size());
    metrics.fanout(targets.size());
  }
}
