package org.plenum.hub;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.plenum.engine.Change;
import org.plenum.protocol.Role;
import org.plenum.protocol.ServerMessages;
import org.plenum.stage.Blocklist;
import org.plenum.stage.Poll;
import org.plenum.stage.PostView;
import org.plenum.stage.Presence;
import org.plenum.stage.ReactionTotals;
import org.plenum.stage.Stage;
import org.plenum.stage.WordCloud;

/**
 * One stage as this node serves it: the caches of its definitions (polls, clouds, posts, talks,
 * settings), what each audience was last sent, what has changed since, and the node's presence
 * counts for it. Every event loop of the node that has sessions on the stage gets its pushes from
 * here: each tick reads a changed aggregate once from the engine, encodes it once, and hands the
 * same {@link SharedFrame} to every loop that has subscribers of that audience, so the cost of a
 * change does not grow with the event loops (nor with the sessions). An audience without
 * subscribers on this node costs nothing: its aggregates are neither marked dirty nor read.
 *
 * <p>Threading: every field is touched only on {@link #home}, the context of the event loop whose
 * session made the node serve the stage. Event loops talk to it only by hopping there
 * ({@code home.runOnContext}); it talks to them only by hopping to their {@link StageRoom}'s
 * context, so their sessions and subscriber sets stay touched by their own loop alone. Hops from
 * one context to another run in the order they were made, which is what keeps a loop's view of
 * definitions and pushes in the read model's order.
 *
 * <p>Lifecycle: created (in {@link ReadModels}) by a stage's first local subscriber; it asks the
 * engine to {@linkplain org.plenum.engine.Engine#watchStage watch} the stage before its first load;
 * when the last local subscriber has left it reports a zero presence, unwatches and is dropped.
 */
public final class StageReadModel {
  private static final Logger LOG = Logger.getLogger(StageReadModel.class.getName());
  /**
   * Most polls, word clouds and talks a {@code joined} snapshot carries (the newest polls and
   * clouds; the programme's first talks): a join never buys an unbounded answer.
   */
  public static final int SNAPSHOT_LIST_LIMIT = 200;
  /** Presence reports expire unless refreshed, so a crashed node's sessions disappear. */
  static final long PRESENCE_TTL_MS = 15_000;
  static final long PRESENCE_HEARTBEAT_MS = 5_000;
  /** Counts that changed are reported at most this often; the deployment-wide sum is re-read as often. */
  static final long PRESENCE_INTERVAL_MS = 1_000;
  /** How often the model looks whether a new sampling interval has begun (its first second is sampled). */
  static final long SAMPLE_CHECK_MS = 1_000;

  /** Refused: the read model was dropped before a join reached it; the caller asks for a fresh one. */
  static final class Closed extends RuntimeException {
    Closed() {
      super("read model closed", null, false, false);
    }
  }

  final Context home;
  /** Final, so loops may name the stage without touching the model's state. */
  private final String stageId;
  private final ReadModels models;

  Stage stage;
  /** The stage's event's word blocklist (defaults plus the organiser's words), kept current by STAGE changes. */
  Blocklist blocklist = new Blocklist(List.of());
  final Map<String, Poll> polls = new LinkedHashMap<>();
  final Map<String, WordCloud> clouds = new LinkedHashMap<>();
  final Map<String, PostView> posts = new LinkedHashMap<>();
  /** The stage's programme in order, kept current by TALKS changes. */
  List<org.plenum.stage.Talk> talks = List.of();
  /** What the stage's screens show, kept current by PRESENTATION changes. */
  org.plenum.stage.Presentation presentation = org.plenum.stage.Presentation.AUTO;
  final Map<Audience, Map<String, Long>> dirtySince = new EnumMap<>(Audience.class);
  final Map<Audience, Map<String, Long>> pushedVersion = new EnumMap<>(Audience.class);
  final Map<Audience, Map<String, SharedFrame>> lastFrame = new EnumMap<>(Audience.class);
  final Map<Audience, Boolean> tickBusy = new EnumMap<>(Audience.class);
  final Map<Audience, ReactionTotals> lastReactions = new EnumMap<>(Audience.class);
  final Map<Audience, Long> lastReactionsAt = new EnumMap<>(Audience.class);
  Future<Void> loaded;
  /** The engine's watch of the stage: asked once for this model, and again only if it failed. */
  private Future<Void> watched;
  /** The loops that have been sent the definitions their copy starts from. */
  private final java.util.Set<StageRoom> defined = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  Future<Void> definitionUpdates = Future.succeededFuture();

