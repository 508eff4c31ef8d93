package org.plenum.hub;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import org.plenum.stage.Presence;
import org.plenum.stage.Stage;

/**
 * The fan-out of one event loop: which sessions are on which stage, and the ticks that turn
 * "something changed" into one encoded snapshot written to every interested session. Changes only
 * mark aggregates dirty; each tick reads every dirty aggregate once from the engine, encodes it
 * once and writes the same frame to all subscribers, so the cost does not grow with the action
 * rate. What each kind of content pushes is up to its {@link Feed}. Touched only from its own
 * event loop.
 */
public final class Hub {
  private static final Logger LOG = Logger.getLogger(Hub.class.getName());
  /** Presence reports expire unless refreshed, so a crashed node's sessions disappear. */
  static final long PRESENCE_TTL_MS = 15_000;
  private static final long PRESENCE_HEARTBEAT_MS = 5_000;

  private final Vertx vertx;
  private final Engine engine;
  private final PlenumMetrics metrics;
  private final String reporterId;
  private final Fanout fanout;
  private final PollFeed polls;
  private final CloudFeed clouds;
  private final TalkFeed talks;
  private final PostFeed posts;
  private final Map<String, Feed> feeds = new LinkedHashMap<>();
  private final Map<String, StageRoom> rooms = new HashMap<>();
  private final List<Long> timers = new ArrayList<>();

  public Hub(Vertx vertx, Engine engine, PlenumMetrics metrics, String reporterId, List<String> reactionSet,
             int joinPostsLimit) {
    this.vertx = vertx;
    this.engine = engine;
    this.metrics = metrics;
    this.reporterId = reporterId;
    this.fanout = new Fanout(metrics);
    this.polls = new PollFeed(engine, fanout, metrics);
    this.clouds = new CloudFeed(engine, fanout, metrics);
    this.talks = new TalkFeed(engine, fanout, metrics);
    this.posts = new PostFeed(engine, fanout, metrics, joinPostsLimit);
    for (Feed f : List.of(polls, clouds, talks, posts, new ReactionFeed(engine, fanout, metrics, reactionSet))) {
      feeds.put(f.prefix(), f);
    }
  }

  /** Starts the ticks and the keep-alive pings (every {@code keepAliveMs}); call on the owning event loop. */
  /** How often the presence sum is re-read for rooms with moderators (other nodes' viewers). */
  static final long PRESENCE_POLL_MS = 1_000;

  public void start(int moderatorTickMs, int viewerTickMs, long keepAliveMs) {
    timers.add(vertx.setPeriodic(moderatorTickMs, id -> tick(Audience.MODERATORS)));
    timers.add(vertx.setPeriodic(viewerTickMs, id -> tick(Audience.AUDIENCE)));
    timers.add(vertx.setPeriodic(PRESENCE_HEARTBEAT_MS, id -> rooms.values().forEach(r -> r.presenceReportDue = true)));
    // other nodes do not announce presence: re-read the deployment-wide sum once a second where moderators look
    timers.add(vertx.setPeriodic(PRESENCE_POLL_MS, id -> rooms.values().forEach(r -> {
      if (!r.subscribers.get(Audience.MODERATORS).isEmpty() && r.presenceDirtySince == 0) {
        r.presenceDirtySince = System.nanoTime();
      }
    })));
    timers.add(vertx.setPeriodic(keepAliveMs, id -> rooms.values().forEach(
        r -> r.subscribers.values().forEach(set -> set.forEach(Subscriber::keepAlive)))));
  }