  /** The loops served, each with its sessions per audience (indexed by {@link Audience#ordinal()}). */
  private final Map<StageRoom, int[]> loops = new IdentityHashMap<>();
  private final int[] sessions = new int[Audience.values().length];
  /** Audience sessions per participant on this node, per role (viewer, presenter): people count once. */
  private final Map<String, int[]> people = new HashMap<>();
  private long viewers;
  private long presenters;
  private long moderators;
  /** Of the viewers, those counted as joined from the hall link and from the stream link. */
  private long viewersHall;
  private long viewersStream;
  /** The start (epoch ms) of the last sampling interval this node sampled the stage's presence for. */
  private long sampledInterval = Long.MIN_VALUE;
  private boolean presenceReportDue;
  private long lastReportAt = Long.MIN_VALUE / 2;
  private long presenceDirtySince;
  private Presence lastPresence;
  private final List<Long> timers = new ArrayList<>();
  private boolean closed;
  /** The stage was deleted: its sessions are being closed; nothing more is reported for it. */
  private boolean deleted;
  /** The node is stopping and has withdrawn its report: nothing but the final zero is reported. */
  private boolean withdrawn;

  StageReadModel(ReadModels models, Stage stage, Context home) {
    this.models = models;
    this.stage = stage;
    this.stageId = stage.id();
    this.home = home;
    for (Audience a : Audience.values()) {
      dirtySince.put(a, new LinkedHashMap<>());
      pushedVersion.put(a, new HashMap<>());
      lastFrame.put(a, new HashMap<>());
      tickBusy.put(a, false);
    }
  }

  public String stageId() {
    return stageId;
  }

  ReadModels models() {
    return models;
  }

  /** Starts the ticks; on {@link #home}. */
  void start(int moderatorTickMs, int viewerTickMs) {
    Vertx vertx = home.owner();
    timers.add(vertx.setPeriodic(moderatorTickMs, id -> tick(Audience.MODERATORS)));
    timers.add(vertx.setPeriodic(viewerTickMs, id -> tick(Audience.AUDIENCE)));
    timers.add(vertx.setPeriodic(PRESENCE_HEARTBEAT_MS, id -> presenceReportDue = true));
    timers.add(vertx.setPeriodic(SAMPLE_CHECK_MS, id -> sample()));
    // other nodes' counts are not announced: the sum is re-read while moderators here show it
    timers.add(vertx.setPeriodic(PRESENCE_INTERVAL_MS, id -> {
      if (moderators > 0 && presenceDirtySince == 0) {
        presenceDirtySince = System.nanoTime();
      }
    }));
  }

  // ---- the loops' sessions -------------------------------------------------------------------

  /**
   * A session on {@code room}'s loop entered: counted, and the stage loaded on first use. Pushes
   * for its audience go to that loop from now on. Completes (on {@link #home}) with the
   * definitions the loop's cache starts from, or null if the loop has them already; fails with
   * {@link Closed} if this model was dropped.
   */
  Future<StageRoom.Definitions> attach(StageRoom room, Role role, String participantId) {
    return attach(room, role, participantId, org.plenum.stage.JoinSource.OTHER);
  }

  /** As above, for a session that joined from {@code source} (viewers are counted by the source of their first session). */
  Future<StageRoom.Definitions> attach(StageRoom room, Role role, String participantId, org.plenum.stage.JoinSource source) {
    if (closed) {
      return Future.failedFuture(new Closed());
    }
    Audience audience = Audience.of(role);
    loops.computeIfAbsent(room, r -> new int[Audience.values().length])[audience.ordinal()]++;
    if (sessions[audience.ordinal()]++ == 0 && loaded != null) {
      // the audience had nobody here, so nothing was read for it: its reactions since the last
      // push are not one burst; the joining session's snapshot sets the new starting point
      lastReactions.remove(audience);
      lastReactionsAt.remove(audience);
    }
    if (role == Role.MODERATOR) {
      moderators++;
    } else {
      int[] own = people.computeIfAbsent(participantId, k -> new int[3]);
      // presence counts people, not sockets: only a participant's first session of a role counts
      if (own[roleIndex(role)]++ == 0) {
        count(role, +1);
        if (role == Role.VIEWER) {
          own[2] = source.ordinal(); // [2]: the join source the viewer is counted under
          countSource(source, +1);
        }
      }
    }
    presenceReportDue = true;
    if (watched == null || watched.failed()) {
      watched = onHome(models.engine.watchStage(stage.id()));
    }
    if (loaded == null || loaded.failed()) {
      loaded = watched.compose(v -> models.load(this));
    }
    // a loop's copy starts once; what changes later reaches every served loop (toLoops)
    return loaded.map(v -> defined.add(room) ? definitions() : null);
  }

  /** The session entered as {@code participantId} left {@code room}'s loop. */
  void detach(StageRoom room, Role role, String participantId) {
    int[] counts = loops.get(room);
    Audience audience = Audience.of(role);
    if (closed || counts == null || counts[audience.ordinal()] == 0) {
      return;
    }
    counts[audience.ordinal()]--;
    sessions[audience.ordinal()]--;
    if (counts[0] == 0 && counts[1] == 0) {
      loops.remove(room);
      defined.remove(room);
    }
    if (role == Role.MODERATOR) {
      moderators--;
    } else {
      int[] own = people.get(participantId);
      if (own != null && own[roleIndex(role)] > 0 && --own[roleIndex(role)] == 0) {
        count(role, -1);
        if (role == Role.VIEWER) {
          countSource(org.plenum.stage.JoinSource.values()[own[2]], -1);
        }
        if (own[0] == 0 && own[1] == 0) {
          people.remove(participantId);
        }
      }
    }
    presenceReportDue = true;
    if (loops.isEmpty()) {
      close();
    }
  }

  private static int roleIndex(Role role) {
    return role == Role.PRESENTER ? 1 : 0;
  }

  private void count(Role role, int delta) {
    if (role == Role.VIEWER) {
      viewers += delta;
    } else if (role == Role.PRESENTER) {
      presenters += delta;
    }
  }

  private void countSource(org.plenum.stage.JoinSource source, int delta) {
    if (source == org.plenum.stage.JoinSource.HALL) {
      viewersHall += delta;
    } else if (source == org.plenum.stage.JoinSource.STREAM) {
      viewersStream += delta;
    }
  }

  private void close() {
    closed = true;
    timers.forEach(home.owner()::cancelTimer);
    timers.clear();
    // report the zero now: no tick will report it later (a deleted stage gets no report: nothing of it is stored)
    if (!deleted) {
      models.engine.reportPresence(models.nodeId, stage.id(), Presence.NONE, PRESENCE_TTL_MS);
    }
    if (watched != null) {
      String stageId = stage.id();
      watched.onSuccess(v -> models.engine.unwatchStage(stageId)); // one unwatch per watch that took
    }
    models.dropped(this);
  }

  boolean isClosed() {
    return closed;
  }

  /** Sessions of an audience on this node, over all its loops. */
  int sessions(Audience audience) {
    return sessions[audience.ordinal()];
  }

  Presence localPresence() {
    return new Presence(viewers, moderators, presenters, viewersHall, viewersStream);
  }

  private StageRoom.Definitions definitions() {
    return new StageRoom.Definitions(stage, blocklist, Map.copyOf(polls), Map.copyOf(clouds), Map.copyOf(posts));
  }

  /** Runs {@code update} on every served loop, on the loop's own context. */
  void toLoops(Consumer<StageRoom> update) {
    loops.keySet().forEach(room -> room.context.runOnContext(v -> update.accept(room)));
  }

  /** Runs {@code update} on every loop that has sessions of {@code audience}, on the loop's own context. */
  void toLoops(Audience audience, Consumer<StageRoom> update) {
    loops.forEach((room, counts) -> {
      if (counts[audience.ordinal()] > 0) {
        room.context.runOnContext(v -> update.accept(room));
      }
    });
  }

  // ---- versions --------------------------------------------------------------------------------

  /** The newest frame pushed to an audience for an aggregate. */
  public SharedFrame lastFrame(Audience audience, String aggregate) {
    return lastFrame.get(audience).get(aggregate);
  }

  public long pushedVersion(Audience audience, String aggregate) {
    return pushedVersion.get(audience).getOrDefault(aggregate, -1L);
  }

  /** Records a version an audience received inside another message (e.g. results within a poll push). */
  void rememberIfNewer(Audience audience, String aggregate, long version, Supplier<SharedFrame> frame) {
    if (version > pushedVersion(audience, aggregate)) {
      pushed(audience, aggregate, version, frame.get());
    }
  }