  /**
   * Stops the ticks and withdraws this loop's presence reports of the stages it still has sessions
   * on (their close handlers may not have run yet), before the engine stops: a drained node's
   * sessions leave the deployment-wide sum at once instead of when their reports expire, while the
   * clients that reconnected elsewhere are counted there. Never fails, and waits at most a second
   * (the engine may be unreachable): a report that cannot be withdrawn still expires.
   */
  public Future<Void> stop() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    List<Future<Void>> withdrawn = new ArrayList<>();
    for (String stageId : rooms.keySet()) {
      withdrawn.add(engine.reportPresence(reporterId, stageId, Presence.NONE, PRESENCE_TTL_MS)
          .onFailure(err -> LOG.fine("presence of stage " + stageId + " not withdrawn: " + err)));
    }
    return Future.join(withdrawn).<Void>mapEmpty().timeout(1, java.util.concurrent.TimeUnit.SECONDS).otherwiseEmpty();
  }

  public Optional<StageRoom> room(String stageId) {
    return Optional.ofNullable(rooms.get(stageId));
  }

  /**
   * Adds a subscriber to a stage, loading the stage into this loop's cache on first use. From
   * now on the subscriber gets every push for the stage (the session holds them until it has
   * sent the snapshot).
   */
  public Future<StageRoom> enter(Stage stage, Subscriber subscriber) {
    StageRoom room = rooms.computeIfAbsent(stage.id(), id -> {
      StageRoom fresh = new StageRoom(stage);
      // other nodes' changes of the stage reach this node from now on; load once that is certain
      fresh.watched = engine.watchStage(id).otherwiseEmpty();
      return fresh;
    });
    if (room.loaded == null || room.loaded.failed()) {
      room.loaded = room.watched.compose(w -> {
        List<Future<Void>> loads = new ArrayList<>();
        feeds.values().forEach(f -> loads.add(f.load(room)));
        loads.add(loadBlocklist(room));
        return Future.all(loads).mapEmpty();
      });
    }
    room.subscribers.get(Audience.of(subscriber.role())).add(subscriber);
    if (subscriber.role() != Role.MODERATOR) {
      room.enteredAs.put(subscriber, subscriber.participantId());
      var own = room.byParticipant.computeIfAbsent(subscriber.participantId(), k -> new HashSet<>());
      own.add(subscriber);
      // presence counts people, not sockets: only a participant's first session of a role counts
      if (sessionsOfRole(own, subscriber.role()) == 1) {
        count(room, subscriber.role(), +1);
      }
    } else {
      count(room, subscriber.role(), +1);
    }
    metrics.connection(room.stage.id(), subscriber.role().wire(), +1);
    return room.loaded.map(room);
  }

  public void leave(String stageId, Subscriber subscriber) {
    StageRoom room = rooms.get(stageId);
    if (room == null || !room.subscribers.get(Audience.of(subscriber.role())).remove(subscriber)) {
      return;
    }
    metrics.connection(room.stage.id(), subscriber.role().wire(), -1);
    if (subscriber.role() == Role.MODERATOR) {
      count(room, subscriber.role(), -1);
    } else {
      // the participant it entered as: a session may have switched tokens since
      String participant = room.enteredAs.remove(subscriber);
      var own = room.byParticipant.get(participant);
      if (own != null && own.remove(subscriber)) {
        if (sessionsOfRole(own, subscriber.role()) == 0) {
          count(room, subscriber.role(), -1);
        }
        if (own.isEmpty()) {
          room.byParticipant.remove(participant);
        }
      }
    }
    if (room.isEmpty()) {
      // report the zero now: the room is gone before the next tick would have reported it
      engine.reportPresence(reporterId, stageId, Presence.NONE, PRESENCE_TTL_MS);
      rooms.remove(stageId);
      engine.unwatchStage(stageId);
    }
  }

  /** The snapshot a joining session gets: every feed's part, for its role and participant. */
  public Future<JsonObject> snapshot(StageRoom room, Role role, String participantId) {
    JsonObject joined = new JsonObject();
    List<Future<Void>> parts = new ArrayList<>();
    feeds.values().forEach(f -> parts.add(f.snapshot(room, role, participantId, joined)));
    return Future.all(parts).map(joined);
  }

  /**
   * A page of older posts for a session on the stage: the newest {@code limit} (at most the
   * join limit) it may see among those created before post {@code before}.
   */
  public Future<JsonObject> postsPage(StageRoom room, Role role, String participantId, String before, int limit) {
    JsonObject page = new JsonObject();
    return posts.page(room, role, participantId, before, limit, page).map(page);
  }

  private void count(StageRoom room, Role role, int delta) {
    if (role == Role.VIEWER) {
      room.viewers += delta;
    } else if (role == Role.PRESENTER) {
      room.presenters += delta;
    }
    room.presenceReportDue = true;
  }

  private static int sessionsOfRole(java.util.Set<Subscriber> sessions, Role role) {
    int n = 0;
    for (Subscriber s : sessions) {
      if (s.role() == role) {
        n++;
      }
    }
    return n;
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
    if (change.kind() == Change.Kind.RESYNC) {
      rooms.values().forEach(this::resync);
      return;
    }
    StageRoom room = rooms.get(change.stageId());
    if (room == null) {
      return;
    }
    long now = System.nanoTime();
    switch (change.kind()) {
      case RESULTS -> room.markDirty(PollFeed.PREFIX + ":" + change.id(), now);
      case CLOUD_RESULTS -> room.markDirty(CloudFeed.PREFIX + ":" + change.id(), now);
      case POST -> room.markDirty(PostFeed.PREFIX + ":" + change.id(), now);
      case REACTIONS -> room.markDirty(ReactionFeed.PREFIX + ":", now);
      case PRESENCE -> {
        if (room.presenceDirtySince == 0) {
          room.presenceDirtySince = now;
        }
      }
      case POLL -> chain(room, () -> polls.reload(room, change.id()));
      case CLOUD -> chain(room, () -> clouds.reload(room, change.id()));
      case STAGE -> chain(room, () -> reloadStage(room));
      case TALKS -> chain(room, () -> talks.reload(room));
      case RESYNC -> resync(room);
      case MODERATOR -> { } // the gateway closes the revoked moderator's sessions
    }
  }

  /**
   * Changes may have been missed (the engine recovered from an outage): every aggregate of the room
   * is marked dirty, so the next ticks re-read it and push whatever is newer than what each audience
   * has; definitions that differ from the cache are reloaded and pushed; posts the room has not seen
   * are read too. What did not change is not pushed again.
   */
  private void resync(StageRoom room) {
    long now = System.nanoTime();
    room.polls.keySet().forEach(id -> room.markDirty(PollFeed.PREFIX + ":" + id, now));
    room.clouds.keySet().forEach(id -> room.markDirty(CloudFeed.PREFIX + ":" + id, now));
    room.posts.keySet().forEach(id -> room.markDirty(PostFeed.PREFIX + ":" + id, now));
    room.markDirty(ReactionFeed.PREFIX + ":", now);
    room.presenceReportDue = true;
    room.presenceDirtySince = now;
    chain(room, () -> refreshDefinitions(room));
  }

  private Future<Void> refreshDefinitions(StageRoom room) {
    String stageId = room.stage.id();
    Future<Void> polled = engine.polls(stageId).compose(found -> Future.join(found.stream()
        .filter(p -> !p.equals(room.polls.get(p.id())))
        .map(p -> polls.reload(room, p.id())).toList()).mapEmpty());
    Future<Void> clouded = engine.clouds(stageId).compose(found -> Future.join(found.stream()
        .filter(c -> !c.equals(room.clouds.get(c.id())))
        .map(c -> clouds.reload(room, c.id())).toList()).mapEmpty());
    Future<Void> posted = engine.posts(stageId).map(found -> {
      long now = System.nanoTime();
      found.stream().filter(v -> !room.posts.containsKey(v.post().id()))
          .forEach(v -> room.markDirty(PostFeed.PREFIX + ":" + v.post().id(), now));
      return null;
    });
    Future<Void> staged = engine.stage(stageId).compose(found -> found.isPresent() && !found.get().equals(room.stage)
        ? reloadStage(room) : Future.succeededFuture());
    Future<Void> programmed = engine.talks(stageId).compose(found -> found.equals(room.talks)
        ? Future.succeededFuture() : talks.reload(room));
    return Future.join(polled, clouded, posted, staged, programmed).mapEmpty();
  }

  /** Definition reloads run one after another per room, so the last reload wins. */
  private void chain(StageRoom room, java.util.function.Supplier<Future<Void>> reload) {
    room.definitionUpdates = room.definitionUpdates.transform(ignored -> reload.get().recover(err -> {
      LOG.log(Level.WARNING, "could not reload a definition of stage " + room.stage.id(), err);
      return Future.succeededFuture();
    }));
  }

  private Future<Void> loadBlocklist(StageRoom room) {
    return engine.event(room.stage.eventId()).map(event -> {
      room.blocklist = new org.plenum.stage.Blocklist(event.map(e -> e.blockedWords()).orElse(List.of()));
      return null;
    });
  }

  /** The stage's settings or its event's blocklist changed. */
  private Future<Void> reloadStage(StageRoom room) {
    return loadBlocklist(room).compose(v -> engine.stage(room.stage.id())).map(found -> {
      found.ifPresent(stage -> {
        room.stage = stage;
        SharedFrame frame = SharedFrame.of(ServerMessages.stage(stage));
        fanout.write(room, Audience.MODERATORS, frame, "stage");
        fanout.write(room, Audience.AUDIENCE, frame, "stage");
      });
      return null;
    });
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
      Map<String, Long> dirty = new LinkedHashMap<>(room.dirtySince.get(audience));
      room.dirtySince.get(audience).clear();
      List<Future<Void>> pushes = new ArrayList<>(dirty.size());
      dirty.forEach((aggregate, since) -> pushes.add(push(room, audience, aggregate, since)));
      Future.join(pushes).onComplete(done -> room.tickBusy.put(audience, false));
    }
  }

  private Future<Void> push(StageRoom room, Audience audience, String aggregate, long since) {
    int colon = aggregate.indexOf(':');
    Feed feed = feeds.get(aggregate.substring(0, colon));
    return feed.push(room, audience, aggregate.substring(colon + 1), since).recover(err -> {
      // the engine is unreachable: keep the aggregate dirty so the next tick tries again
      room.markDirty(audience, aggregate, since);
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
          fanout.write(room, Audience.MODERATORS, SharedFrame.of(ServerMessages.presence(stageId, p)), "presence");
        }
      });
    }
  }
}