  void pushed(Audience audience, String aggregate, long version, SharedFrame frame) {
    pushedVersion.get(audience).put(aggregate, version);
    lastFrame.get(audience).put(aggregate, frame);
  }

  void markDirty(Audience audience, String aggregate, long nowNanos) {
    if (sessions(audience) > 0) {
      dirtySince.get(audience).putIfAbsent(aggregate, nowNanos);
    }
  }

  void markDirty(String aggregate, long nowNanos) {
    for (Audience a : Audience.values()) {
      markDirty(a, aggregate, nowNanos);
    }
  }

  /** Polls a role may see: moderators all, others everything but drafts. */
  List<Poll> pollsFor(Role role) {
    List<Poll> out = new ArrayList<>();
    for (Poll p : polls.values()) {
      if (role == Role.MODERATOR || p.isPublic()) {
        out.add(p);
      }
    }
    return out;
  }

  List<WordCloud> cloudsFor(Role role) {
    List<WordCloud> out = new ArrayList<>();
    for (WordCloud c : clouds.values()) {
      if (role == Role.MODERATOR || c.isPublic()) {
        out.add(c);
      }
    }
    return out;
  }

  /** The last {@link #SNAPSHOT_LIST_LIMIT} items of a list in creation order. */
  static <T> List<T> newest(List<T> all) {
    return all.size() <= SNAPSHOT_LIST_LIMIT ? all : all.subList(all.size() - SNAPSHOT_LIST_LIMIT, all.size());
  }

  // ---- changes ---------------------------------------------------------------------------------

  /** A change of this stage announced by the engine (local or from another node); on {@link #home}. */
  void onChange(Change change) {
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    switch (change.kind()) {
      case RESULTS -> markDirty(PollFeed.PREFIX + ":" + change.id(), now);
      case CLOUD_RESULTS -> markDirty(CloudFeed.PREFIX + ":" + change.id(), now);
      case POST -> markDirty(PostFeed.PREFIX + ":" + change.id(), now);
      case REACTIONS -> markDirty(ReactionFeed.PREFIX + ":", now);
      case PRESENCE -> {
        if (presenceDirtySince == 0) {
          presenceDirtySince = now;
        }
      }
      case POLL -> chain(() -> models.polls.reload(this, change.id()));
      case CLOUD -> chain(() -> models.clouds.reload(this, change.id()));
      case STAGE -> chain(this::reloadStage);
      case TALKS -> chain(() -> models.talks.reload(this));
      case PRESENTATION -> chain(() -> models.presentations.reload(this));
      case RESYNC -> resync();
      case MODERATOR -> { } // the gateways close the revoked moderator's sessions
      case POLL_DELETED -> removePoll(change.id());
      case CLOUD_DELETED -> removeCloud(change.id());
      case ORDER -> chain(this::reloadOrder);
      case STAGE_DELETED -> { // the gateways close the sessions; the model closes with the last
        deleted = true;
        withdrawn = true; // no presence report recreates what the deletion removed
      }
      case STAGE_RESET -> reset();
      case LEADERBOARD -> markDirty(LeaderboardFeed.PREFIX + ":", now);
    }
  }

  /**
   * Changes may have been missed (the engine recovered from an outage): every aggregate is marked
   * dirty, so the next ticks re-read it and push whatever is newer than what each audience has;
   * definitions that differ from the cache are reloaded and pushed; posts not seen yet are read too.
   * What did not change is not pushed again.
   */
  void resync() {
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    polls.keySet().forEach(id -> markDirty(PollFeed.PREFIX + ":" + id, now));
    clouds.keySet().forEach(id -> markDirty(CloudFeed.PREFIX + ":" + id, now));
    posts.keySet().forEach(id -> markDirty(PostFeed.PREFIX + ":" + id, now));
    markDirty(ReactionFeed.PREFIX + ":", now);
    markDirty(LeaderboardFeed.PREFIX + ":", now);
    presenceReportDue = true;
    presenceDirtySince = now;
    chain(this::refreshDefinitions);
  }

  private Future<Void> refreshDefinitions() {
    var engine = models.engine;
    String stageId = stage.id();
    Future<Void> polled = engine.polls(stageId).compose(found -> Future.join(found.stream()
        .filter(p -> !p.equals(polls.get(p.id())))
        .map(p -> models.polls.reload(this, p.id())).toList()).mapEmpty());
    Future<Void> clouded = engine.clouds(stageId).compose(found -> Future.join(found.stream()
        .filter(c -> !c.equals(clouds.get(c.id())))
        .map(c -> models.clouds.reload(this, c.id())).toList()).mapEmpty());
    Future<Void> posted = engine.posts(stageId).map(found -> {
      long now = System.nanoTime();
      found.stream().filter(v -> !posts.containsKey(v.post().id()))
          .forEach(v -> markDirty(PostFeed.PREFIX + ":" + v.post().id(), now));
      return null;
    });
    Future<Void> staged = engine.stage(stageId).compose(found -> found.isPresent() && !found.get().equals(stage)
        ? reloadStage() : Future.succeededFuture());
    Future<Void> programmed = engine.talks(stageId).compose(found -> found.equals(talks)
        ? Future.succeededFuture() : models.talks.reload(this));
    Future<Void> presented = models.presentations.reload(this);
    return Future.join(java.util.List.of(polled, clouded, posted, staged, programmed, presented)).mapEmpty();
  }

  /** Definition reloads run one after another, so the last reload wins. */
  private void chain(Supplier<Future<Void>> reload) {
    definitionUpdates = definitionUpdates.transform(ignored -> reload.get().recover(err -> {
      LOG.log(Level.WARNING, "could not reload a definition of stage " + stage.id(), err);
      return Future.succeededFuture();
    }));
  }

  Future<Void> loadBlocklist() {
    return models.engine.event(stage.eventId()).map(event -> {
      blocklist = new Blocklist(event.map(e -> e.blockedWords()).orElse(List.of()));
      return null;
    });
  }

  /** The stage's settings or its event's blocklist changed. */
  private Future<Void> reloadStage() {
    models.metrics.readModelRead("stage");
    return loadBlocklist().compose(v -> models.engine.stage(stage.id())).map(found -> {
      found.ifPresent(fresh -> {
        stage = fresh;
        Blocklist words = blocklist;
        toLoops(room -> room.restage(fresh, words));
        SharedFrame frame = models.encode(ServerMessages.stage(fresh));
        models.fanout.write(this, Audience.MODERATORS, frame, "stage");
        models.fanout.write(this, Audience.AUDIENCE, frame, "stage");
      });
      return null;
    });
  }

  // ---- organiser control ----------------------------------------------------------------------

  /** A poll was deleted: forgotten here and on every loop, and every audience that could see it is told. */
  private void removePoll(String pollId) {
    Poll gone = polls.remove(pollId);
    toLoops(room -> room.removePoll(pollId));
    forget(PollFeed.PREFIX + ":" + pollId);
    SharedFrame frame = models.encode(ServerMessages.removed(stageId, "poll", pollId));
    models.fanout.write(this, Audience.MODERATORS, frame, "poll:" + pollId);
    if (gone == null || gone.isPublic()) {
      models.fanout.write(this, Audience.AUDIENCE, frame, "poll:" + pollId);
    }
  }

  private void removeCloud(String cloudId) {
    WordCloud gone = clouds.remove(cloudId);
    toLoops(room -> room.removeCloud(cloudId));
    forget(CloudFeed.PREFIX + ":" + cloudId);
    SharedFrame frame = models.encode(ServerMessages.removed(stageId, "cloud", cloudId));
    models.fanout.write(this, Audience.MODERATORS, frame, "cloud:" + cloudId);
    if (gone == null || gone.isPublic()) {
      models.fanout.write(this, Audience.AUDIENCE, frame, "cloud:" + cloudId);
    }
  }

  /** Drops what was pushed of an aggregate that no longer exists. */
  private void forget(String aggregate) {
    for (Audience a : Audience.values()) {
      dirtySince.get(a).remove(aggregate);
      pushedVersion.get(a).remove(aggregate);
      lastFrame.get(a).remove(aggregate);
    }
  }

  /** The stage's polls and clouds were reordered: the caches take the engine's order and every audience is told. */
  private Future<Void> reloadOrder() {
    return models.engine.polls(stageId).compose(ps -> models.engine.clouds(stageId).map(cs -> {
      polls.clear();
      ps.forEach(p -> polls.put(p.id(), p));
      clouds.clear();
      cs.forEach(c -> clouds.put(c.id(), c));
      List<String> pollIds = new ArrayList<>();
      List<String> publicPolls = new ArrayList<>();
      ps.forEach(p -> {
        pollIds.add(p.id());
        if (p.isPublic()) {
          publicPolls.add(p.id());
        }
      });
      List<String> cloudIds = new ArrayList<>();
      List<String> publicClouds = new ArrayList<>();
      cs.forEach(c -> {
        cloudIds.add(c.id());
        if (c.isPublic()) {
          publicClouds.add(c.id());
        }
      });
      models.fanout.write(this, Audience.MODERATORS, models.encode(ServerMessages.order(stageId, pollIds, cloudIds)), "order");
      models.fanout.write(this, Audience.AUDIENCE, models.encode(ServerMessages.order(stageId, publicPolls, publicClouds)),
          "order");
      return null;
    }));
  }

  /**
   * The stage was reset: the gateways close its sessions (4205) so clients rejoin; whoever is still
   * here or joins next is served from caches read afresh, with nothing of the rehearsal pushed.
   */
  private void reset() {
    posts.clear();
    toLoops(StageRoom::clearPosts);
    for (Audience a : Audience.values()) {
      dirtySince.get(a).clear();
      lastReactions.remove(a);
      lastReactionsAt.remove(a);
    }
    chain(this::refreshDefinitions);
  }

  // ---- joins -----------------------------------------------------------------------------------

  /**
   * A joining session's snapshot: every feed's part, for its role and participant, with the
   * version of each aggregate it shows ({@code shown}), and among those the versions its audience
   * has not been pushed yet ({@code ahead}): a later push of one of those may carry the same version.
   */
  record Snapshot(JsonObject parts, Map<String, Long> shown, Map<String, Long> ahead) {}

  /**
   * Builds a joining session's snapshot. Every read of an aggregate the ticks made before this
   * snapshot's read of it is answered before it (the engine answers in order), so its push has
   * been handed to the loops before the snapshot is; later reads see at least the snapshot's version.
   */
  Future<Snapshot> snapshot(Role role, String participantId) {
    models.metrics.readModelRead("snapshot");
    JsonObject joined = new JsonObject();
    List<Future<Void>> parts = new ArrayList<>();
    models.feeds().forEach(f -> parts.add(f.snapshot(this, role, participantId, joined)));
    Audience audience = Audience.of(role);
    return Future.all(parts).map(all -> {
      Map<String, Long> shown = shownVersions(joined);
      Map<String, Long> ahead = new HashMap<>();
      shown.forEach((aggregate, version) -> {
        if (version > pushedVersion(audience, aggregate)) {
          ahead.put(aggregate, version);
        }
      });
      return new Snapshot(joined, shown, ahead);
    });
  }

  /** The versions a snapshot shows, by aggregate key (as the feeds name them). */
  static Map<String, Long> shownVersions(JsonObject snapshot) {
    Map<String, Long> shown = new HashMap<>();
    each(snapshot.getJsonArray("polls"), entry -> {
      JsonObject results = entry.getJsonObject("results");
      if (results != null) {
        shown.put(PollFeed.PREFIX + ":" + results.getString("pollId"), results.getLong("version"));
      }
    });
    each(snapshot.getJsonArray("clouds"), entry -> {
      JsonObject results = entry.getJsonObject("results");
      JsonObject cloud = entry.getJsonObject("cloud");
      if (results != null && cloud != null && results.getValue("version") != null) {
        shown.put(CloudFeed.PREFIX + ":" + cloud.getString("id"), results.getLong("version"));
      }
    });
    each(snapshot.getJsonArray("posts"), post ->
        shown.put(PostFeed.PREFIX + ":" + post.getString("id"), post.getLong("version")));
    JsonObject reactions = snapshot.getJsonObject("reactions");
    if (reactions != null && reactions.getValue("version") != null) {
      shown.put(ReactionFeed.PREFIX, reactions.getLong("version"));
    }
    return shown;
  }

  private static void each(io.vertx.core.json.JsonArray array, Consumer<JsonObject> action) {
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        action.accept(array.getJsonObject(i));
      }
    }
  }

  Future<JsonObject> postsPage(Role role, String participantId, String before, int limit) {
    JsonObject page = new JsonObject();
    return models.posts.page(this, role, participantId, before, limit, page).map(page);
  }

  /** Reports this node's counts right away and returns the deployment-wide sum. */
  Future<Presence> presenceNow() {
    presenceReportDue = false;
    lastReportAt = System.nanoTime();
    String stageId = stage.id();
    Future<Void> reported = withdrawn ? Future.succeededFuture()
        : models.engine.reportPresence(models.nodeId, stageId, localPresence(), PRESENCE_TTL_MS);
    return reported.compose(v -> models.engine.presence(stageId));
  }

  /** The node is stopping: its sessions leave the deployment-wide sum now (see {@link Hub#stop}). */
  Future<Void> withdrawPresence() {
    withdrawn = true;
    presenceReportDue = false;
    return models.engine.reportPresence(models.nodeId, stage.id(), Presence.NONE, PRESENCE_TTL_MS);
  }

  // ---- ticks -----------------------------------------------------------------------------------

  private void tick(Audience audience) {
    if (closed) {
      return;
    }
    if (audience == Audience.MODERATORS) {
      presence();
    }
    Map<String, Long> due = dirtySince.get(audience);
    if (sessions(audience) == 0) {
      due.clear(); // nobody here to show it to
      return;
    }
    if (tickBusy.get(audience) || due.isEmpty()) {
      return;
    }
    tickBusy.put(audience, true);
    Map<String, Long> dirty = new LinkedHashMap<>(due);
    due.clear();
    List<Future<Void>> pushes = new ArrayList<>(dirty.size());
    dirty.forEach((aggregate, since) -> pushes.add(push(audience, aggregate, since)));
    Future.join(pushes).onComplete(done -> tickBusy.put(audience, false));
  }

  private Future<Void> push(Audience audience, String aggregate, long since) {
    int colon = aggregate.indexOf(':');
    Feed feed = models.feed(aggregate.substring(0, colon));
    Future<Void> pushed;
    try {
      pushed = feed.push(this, audience, aggregate.substring(colon + 1), since);
    } catch (RuntimeException e) {
      pushed = Future.failedFuture(e);
    }
    return pushed.recover(err -> {
      // the engine is unreachable: keep the aggregate dirty so the next tick tries again
      markDirty(audience, aggregate, since);
      return Future.succeededFuture();
    });
  }

  /**
   * Reports this node's counts when they changed (at most once a second, and on the heartbeat),
   * and pushes the deployment-wide sum to moderators when it may have changed.
   */
  private void presence() {
    String stageId = stage.id();
    long now = System.nanoTime();
    if (presenceReportDue && !withdrawn && now - lastReportAt >= PRESENCE_INTERVAL_MS * 1_000_000) {
      presenceReportDue = false;
      lastReportAt = now;
      models.engine.reportPresence(models.nodeId, stageId, localPresence(), PRESENCE_TTL_MS)
          .onFailure(err -> presenceReportDue = true);
    }
    if (presenceDirtySince != 0 && moderators > 0) {
      presenceDirtySince = 0;
      models.engine.presence(stageId).onSuccess(p -> {
        if (!closed && !p.equals(lastPresence)) {
          lastPresence = p;
          models.fanout.write(this, Audience.MODERATORS, models.encode(ServerMessages.presence(stageId, p)), "presence");
        }
      });
    }
  }

  /**
   * The presence sample of the interval that has begun, once per interval per node: every node serving
   * the stage offers the deployment-wide sum it reads, and the engine keeps the first offer
   * ({@link org.plenum.engine.StatisticsStore#recordSample}), so the stage has one sample per interval.
   * Intervals are aligned to the epoch, so the nodes name them alike. A stage no node serves (nobody
   * connected) gets no sample: a missing interval means nobody was there.
   */
  private void sample() {
    long intervalMs = models.sampleSeconds * 1000L;
    long interval = Math.floorDiv(System.currentTimeMillis(), intervalMs) * intervalMs;
    if (closed || interval == sampledInterval) {
      return;
    }
    sampledInterval = interval;
    String stageId = stage.id();
    models.engine.presence(stageId)
        .compose(p -> models.engine.recordSample(stageId,
            new org.plenum.stage.PresenceSample(java.time.Instant.ofEpochMilli(interval), p)))
        .onFailure(err -> LOG.fine("presence sample of " + stageId + " not recorded: " + err));
  }

  /** Completes on {@link #home}, whichever thread completes {@code future}. */
  private <T> Future<T> onHome(Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> {
      if (Vertx.currentContext() == home) {
        promise.handle(result);
      } else {
        home.runOnContext(v -> promise.handle(result));
      }
    });
    return promise.future();
  }
}
