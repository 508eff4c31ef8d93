package org.plenum.engine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.RefusalTexts;
import org.plenum.stage.Ballot;
import org.plenum.stage.CloudResults;
import org.plenum.stage.Event;
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;
import org.plenum.stage.PollTally;
import org.plenum.stage.PostTally;
import org.plenum.stage.Post;
import org.plenum.stage.PostView;
import org.plenum.stage.Presence;
import org.plenum.stage.Presentation;
import org.plenum.stage.ReactionMinute;
import org.plenum.stage.ReactionTotals;
import org.plenum.stage.Stage;
import org.plenum.stage.WordCloud;

/**
 * The embedded single-node engine. All state lives on one Vert.x context (no locks); every change
 * is appended to a {@link Journal} and acknowledged only once it is on disk, so a restart loses
 * nothing. With no data directory it keeps everything in memory only (tests, throw-away demos).
 *
 * <p>Changes are applied in memory when they are journalled, before the write is durable; if the
 * write fails, every change of the failed writes is rolled back by rebuilding the state from disk
 * (snapshot + journal tail), the engine reports itself not ready and refuses changes with
 * {@code unavailable} until a probe write succeeds (see docs/operations.md). Periodic snapshots
 * bound the tail replayed at start; see {@link DataDir} for the files.
 */
final class MemoryEngine implements Engine {
  private final MemoryStatistics statistics = new MemoryStatistics();
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(MemoryEngine.class.getName());
  /** Journal records applied per event-loop task at start. */
  private static final int REPLAY_SLICE = 10_000; // each action record also feeds the statistics
  /** Snapshot entries (ballots, contributors, ids...) serialised per event-loop task. */
  private static final int SNAPSHOT_SLICE = 20_000;
  private static final long PROBE_EVERY_MS = 1000;
  private static final long SWEEP_EVERY_MS = 60_000;

  /**
   * @param actionIdWindow        action ids remembered per participant per stage
   * @param actionIdTtlMillis     and for at most this long
   * @param snapshotEveryRecords  a snapshot is taken once the tail holds this many records
   * @param snapshotEveryBytes    or once the current journal generation is this large
   * @param snapshotAfterDeleteMillis a deleted post's text leaves the disk at most this long after
   */
  record Options(int actionIdWindow, long actionIdTtlMillis, long snapshotEveryRecords, long snapshotEveryBytes,
                 long snapshotAfterDeleteMillis) {
    static Options withTtl(long actionIdTtlMillis) {
      return new Options(256, actionIdTtlMillis, 50_000, 64L << 20, 60_000);
    }
  }

  private final Vertx vertx;
  private final Confinement confinement;
  private final DataDir dataDir;
  private final boolean fsync;
  private final Options options;
  private final org.plenum.metrics.PlenumMetrics metrics;
  private Journal journal;

  private byte[] secret;
  private final Map<String, Event> events = new LinkedHashMap<>();
  private final Map<String, Stage> stages = new LinkedHashMap<>();
  private final Map<String, String> stageIdByCode = new HashMap<>();
  private final Map<String, Map<String, Poll>> pollsByStage = new HashMap<>();
  private final Map<String, Tally> tallies = new HashMap<>();
  private final ActionWindows windows;
  private final Map<String, Map<String, Report>> presence = new HashMap<>();
  private final Map<String, Map<String, WordCloud>> cloudsByStage = new HashMap<>();
  /** By "stage/cloud". */
  private final Map<String, CloudTally> cloudTallies = new HashMap<>();
  private final Map<String, Map<String, PostEntry>> postsByStage = new HashMap<>();
  /** By "stage/participant": the ids of the posts the participant upvotes. */
  private final Map<String, Set<String>> upvoted = new HashMap<>();
  private final Map<String, ReactionTally> reactions = new HashMap<>();
  private final Map<String, Map<String, org.plenum.stage.Talk>> talksByStage = new HashMap<>();
  /** Per stage the participants a moderator muted. */
  private final Map<String, Set<String>> mutedByStage = new HashMap<>();
  /** Per stage what its screens show; stages showing the default (auto) have no entry. */
  private final Map<String, Presentation> presentations = new HashMap<>();
  /** The talks' feedback surveys (issue 12). */
  private final MemorySurveys surveys = new MemorySurveys();
  /** Per stage the quiz standings and nicknames. */
  private final MemoryQuiz quiz = new MemoryQuiz();
  private final Map<String, org.plenum.stage.ModeratorAccess> moderators = new LinkedHashMap<>();
  /** Moderator id by token hash. */
  private final Map<String, String> moderatorByHash = new HashMap<>();
  private boolean started;
  private final java.util.Set<Change> unannounced = new java.util.LinkedHashSet<>();
  private boolean announcing;

  /** False from a failed journal write until a probe write succeeds: changes are refused meanwhile. */
  private boolean healthy = true;
  /** While the state is rebuilt from disk after a failed write: every call waits for it. */
  private Future<Void> rebuilding;
  private boolean needsRebuild;
  /** Grows with every failed write: a snapshot begun before it is abandoned. */
  private long failures;
  private boolean snapshotting;
  private long tailStartLsn;
  private long nextSnapshotAttemptAt;
  private long deleteSnapshotTimer = -1;
  private final java.util.concurrent.atomic.AtomicLong tailRecords = new java.util.concurrent.atomic.AtomicLong();
  private long probeTimer = -1;
  private long sweepTimer = -1;

  /** A poll's counts (the rules are {@link PollTally}'s) and the sequence number of the last journal record applied. */
  private static final class Tally extends PollTally {
    /** Sequence number of the last journal record applied (see {@link Journal}). */
    long lsn;
  }

  private record Report(Presence presence, long expiresAt) {}

  /**
   * @param journalPath the legacy journal file: its directory is the data directory; null keeps
   *                    state in memory only
   */
  MemoryEngine(Vertx vertx, Context owner, String journalPath, boolean fsync, long actionIdTtlMillis) {
    this(vertx, owner, journalPath == null ? null : java.nio.file.Path.of(journalPath).toAbsolutePath().getParent(),
        fsync, Options.withTtl(actionIdTtlMillis), new org.plenum.metrics.PlenumMetrics());
  }

  MemoryEngine(Vertx vertx, Context owner, java.nio.file.Path dataDir, boolean fsync, Options options,
               org.plenum.metrics.PlenumMetrics metrics) {
    this.vertx = vertx;
    this.confinement = new Confinement(owner);
    this.dataDir = dataDir == null ? null : new DataDir(dataDir);
    this.fsync = fsync;
    this.options = options;
    this.metrics = metrics;
    this.windows = new ActionWindows(options.actionIdWindow(), options.actionIdTtlMillis());
    metrics.memoryEngineGauges(tailRecords::get);
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public boolean isReady() {
    return started && healthy && rebuilding == null;
  }

  /** The context this engine's state belongs to: every call must come in there ({@link ConfinedEngine}). */
  Context owner() {
    return confinement.owner();
  }

  @Override
  public Future<Void> start() {
    return onOwner(() -> {
      Future<Void> loaded;
      if (dataDir == null) {
        secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        loaded = Future.succeededFuture();
      } else {
        long began = System.nanoTime();
        loaded = vertx.executeBlocking(() -> {
          DataDir.Loaded l = dataDir.load();
          return new Object[] {l, dataDir.secret(l.legacySecret())};
        }, false).compose(both -> {
          DataDir.Loaded l = (DataDir.Loaded) both[0];
          secret = (byte[]) both[1];
          long read = System.nanoTime();
          return restore(l).map(v -> {
            LOG.info(String.format("data directory %s: snapshot of %,d lines and journal tail of %,d records read in %d ms,"
                    + " applied in %d ms", dataDir.path(), l.snapshot().size(), l.tail().size(),
                (read - began) / 1_000_000, (System.nanoTime() - read) / 1_000_000));
            if (l.legacySecret() != null) {
              nextSnapshotAttemptAt = 0;
              tailStartLsn = Long.MIN_VALUE / 2; // the old journal holds the secret: compact it away now
            }
            return null;
          });
        });
      }
      return loaded.onSuccess(v -> {
        started = true;
        if (compactionOwed) { // a deletion or reset in the tail: its data may still be in older files
          compactionOwed = false;
          confinement.owner().runOnContext(x -> compactNow());
        }
        sweepTimer = vertx.setPeriodic(SWEEP_EVERY_MS, id -> confinement.owner().runOnContext(
            x -> windows.sweep(System.currentTimeMillis())));
        maybeSnapshot();
      });
    });
  }

  /** Reads state from what {@link DataDir#load} found and opens the journal after it. */
  private Future<Void> restore(DataDir.Loaded l) {
    return replayInSlices(l.snapshot(), 0, -1, this::restoreSnapshotLine)
        .compose(v -> replayInSlices(l.tail(), 0, l.tailLsn(), null))
        .compose(v -> {
          tailStartLsn = l.tailLsn();
          tailRecords.set(l.tail().size());
          metrics.tailReplayed(l.tail().size());
          if (journal == null) {
            journal = new Journal(vertx, dataDir, fsync, this::onJournalFailure);
            return journal.open(l.lastGeneration(), l.lastGenerationLength(), l.tailLsn() + l.tail().size(),
                l.lastGenerationRecords()).onSuccess(opened -> {
                  if (l.lastGenerationRecords() == 0) {
                    journalSchema();
                  }
                });
          }
          return Future.succeededFuture();
        });
  }

  @Override
  public Future<Void> stop() {
    return onOwner(() -> {
      started = false;
      for (long timer : new long[] {probeTimer, sweepTimer, deleteSnapshotTimer}) {
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
      }
      // a snapshot under way finishes first: its rotation already moved the tail to a new generation
      return journal == null ? Future.succeededFuture() : snapshotRunning.transform(x -> journal.close());
    });
  }

  @Override
  public Future<byte[]> tokenSecret() {
    return call(() -> Future.succeededFuture(secret));
  }

  /** Runs {@code work} (on the engine's context) once the state is whole (not mid-rebuild). */
  private <T> Future<T> call(java.util.function.Supplier<Future<T>> work) {
    return onOwner(() -> {
      Future<Void> gate = rebuilding;
      return gate == null ? work.get() : gate.transform(x -> work.get());
    });
  }

  /**
   * The engine does not hop contexts itself: {@link ConfinedEngine} brings every call to the
   * owner ({@link Engines} wraps it). A call from anywhere else is a bug, caught here with -ea.
   */
  private <T> Future<T> onOwner(java.util.function.Supplier<Future<T>> work) {
    assert Vertx.currentContext() == confinement.owner()
        : "MemoryEngine called off its context (" + Vertx.currentContext() + "): wrap it in a ConfinedEngine";
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Like {@link #call}, for a change: refused with a retryable {@code unavailable} while writes fail. */
  private <T> Future<T> mutate(java.util.function.Supplier<Future<T>> work) {
    return call(() -> healthy && rebuilding == null ? work.get()
        : refuse(ErrorCode.UNAVAILABLE));
  }

  // ---- catalogue -------------------------------------------------------------------------

  @Override
  public Future<Event> createEvent(Event event) {
    return mutate(() -> {
      events.put(event.id(), event);
      return durably(new JsonObject().put("op", "event").put("event", StoredForm.event(event))).map(event);
    });
  }

  @Override
  public Future<List<Event>> events() {
    return call(() -> Future.succeededFuture(List.copyOf(events.values())));
  }

  @Override
  public Future<Optional<Event>> event(String eventId) {
    return call(() -> Future.succeededFuture(Optional.ofNullable(events.get(eventId))));
  }

  @Override
  public Future<Stage> createStage(Stage stage) {
    return mutate(() -> {
      if (stageIdByCode.containsKey(stage.code())) {
        return Future.failedFuture(new CodeTakenException(stage.code()));
      }
      putStage(stage);
      return durably(new JsonObject().put("op", "stage").put("stage", StoredForm.stage(stage))).map(stage);
    });
  }

  private void putStage(Stage stage) {
    stages.put(stage.id(), stage);
    stageIdByCode.put(stage.code(), stage.id());
  }

  @Override
  public Future<List<Stage>> stages(String eventId) {
    return call(() -> {
      List<Stage> out = new ArrayList<>();
      for (Stage s : stages.values()) {
        if (s.eventId().equals(eventId)) {
          out.add(s);
        }
      }
      return Future.succeededFuture(out);
    });
  }

  @Override
  public Future<Optional<Stage>> stage(String stageId) {
    return call(() -> Future.succeededFuture(Optional.ofNullable(stages.get(stageId))));
  }

  @Override
  public Future<Optional<Stage>> stageByCode(String code) {
    return call(() -> {
      String id = stageIdByCode.get(code);
      return Future.succeededFuture(Optional.ofNullable(id == null ? null : stages.get(id)));
    });
  }

  @Override
  public Future<Poll> savePoll(Poll poll) {
    return mutate(() -> {
      putPoll(poll);
      return durably(new JsonObject().put("op", "poll").put("poll", StoredForm.poll(poll)))
          .onSuccess(v -> announce(new Change(Change.Kind.POLL, poll.stageId(), poll.id())))
          .map(poll);
    });
  }

  @Override
  public Future<Optional<Poll>> closePollAtDeadline(String stageId, String pollId, java.time.Instant closesAt) {
    return mutate(() -> {
      Poll poll = pollsByStage.getOrDefault(stageId, Map.of()).get(pollId);
      if (poll == null || !poll.isOpen() || !closesAt.equals(poll.closesAt())) {
        return Future.succeededFuture(Optional.<Poll>empty());
      }
      Poll closed = poll.closeAtDeadline();
      putPoll(closed);
      return durably(new JsonObject().put("op", "poll").put("poll", StoredForm.poll(closed)))
          .onSuccess(v -> announce(new Change(Change.Kind.POLL, stageId, pollId)))
          .map(Optional.of(closed));
    });
  }

  private void putPoll(Poll poll) {
    pollsByStage.computeIfAbsent(poll.stageId(), k -> new LinkedHashMap<>()).put(poll.id(), poll);
  }

  @Override
  public Future<List<Poll>> polls(String stageId) {
    return call(() -> Future.succeededFuture(
        List.copyOf(pollsByStage.getOrDefault(stageId, Map.of()).values())));
  }

  @Override
  public Future<Optional<Poll>> poll(String stageId, String pollId) {
    return call(() -> Future.succeededFuture(
        Optional.ofNullable(pollsByStage.getOrDefault(stageId, Map.of()).get(pollId))));
  }

  // ---- aggregates ------------------------------------------------------------------------

  @Override
  public Future<VoteReceipt> vote(VoteAction action) {
    return mutate(() -> {
      long now = System.currentTimeMillis();
      ActionWindows.Remembered earlier = windows.get(action.stageId(), action.participantId(), action.actionId(), now);
      if (earlier != null) {
        return afterDurable(earlier, () -> new VoteReceipt(true,
            tallies.computeIfAbsent(action.pollId(), k -> new Tally()).version()));
      }
      Tally tally = tallies.computeIfAbsent(action.pollId(), k -> new Tally());
      Poll poll = pollsByStage.getOrDefault(action.stageId(), Map.of()).get(action.pollId());
      // the engine's clock decides the deadline, in this same step: a vote after it is refused even
      // if the timer that flips the state has not fired yet
      ErrorCode refused = PollTally.refusal(poll, now);
      if (refused == ErrorCode.UNKNOWN_POLL) {
        return refuse(ErrorCode.UNKNOWN_POLL, RefusalTexts.POLL, action.pollId());
      }
      if (refused == ErrorCode.POLL_CLOSED) {
        return refuse(ErrorCode.POLL_CLOSED, RefusalTexts.POLL, poll.id(), RefusalTexts.CLOSES_AT, poll.closesAt().toString());
      }
      if (refused != null) {
        return refuse(ErrorCode.POLL_NOT_OPEN, RefusalTexts.POLL, poll.id(), RefusalTexts.PHASE, poll.state().wire());
      }
      tally.apply(action.participantId(), action.ballot());
      tally.lsn = nextLsn();
      counted(action.stageId(), new org.plenum.stage.Interaction(java.time.Instant.ofEpochMilli(now),
          org.plenum.stage.ActivityKind.VOTES, action.pollId(), action.ballot().encode(), action.participantId()));
      long version = tally.version();
      JsonObject record = new JsonObject().put("op", "vote").put("stage", action.stageId()).put("poll", action.pollId())
          .put("p", action.participantId()).put("a", action.actionId()).put("b", action.ballot().encode()).put("t", now);
      Future<Void> durable = durably(record);
      windows.remember(action.stageId(), action.participantId(), action.actionId(), now, null, durable);
      return durable
          .onSuccess(v -> announce(new Change(Change.Kind.RESULTS, action.stageId(), action.pollId())))
          .map(new VoteReceipt(false, version));
    });
  }

  @Override
  public Future<Boolean> removeBallot(Poll poll, String participantId) {
    return mutate(() -> {
      Tally tally = tallies.get(poll.id());
      if (tally == null || !tally.remove(participantId)) {
        return Future.succeededFuture(false);
      }
      tally.lsn = nextLsn();
      JsonObject record = new JsonObject().put("op", "unvote").put("stage", poll.stageId()).put("poll", poll.id())
          .put("p", participantId).put("t", System.currentTimeMillis());
      return durably(record)
          .onSuccess(v -> announce(new Change(Change.Kind.RESULTS, poll.stageId(), poll.id())))
          .map(true);
    });
  }

  @Override
  public Future<PollResults> results(Poll poll) {
    return call(() -> {
      Tally tally = tallies.get(poll.id());
      if (tally == null) {
        return Future.succeededFuture(PollResults.of(poll, 0, 0, Map.of()));
      }
      return Future.succeededFuture(tally.results(poll));
    });
  }

  @Override
  public Future<Void> reportPresence(String reporterId, String stageId, Presence p, long ttlMillis) {
    return call(() -> {
      presence.computeIfAbsent(stageId, k -> new HashMap<>())
          .put(reporterId, new Report(p, System.currentTimeMillis() + ttlMillis));
      announce(new Change(Change.Kind.PRESENCE, stageId, null));
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Presence> presence(String stageId) {
    return call(() -> {
      long now = System.currentTimeMillis();
      Presence sum = Presence.NONE;
      Map<String, Report> reports = presence.getOrDefault(stageId, Map.of());
      reports.values().removeIf(r -> r.expiresAt() <= now);
      for (Report r : reports.values()) {
        sum = sum.plus(r.presence());
      }
      return Future.succeededFuture(sum);
    });
  }

  /**
   * Announces a change once per turn of the engine's context however often it happened in that
   * turn: a journal batch that commits 500 votes of one poll announces one RESULTS change, not 500.
   */
  private void announce(Change change) {
    unannounced.add(change);
    if (!announcing) {
      announcing = true;
      confinement.owner().runOnContext(v -> {
        announcing = false;
        List<Change> due = new ArrayList<>(unannounced);
        unannounced.clear();
        due.forEach(c -> Change.publish(vertx, c));
      });
    }
  }

  // ---- durability ------------------------------------------------------------------------

  /**
   * The first record of every journal generation names the storage schema its records are written
   * in ({@link StoredForm}); a generation without one was written before the schema was named, in
   * schema 1. A no-op to replay. A failed write comes back through {@link #onJournalFailure}.
   */
  private void journalSchema() {
    journal.append(new JsonObject().put("op", "noop").put("schema", StoredForm.SCHEMA).put("t", System.currentTimeMillis()));
    tailRecords.incrementAndGet();
  }

  /** The sequence number the record about to be journalled gets (0 without a journal). */
  private long nextLsn() {
    return journal == null ? 0 : journal.nextLsn();
  }

  /**
   * Journals {@code record}; the Future succeeds once it is on disk. A failed write fails with a
   * retryable {@code unavailable}: the change is rolled back (see {@link #onJournalFailure}).
   */
  private Future<Void> durably(JsonObject record) {
    if (journal == null) {
      return Future.succeededFuture();
    }
    Future<Void> written = journal.append(record).recover(t -> refuse(ErrorCode.UNAVAILABLE,
        RefusalTexts.CAUSE, String.valueOf(t.getMessage())));
    tailRecords.incrementAndGet();
    maybeSnapshot();
    return written;
  }

  /**
   * A retry of a remembered action id: answered as a duplicate only once the original's write is
   * durable; while it is in flight the retry waits for it, and if it failed, so does the retry.
   */
  private <T> Future<T> afterDurable(ActionWindows.Remembered earlier, java.util.function.Supplier<T> receipt) {
    Future<Void> durable = earlier.durable();
    if (durable == null || (durable.isComplete() && durable.succeeded())) {
      return Future.succeededFuture(receipt.get());
    }
    return durable.transform(done -> done.succeeded() ? Future.succeededFuture(receipt.get())
        : refuse(ErrorCode.UNAVAILABLE, RefusalTexts.WRITE_FAILED, true));
  }

  /**
   * A journal write failed (a full disk, an I/O error): its records and everything queued behind
   * it have failed, and the file is cut back to its last durable length. Their changes are rolled
   * back by rebuilding the state from disk; until a probe write succeeds, the engine is not ready
   * and refuses changes. Called on the engine's context.
   */
  private void onJournalFailure(Throwable cause) {
    metrics.journalWriteFailed();
    failures++;
    if (!healthy) {
      scheduleProbe();
      return;
    }
    healthy = false;
    LOG.severe("journal write failed (" + cause + "): refusing changes, rolling back the unwritten ones,"
        + " probing the disk every " + PROBE_EVERY_MS + " ms");
    rebuild();
  }

  /** Replaces the state by what is on disk, with every aggregate's version above any pushed before. */
  private void rebuild() {
    needsRebuild = false;
    Map<String, Long> before = versions();
    Set<Change> touched = everyChange();
    Promise<Void> gate = Promise.promise();
    rebuilding = gate.future();
    vertx.executeBlocking(dataDir::load, false)
        .compose(loaded -> {
          clearState();
          return restore(loaded);
        })
        .onComplete(done -> {
          if (done.failed()) {
            LOG.severe("cannot re-read the data directory after a failed write: " + done.cause() + "; retrying");
            needsRebuild = true;
          } else {
            carryVersionsAbove(before);
            touched.addAll(everyChange());
            touched.forEach(this::announce);
          }
          rebuilding = null;
          gate.complete();
          scheduleProbe();
        });
  }

  private void scheduleProbe() {
    if (!started || probeTimer >= 0) {
      return;
    }
    probeTimer = vertx.setTimer(PROBE_EVERY_MS, id -> confinement.owner().runOnContext(v -> {
      probeTimer = -1;
      probe();
    }));
  }

  /** One small record written and forced: once that works again, changes are taken again. */
  private void probe() {
    if (!started) {
      return;
    }
    if (needsRebuild) {
      rebuild();
      return;
    }
    journal.resume(new JsonObject().put("op", "noop").put("t", System.currentTimeMillis())).onSuccess(v -> {
      healthy = true;
      LOG.warning("journal writes succeed again: taking changes again");
    }); // a failure comes back through onJournalFailure, which schedules the next probe
  }

  private void clearState() {
    events.clear();
    stages.clear();
    stageIdByCode.clear();
    pollsByStage.clear();
    tallies.clear();
    windows.clear();
    cloudsByStage.clear();
    cloudTallies.clear();
    postsByStage.clear();
    upvoted.clear();
    reactions.clear();
    talksByStage.clear();
    moderators.clear();
    moderatorByHash.clear();
    statistics.clear();
    surveys.clear();
    quiz.clear();
  }

  private Map<String, Long> versions() {
    Map<String, Long> out = new HashMap<>();
    tallies.forEach((poll, t) -> out.put("t/" + poll, t.version()));
    cloudTallies.forEach((key, t) -> out.put("c/" + key, t.version()));
    postsByStage.forEach((stage, posts) -> posts.forEach((id, e) -> out.put("p/" + stage + '/' + id, e.version())));
    reactions.forEach((stage, t) -> out.put("r/" + stage, t.version()));
    return out;
  }

  /** Clients drop a push whose version is not newer than theirs: after a rollback every version must grow. */
  private void carryVersionsAbove(Map<String, Long> before) {
    tallies.forEach((poll, t) -> t.version(Math.max(t.version(), before.getOrDefault("t/" + poll, 0L)) + 1));
    cloudTallies.forEach((key, t) -> t.version(Math.max(t.version(), before.getOrDefault("c/" + key, 0L)) + 1));
    postsByStage.forEach((stage, posts) -> posts.forEach(
        (id, e) -> e.version(Math.max(e.version(), before.getOrDefault("p/" + stage + '/' + id, 0L)) + 1)));
    reactions.forEach((stage, t) -> t.version(Math.max(t.version(), before.getOrDefault("r/" + stage, 0L)) + 1));
  }

  /** A change for everything there is, so every hub re-reads it all. */
  private Set<Change> everyChange() {
    Set<Change> out = new LinkedHashSet<>();
    for (String stageId : stages.keySet()) {
      out.add(new Change(Change.Kind.STAGE, stageId, null));
      out.add(new Change(Change.Kind.TALKS, stageId, null));
      out.add(new Change(Change.Kind.REACTIONS, stageId, null));
    }
    pollsByStage.forEach((stage, polls) -> polls.keySet().forEach(id -> {
      out.add(new Change(Change.Kind.POLL, stage, id));
      out.add(new Change(Change.Kind.RESULTS, stage, id));
    }));
    cloudsByStage.forEach((stage, clouds) -> clouds.keySet().forEach(id -> {
      out.add(new Change(Change.Kind.CLOUD, stage, id));
      out.add(new Change(Change.Kind.CLOUD_RESULTS, stage, id));
    }));
    postsByStage.forEach((stage, posts) -> posts.keySet().forEach(id -> out.add(new Change(Change.Kind.POST, stage, id))));
    return out;
  }

  /**
   * Applies {@code REPLAY_SLICE} lines per event-loop task: a long tail takes a while to apply,
   * and the engine's loop must not be held that long in one go. With {@code restoreLine} the lines
   * are snapshot lines; else journal records numbered from {@code firstLsn}. A statistics part line
   * ({@code s-stats-part}) weighs as many lines as it has entries, so a slice of them is as short.
   */
  private Future<Void> replayInSlices(List<JsonObject> records, int from, long firstLsn,
                                      java.util.function.Consumer<JsonObject> restoreLine) {
    int to = from;
    long weight = 0;
    long now = System.currentTimeMillis();
    while (to < records.size() && weight < REPLAY_SLICE) {
      JsonObject r = records.get(to);
      if (restoreLine != null) {
        restoreLine.accept(r);
        weight += "s-stats-part".equals(r.getString("op")) ? MemoryStatistics.weight(r) : 1;
      } else {
        replay(r, firstLsn + to, now);
        weight++;
      }
      to++;
    }
    if (to == records.size()) {
      return Future.succeededFuture();
    }
    Promise<Void> rest = Promise.promise();
    int next = to;
    confinement.owner().runOnContext(v -> replayInSlices(records, next, firstLsn, restoreLine).onComplete(rest));
    return rest.future();
  }

  /**
   * Re-applies one journal record; actions were checked when first applied, so they are not checked
   * again (a word is resolved through the merges journalled before it, as it was the first time).
   * A record the snapshot already holds (its aggregate's sequence number is not older) only
   * remembers its action id.
   */
  private void replay(JsonObject r, long lsn, long now) {
    switch (r.getString("op")) {
      case "secret" -> { } // the secret lives in its own file now (DataDir)
      case "noop" -> StoredForm.requireKnown(r.getInteger("schema", 1), "journal record " + lsn);
      case "event" -> {
        Event e = StoredForm.event(r.getJsonObject("event"));
        events.put(e.id(), e);
      }
      case "stage" -> putStage(StoredForm.stage(r.getJsonObject("stage")));
      case "poll" -> putPoll(StoredForm.poll(r.getJsonObject("poll")));
      case "vote" -> {
        Tally tally = tallies.computeIfAbsent(r.getString("poll"), k -> new Tally());
        if (lsn > tally.lsn) {
          tally.apply(r.getString("p"), Ballot.decode(r.getString("b")));
          tally.lsn = lsn;
        }
        replayCounted(r.getString("stage"), lsn, new org.plenum.stage.Interaction(recorded(r),
            org.plenum.stage.ActivityKind.VOTES, r.getString("poll"), r.getString("b"), r.getString("p")));
        rememberReplayed(r, r.getString("stage"), null, now);
      }
      case "unvote" -> {
        Tally tally = tallies.get(r.getString("poll"));
        if (tally != null && lsn > tally.lsn) {
          tally.remove(r.getString("p"));
          tally.lsn = lsn;
        }
      }
      case "cloud" -> putCloud(StoredForm.cloud(r.getJsonObject("cloud")));
      case "answer", "nickname" -> replayQuiz(r, lsn, now);
      case "talk" -> putTalk(StoredForm.talk(r.getJsonObject("talk")));
      case "mute" -> putMuted(r.getString("stage"), r.getString("p"), r.getBoolean("muted"));
      case "present" -> putPresentation(r.getString("stage"), StoredForm.presentation(r.getJsonObject("presentation")));
      case "sample" -> statistics.replaySample(r);
      case "talk-delete" -> {
        talksByStage.getOrDefault(r.getString("stage"), new HashMap<>()).remove(r.getString("talk"));
        surveys.dropTalk(r.getString("stage"), r.getString("talk"));
      }
      case "survey" -> surveys.put(StoredForm.survey(r.getJsonObject("survey")));
      case "survey-response" -> {
        surveys.replayResponse(r, lsn);
        rememberReplayed(r, r.getString("stage"), null, now);
      }
      case "moderator" -> putModerator(StoredForm.moderator(r.getJsonObject("moderator")));
      case "moderator-delete" -> removeModerator(r.getString("moderator"));
      case "word" -> {
        CloudTally tally = tally(r.getString("stage"), r.getString("cloud"));
        if (lsn > tally.lsn) {
          tally.add(r.getString("p"), r.getString("key"), r.getString("spelling"));
          tally.lsn = lsn;
        }
        replayCounted(r.getString("stage"), lsn, new org.plenum.stage.Interaction(recorded(r),
            org.plenum.stage.ActivityKind.WORDS, r.getString("cloud"), r.getString("spelling"), r.getString("p")));
        rememberReplayed(r, r.getString("stage"), null, now);
      }
      case "hide", "merge" -> {
        CloudTally tally = tally(r.getString("stage"), r.getString("cloud"));
        if (lsn > tally.lsn) {
          if (r.getString("op").equals("hide")) {
            tally.hide(r.getString("key"), r.getBoolean("hidden"));
          } else {
            tally.merge(r.getString("from"), r.getString("into"));
          }
          tally.lsn = lsn;
        }
      }
      case "post" -> {
        Post post = StoredForm.post(r.getJsonObject("post"));
        PostEntry entry = postOf(post.stageId(), post.id());
        if (entry == null || lsn > entry.lsn) {
          putPost(post).lsn = lsn;
        }
        replayCounted(post.stageId(), lsn, postInteraction(post, r.getLong("t", post.createdAt().toEpochMilli())));
        rememberReplayed(r, post.stageId(), post.id(), now);
      }
      case "post-update" -> {
        Post post = StoredForm.post(r.getJsonObject("post"));
        PostEntry entry = postOf(post.stageId(), post.id());
        if (lsn > entry.lsn) {
          replacePost(entry, post);
          entry.lsn = lsn;
        }
      }
      case "upvote" -> {
        PostEntry entry = postOf(r.getString("stage"), r.getString("post"));
        Boolean changed = r.getBoolean("c"); // absent in records written before the statistics
        if (lsn > entry.lsn) {
          boolean applied = applyUpvote(entry, r.getString("stage"), r.getString("p"), r.getBoolean("up"));
          changed = changed == null ? applied : changed;
          entry.lsn = lsn;
        }
        if (Boolean.TRUE.equals(changed)) {
          replayCounted(r.getString("stage"), lsn, upvoteInteraction(r.getString("post"), r.getBoolean("up"),
              r.getString("p"), r.getLong("t")));
        }
        rememberReplayed(r, r.getString("stage"), null, now);
      }
      case "react" -> {
        ReactionTally tally = reactions.computeIfAbsent(r.getString("stage"), k -> new ReactionTally());
        if (lsn > tally.lsn) {
          tally.add(r.getString("emoji"), r.getLong("minute"));
          tally.lsn = lsn;
        }
        replayCounted(r.getString("stage"), lsn, new org.plenum.stage.Interaction(recorded(r),
            org.plenum.stage.ActivityKind.REACTIONS, null, r.getString("emoji"), r.getString("p")));
        rememberReplayed(r, r.getString("stage"), null, now);
      }
      case "poll-delete", "cloud-delete", "stage-delete", "event-delete", "stage-reset", "order", "stage-order" ->
          replayControl(r, lsn);
      default -> throw new IllegalStateException("journal: unknown record " + r.getString("op"));
    }
  }

  private void rememberReplayed(JsonObject r, String stageId, String postId, long now) {
    windows.rememberReplayed(stageId, r.getString("p"), r.getString("a"), r.getLong("t"), postId, now);
  }

  // ---- snapshots -------------------------------------------------------------------------

  private boolean snapshotAgain;
  private Future<Void> snapshotRunning = Future.succeededFuture();

  /** After each journalled change: a snapshot once the tail is long enough (on the next turn). */
  private void maybeSnapshot() {
    if (journal == null || !started || snapshotting || !healthy || rebuilding != null
        || System.currentTimeMillis() < nextSnapshotAttemptAt) {
      return;
    }
    if (journal.nextLsn() - tailStartLsn >= options.snapshotEveryRecords()
        || journal.bytesInGeneration() >= options.snapshotEveryBytes()) {
      snapshotting = true;
      confinement.owner().runOnContext(v -> takeSnapshot());
    }
  }

  /** A deleted post's text must leave the disk: the snapshot holds only its tombstone. */
  private void compactSoonAfterDeletion() {
    if (journal == null || deleteSnapshotTimer >= 0) {
      return;
    }
    deleteSnapshotTimer = vertx.setTimer(Math.max(1, options.snapshotAfterDeleteMillis()),
        id -> confinement.owner().runOnContext(v -> {
          deleteSnapshotTimer = -1;
          snapshotNow();
        }));
  }

  /**
   * Takes a snapshot now (or right after the one running); completes when it is in place. Not part
   * of the contract, so not behind {@link ConfinedEngine}: it hops to the owner itself.
   */
  Future<Void> snapshotNow() {
    return confinement.call(() -> {
      if (journal == null) {
        return Future.succeededFuture();
      }
      if (snapshotting) {
        snapshotAgain = true;
        return Future.succeededFuture();
      }
      snapshotting = true;
      return takeSnapshot();
    });
  }

  /**
   * Writes the state to a new snapshot without holding the event loop: the journal switches to a
   * new generation at this point (sequence number {@code tailLsn}); the catalogue is copied in this
   * turn, the aggregates one slice per turn, each with the sequence number of its last record, so
   * replay skips the tail records an aggregate already holds (a fuzzy snapshot made exact). The
   * snapshot is put in place only once every record it includes is durable, and abandoned if a
   * write failed meanwhile; then the generations before the tail are deleted.
   */
  private Future<Void> takeSnapshot() {
    if (!started || !healthy || rebuilding != null) {
      snapshotting = false;
      return Future.succeededFuture();
    }
    long epoch = failures;
    long began = System.nanoTime();
    long tailLsn = journal.nextLsn();
    Future<Integer> rotated = journal.rotate();
    journalSchema();
    SnapshotBody body = new SnapshotBody();
    events.values().forEach(e -> body.add(new JsonObject().put("op", "event").put("event", StoredForm.event(e)), 1));
    stages.values().forEach(st -> body.add(new JsonObject().put("op", "stage").put("stage", StoredForm.stage(st)), 1));
    pollsByStage.values().forEach(m -> m.values().forEach(
        po -> body.add(new JsonObject().put("op", "poll").put("poll", StoredForm.poll(po)), 1)));
    cloudsByStage.values().forEach(m -> m.values().forEach(
        c -> body.add(new JsonObject().put("op", "cloud").put("cloud", StoredForm.cloud(c)), 1)));
    talksByStage.values().forEach(m -> m.values().forEach(
        t -> body.add(new JsonObject().put("op", "talk").put("talk", StoredForm.talk(t)), 1)));
    moderators.values().forEach(m -> body.add(
        new JsonObject().put("op", "moderator").put("moderator", StoredForm.moderator(m)), 1));
    presentations.forEach((stage, p) -> body.add(presentationRecord(stage, p), 1));
    mutedByStage.forEach((stage, set) -> set.forEach(p -> body.add(muteRecord(stage, p, true), 1)));
    surveys.snapshot(body::add);
    List<Runnable> items = new ArrayList<>();
    for (String poll : List.copyOf(tallies.keySet())) {
      items.add(() -> snapshotTally(body, poll));
    }
    for (String key : List.copyOf(cloudTallies.keySet())) {
      items.add(() -> snapshotCloud(body, key));
    }
    postsByStage.forEach((stage, posts) -> {
      for (String id : List.copyOf(posts.keySet())) {
        items.add(() -> snapshotPost(body, stage, id));
      }
    });
    for (String stage : List.copyOf(reactions.keySet())) {
      items.add(() -> snapshotReactions(body, stage));
    }
    for (String stage : quiz.stages()) {
      items.add(() -> {
        JsonObject line = quiz.snapshotOf(stage);
        if (line != null) {
          body.add(line, line.getJsonObject("totals").size() + 1);
        }
      });
    }
    for (String stage : statistics.stages()) {
      // copied in one turn, encoded in parts: each part becomes an item of its own, run in later slices
      items.add(() -> statistics.snapshotOf(stage).forEach(part -> items.add(() -> {
        JsonObject line = part.get();
        body.add(line, MemoryStatistics.weight(line));
      })));
    }
    for (String owner : windows.owners()) {
      items.add(() -> {
        JsonObject ids = windows.snapshotOf(owner);
        if (ids != null) {
          body.add(ids, ids.getJsonArray("ids").size());
        }
      });
    }
    Future<Void> done = rotated
        .compose(gen -> inSlices(items, 0, body, epoch).map(gen))
        .compose(gen -> journal.sync().map(gen))
        .compose(gen -> {
          if (failures != epoch) {
            return Future.failedFuture("a journal write failed while the snapshot was taken");
          }
          JsonObject header = new JsonObject().put("op", "snapshot").put("format", 1).put("schema", StoredForm.SCHEMA)
              .put("tailGen", gen)
              .put("tailLsn", tailLsn).put("at", System.currentTimeMillis());
          return vertx.executeBlocking(() -> {
            dataDir.writeSnapshot(header, body.lines);
            dataDir.deleteGenerationsBefore(gen);
            return null;
          }, false);
        })
        .<Void>mapEmpty()
        .onComplete(outcome -> {
          snapshotting = false;
          if (outcome.succeeded()) {
            tailStartLsn = tailLsn;
            tailRecords.set(journal.nextLsn() - tailLsn);
            metrics.snapshotTaken(System.nanoTime() - began);
          } else {
            LOG.warning("snapshot abandoned, the journal tail stays as it is: " + outcome.cause());
            nextSnapshotAttemptAt = System.currentTimeMillis() + 30_000;
          }
          if (snapshotAgain) {
            snapshotAgain = false;
            snapshotting = true;
            confinement.owner().runOnContext(v -> takeSnapshot());
          } else {
            maybeSnapshot(); // the tail may have grown past the threshold again while this one was taken
          }
        });
    snapshotRunning = done.otherwiseEmpty();
    return done;
  }

  /**
   * Snapshot lines, each built on the event loop from copies of one aggregate's collections (so
   * later changes do not leak in) and encoded later on a worker thread: encoding is the costly part.
   */
  private static final class SnapshotBody {
    final List<JsonObject> lines = new ArrayList<>();
    long units;

    void add(JsonObject line, int weight) {
      lines.add(line);
      units += Math.max(1, weight);
    }
  }

  private Future<Void> inSlices(List<Runnable> items, int from, SnapshotBody body, long epoch) {
    if (failures != epoch) {
      return Future.failedFuture("a journal write failed while the snapshot was taken");
    }
    long budget = body.units + SNAPSHOT_SLICE;
    int i = from;
    while (i < items.size() && body.units < budget) {
      items.get(i++).run();
    }
    if (i == items.size()) {
      return Future.succeededFuture();
    }
    int next = i;
    Promise<Void> rest = Promise.promise();
    confinement.owner().runOnContext(v -> inSlices(items, next, body, epoch).onComplete(rest));
    return rest.future();
  }

  private void snapshotTally(SnapshotBody body, String poll) {
    Tally t = tallies.get(poll);
    if (t != null) {
      body.add(new JsonObject().put("op", "s-tally").put("poll", poll).put("v", t.version()).put("lsn", t.lsn)
          .put("c", new JsonObject(asJson(t.copyOfCounts()))).put("b", new JsonObject(asJson(t.copyOfBallots()))),
          t.ballots().size());
    }
  }

  /** A fresh map of ours, as the JSON object's own (no second copy of a poll's many ballots). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> asJson(Map<String, ?> fresh) {
    return (Map<String, Object>) fresh;
  }

  private void snapshotCloud(SnapshotBody body, String key) {
    CloudTally t = cloudTallies.get(key);
    if (t == null) {
      return;
    }
    JsonObject who = new JsonObject();
    t.contributors().forEach((word, people) -> who.put(word, new io.vertx.core.json.JsonArray(new ArrayList<>(people))));
    JsonObject spellings = new JsonObject();
    t.spellings().forEach((word, counts) -> spellings.put(word, new JsonObject(new HashMap<>(counts))));
    body.add(new JsonObject().put("op", "s-cloud").put("k", key).put("v", t.version()).put("lsn", t.lsn)
        .put("n", t.entries()).put("who", who).put("sp", spellings)
        .put("into", new JsonObject(new HashMap<>(t.mergedInto())))
        .put("hidden", new io.vertx.core.json.JsonArray(new ArrayList<>(t.hidden()))), t.participants() + 1);
  }

  private void snapshotPost(SnapshotBody body, String stage, String id) {
    PostEntry e = postOf(stage, id);
    if (e != null) {
      body.add(new JsonObject().put("op", "s-post").put("post", StoredForm.post(e.post())).put("v", e.version()).put("lsn", e.lsn)
          .put("up", new io.vertx.core.json.JsonArray(new ArrayList<>(e.upvoters()))), e.upvoters().size() + 1);
    }
  }

  private void snapshotReactions(SnapshotBody body, String stage) {
    ReactionTally t = reactions.get(stage);
    if (t == null) {
      return;
    }
    JsonObject minutes = new JsonObject();
    t.minutes().forEach((minute, counts) -> minutes.put(Long.toString(minute), new JsonObject(new HashMap<>(counts))));
    body.add(new JsonObject().put("op", "s-react").put("stage", stage).put("v", t.version()).put("lsn", t.lsn)
        .put("totals", new JsonObject(new HashMap<>(t.totalsByEmoji()))).put("min", minutes), t.minutes().size() + 1);
  }

  /** Applies one snapshot line (catalogue records have the journal's form). */
  private void restoreSnapshotLine(JsonObject r) {
    long now = System.currentTimeMillis();
    switch (r.getString("op")) {
      case "s-tally" -> {
        Tally t = tallies.computeIfAbsent(r.getString("poll"), k -> new Tally());
        t.lsn = r.getLong("lsn");
        t.version(r.getLong("v"));
        r.getJsonObject("c").forEach(e -> t.restoreCount(e.getKey(), ((Number) e.getValue()).longValue()));
        r.getJsonObject("b").forEach(e -> t.restoreBallot(e.getKey(), (String) e.getValue()));
      }
      case "s-cloud" -> {
        CloudTally t = cloudTallies.computeIfAbsent(r.getString("k"), k -> new CloudTally());
        t.lsn = r.getLong("lsn");
        Map<String, Set<String>> who = new HashMap<>();
        r.getJsonObject("who").forEach(e -> {
          Set<String> people = new HashSet<>();
          for (Object p : (io.vertx.core.json.JsonArray) e.getValue()) {
            people.add((String) p);
          }
          who.put(e.getKey(), people);
        });
        Map<String, Map<String, Long>> spellings = new HashMap<>();
        r.getJsonObject("sp").forEach(e -> {
          Map<String, Long> counts = new HashMap<>();
          ((JsonObject) e.getValue()).forEach(c -> counts.put(c.getKey(), ((Number) c.getValue()).longValue()));
          spellings.put(e.getKey(), counts);
        });
        Map<String, String> into = new HashMap<>();
        r.getJsonObject("into").forEach(e -> into.put(e.getKey(), (String) e.getValue()));
        Set<String> hidden = new HashSet<>();
        r.getJsonArray("hidden").forEach(h -> hidden.add((String) h));
        t.restore(r.getLong("v"), r.getLong("n"), who, spellings, into, hidden);
      }
      case "s-post" -> {
        Post post = StoredForm.post(r.getJsonObject("post"));
        PostEntry e = putPost(post);
        e.lsn = r.getLong("lsn");
        Set<String> upvoters = new HashSet<>();
        for (Object p : r.getJsonArray("up")) {
          upvoters.add((String) p);
          upvoted.computeIfAbsent(post.stageId() + '/' + p, k -> new LinkedHashSet<>()).add(post.id());
        }
        e.restore(r.getLong("v"), upvoters);
      }
      case "s-react" -> {
        ReactionTally t = reactions.computeIfAbsent(r.getString("stage"), k -> new ReactionTally());
        t.lsn = r.getLong("lsn");
        Map<String, Long> totals = new HashMap<>();
        r.getJsonObject("totals").forEach(e -> totals.put(e.getKey(), ((Number) e.getValue()).longValue()));
        Map<Long, Map<String, Long>> minutes = new HashMap<>();
        r.getJsonObject("min").forEach(e -> {
          Map<String, Long> counts = new HashMap<>();
          ((JsonObject) e.getValue()).forEach(c -> counts.put(c.getKey(), ((Number) c.getValue()).longValue()));
          minutes.put(Long.parseLong(e.getKey()), counts);
        });
        t.restore(r.getLong("v"), totals, minutes);
      }
      case "s-quiz" -> quiz.restore(r);
      case "s-ids" -> windows.restore(r, now);
      case "s-survey" -> surveys.restoreSnapshotLine(r);
      case "s-stats" -> statistics.restore(r);
      case "s-stats-part" -> statistics.restorePart(r);
      default -> replay(r, 0, now);
    }
  }

  // ---- catalogue updates ----------------------------------------------------------------

  @Override
  public Future<Event> updateEvent(Event event) {
    return mutate(() -> {
      Event existing = events.get(event.id());
      if (existing == null) {
        return refuse(ErrorCode.UNKNOWN_EVENT, RefusalTexts.EVENT, event.id());
      }
      Event next = new Event(existing.id(), event.name(), existing.createdAt(), List.copyOf(event.blockedWords()),
              event.moderatorsMayExport(), event.passcode());
      events.put(next.id(), next);
      return durably(new JsonObject().put("op", "event").put("event", StoredForm.event(next))).map(next);
    });
  }

  @Override
  public Future<Stage> updateStage(Stage stage) {
    return mutate(() -> {
      Stage existing = stages.get(stage.id());
      if (existing == null) {
        return refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stage.id());
      }
      Stage next = new Stage(existing.id(), existing.eventId(), stage.name(), existing.code(), existing.createdAt(),
          stage.settings());
      putStage(next);
      return durably(new JsonObject().put("op", "stage").put("stage", StoredForm.stage(next)))
          .onSuccess(v -> announce(new Change(Change.Kind.STAGE, next.id(), null)))
          .map(next);
    });
  }

  // ---- word clouds -----------------------------------------------------------------------

  /** A cloud's entries (the rules are {@link org.plenum.stage.CloudTally}'s) and the last journal record applied. */
  private static final class CloudTally extends org.plenum.stage.CloudTally {
    long lsn;
  }

  @Override
  public Future<WordCloud> saveCloud(WordCloud cloud) {
    return mutate(() -> {
      putCloud(cloud);
      return durably(new JsonObject().put("op", "cloud").put("cloud", StoredForm.cloud(cloud)))
          .onSuccess(v -> announce(new Change(Change.Kind.CLOUD, cloud.stageId(), cloud.id())))
          .map(cloud);
    });
  }

  private void putCloud(WordCloud cloud) {
    cloudsByStage.computeIfAbsent(cloud.stageId(), k -> new LinkedHashMap<>()).put(cloud.id(), cloud);
  }

  @Override
  public Future<List<WordCloud>> clouds(String stageId) {
    return call(() -> Future.succeededFuture(
        List.copyOf(cloudsByStage.getOrDefault(stageId, Map.of()).values())));
  }

  @Override
  public Future<Optional<WordCloud>> cloud(String stageId, String cloudId) {
    return call(() -> Future.succeededFuture(Optional.ofNullable(cloudOf(stageId, cloudId))));
  }

  private WordCloud cloudOf(String stageId, String cloudId) {
    return cloudsByStage.getOrDefault(stageId, Map.of()).get(cloudId);
  }

  private CloudTally tally(String stageId, String cloudId) {
    return cloudTallies.computeIfAbsent(stageId + '/' + cloudId, k -> new CloudTally());
  }

  @Override
  public Future<VoteReceipt> submitWord(WordAction action) {
    return mutate(() -> {
      long now = System.currentTimeMillis();
      ActionWindows.Remembered earlier = windows.get(action.stageId(), action.participantId(), action.actionId(), now);
      if (earlier != null) {
        return afterDurable(earlier, () -> new VoteReceipt(true, tally(action.stageId(), action.cloudId()).version()));
      }
      CloudTally tally = tally(action.stageId(), action.cloudId());
      WordCloud cloud = cloudOf(action.stageId(), action.cloudId());
      ErrorCode closed = CloudTally.refusal(cloud);
      if (closed == ErrorCode.UNKNOWN_CLOUD) {
        return refuse(ErrorCode.UNKNOWN_CLOUD, RefusalTexts.CLOUD, action.cloudId());
      }
      if (closed != null) {
        return refuse(ErrorCode.CLOUD_NOT_OPEN, RefusalTexts.CLOUD, cloud.id(), RefusalTexts.PHASE, cloud.phase().wire());
      }
      ErrorCode refusal = tally.refusal(action.participantId(), action.key(), action.maxEntries());
      if (refusal != null) {
        return refuse(refusal, RefusalTexts.MAX_ENTRIES, action.maxEntries());
      }
      tally.add(action.participantId(), action.key(), action.spelling());
      tally.lsn = nextLsn();
      counted(action.stageId(), new org.plenum.stage.Interaction(java.time.Instant.ofEpochMilli(now),
          org.plenum.stage.ActivityKind.WORDS, action.cloudId(), action.spelling(), action.participantId()));
      long version = tally.version();
      JsonObject record = new JsonObject().put("op", "word").put("stage", action.stageId()).put("cloud", action.cloudId())
          .put("p", action.participantId()).put("a", action.actionId()).put("key", action.key())
          .put("spelling", action.spelling()).put("t", now);
      Future<Void> durable = durably(record);
      windows.remember(action.stageId(), action.participantId(), action.actionId(), now, null, durable);
      return durable
          .onSuccess(v -> announce(new Change(Change.Kind.CLOUD_RESULTS, action.stageId(), action.cloudId())))
          .map(new VoteReceipt(false, version));
    });
  }

  @Override
  public Future<CloudResults> cloudResults(WordCloud cloud, int top) {
    return call(() -> {
      CloudTally tally = cloudTallies.get(cloud.stageId() + '/' + cloud.id());
      if (tally == null) {
        return Future.succeededFuture(new CloudResults(cloud.id(), 0, 0, 0, List.of(), List.of()));
      }
      return Future.succeededFuture(tally.results(cloud.id(), top));
    });
  }

  @Override
  public Future<Void> hideWord(String stageId, String cloudId, String key, boolean hidden) {
    return mutate(() -> {
      if (cloudOf(stageId, cloudId) == null) {
        return refuse(ErrorCode.UNKNOWN_CLOUD, RefusalTexts.CLOUD, cloudId);
      }
      CloudTally tally = tally(stageId, cloudId);
      if (tally.wordRefusal(key) != null) {
        return refuse(ErrorCode.UNKNOWN_WORD, RefusalTexts.KEY, key);
      }
      tally.hide(key, hidden);
      tally.lsn = nextLsn();
      return durably(new JsonObject().put("op", "hide").put("stage", stageId).put("cloud", cloudId)
              .put("key", key).put("hidden", hidden))
          .onSuccess(v -> announce(new Change(Change.Kind.CLOUD_RESULTS, stageId, cloudId)));
    });
  }

  @Override
  public Future<Void> mergeWords(String stageId, String cloudId, String fromKey, String intoKey) {
    return mutate(() -> {
      if (fromKey.equals(intoKey)) {
        return refuse(ErrorCode.INVALID_FIELD, RefusalTexts.KEY, intoKey);
      }
      if (cloudOf(stageId, cloudId) == null) {
        return refuse(ErrorCode.UNKNOWN_CLOUD, RefusalTexts.CLOUD, cloudId);
      }
      CloudTally tally = tally(stageId, cloudId);
      for (String key : List.of(fromKey, intoKey)) {
        if (tally.wordRefusal(key) != null) {
          return refuse(ErrorCode.UNKNOWN_WORD, RefusalTexts.KEY, key);
        }
      }
      tally.merge(fromKey, intoKey);
      tally.lsn = nextLsn();
      return durably(new JsonObject().put("op", "merge").put("stage", stageId).put("cloud", cloudId)
              .put("from", fromKey).put("into", intoKey))
          .onSuccess(v -> announce(new Change(Change.Kind.CLOUD_RESULTS, stageId, cloudId)));
    });
  }

  // ---- questions, comments, feedback -----------------------------------------------------

  /** A stored post with its upvoters (the rules are {@link PostTally}'s) and the last journal record applied. */
  private static final class PostEntry extends PostTally {
    long lsn;

    PostEntry(Post post) {
      super(post);
    }
  }

  @Override
  public Future<PostReceipt> submitPost(PostAction action) {
    return mutate(() -> {
      Post post = action.post();
      long now = System.currentTimeMillis();
      ActionWindows.Remembered earlier = windows.get(post.stageId(), post.authorId(), action.actionId(), now);
      if (earlier != null) {
        return afterDurable(earlier, () -> new PostReceipt(true, earlier.postId()));
      }
      if (postOf(post.stageId(), post.id()) != null) {
        return Future.failedFuture(new IllegalStateException("post id " + post.id() + " is taken"));
      }
      if (post.kind() == org.plenum.stage.PostKind.ANSWER) {
        // the poll's state decides in this same step: an answer after the close is refused
        Future<PostReceipt> refused = answerRefusal(post, now);
        if (refused != null) {
          return refused;
        }
      }
      putPost(post).lsn = nextLsn();
      counted(post.stageId(), postInteraction(post, now));
      JsonObject record = new JsonObject().put("op", "post").put("p", post.authorId()).put("a", action.actionId())
          .put("post", StoredForm.post(post)).put("t", now);
      Future<Void> durable = durably(record);
      windows.remember(post.stageId(), post.authorId(), action.actionId(), now, post.id(), durable);
      return durable
          .onSuccess(v -> announce(new Change(Change.Kind.POST, post.stageId(), post.id())))
          .map(new PostReceipt(false, post.id()));
    });
  }

  /** Null if the open-text poll the answer names takes it at {@code now}, else the refusal (see {@link PostStore#submitPost}). */
  private Future<PostReceipt> answerRefusal(Post answer, long now) {
    Poll poll = pollsByStage.getOrDefault(answer.stageId(), Map.of()).get(answer.pollId());
    if (poll == null || poll.kind() != org.plenum.stage.PollKind.TEXT) {
      return refuse(poll == null ? ErrorCode.UNKNOWN_POLL : ErrorCode.WRONG_POLL_KIND, RefusalTexts.POLL, answer.pollId());
    }
    ErrorCode refused = PollTally.refusal(poll, now);
    if (refused == ErrorCode.POLL_CLOSED) {
      return refuse(ErrorCode.POLL_CLOSED, RefusalTexts.POLL, poll.id(), RefusalTexts.CLOSES_AT, poll.closesAt().toString());
    }
    return refused == null ? null : refuse(ErrorCode.POLL_NOT_OPEN, RefusalTexts.POLL, poll.id(), RefusalTexts.PHASE, poll.state().wire());
  }

  private PostEntry putPost(Post post) {
    PostEntry entry = new PostEntry(post);
    postsByStage.computeIfAbsent(post.stageId(), k -> new LinkedHashMap<>()).put(post.id(), entry);
    return entry;
  }

  private PostEntry postOf(String stageId, String postId) {
    return postsByStage.getOrDefault(stageId, Map.of()).get(postId);
  }

  @Override
  public Future<Optional<PostView>> post(String stageId, String postId) {
    return call(() -> {
      PostEntry entry = postOf(stageId, postId);
      return Future.succeededFuture(Optional.ofNullable(entry == null ? null : entry.view()));
    });
  }

  @Override
  public Future<List<PostView>> posts(String stageId) {
    return call(() -> {
      Map<String, PostEntry> entries = postsByStage.getOrDefault(stageId, Map.of());
      List<PostView> out = new ArrayList<>(entries.size());
      for (PostEntry entry : entries.values()) {
        out.add(entry.view());
      }
      return Future.succeededFuture(out);
    });
  }

  @Override
  public Future<PostView> updatePost(Post expected, Post next) {
    return mutate(() -> {
      PostUpdates.requireSuccessor(expected, next);
      PostEntry entry = postOf(expected.stageId(), expected.id());
      if (entry == null) {
        return refuse(ErrorCode.UNKNOWN_POST, RefusalTexts.POST, expected.id());
      }
      if (!entry.isAt(expected.revision())) {
        return Future.failedFuture(new ConcurrentUpdateException(expected.id()));
      }
      replacePost(entry, next);
      entry.lsn = nextLsn();
      PostView view = entry.view();
      return durably(new JsonObject().put("op", "post-update").put("post", StoredForm.post(next)))
          .onSuccess(v -> {
            announce(new Change(Change.Kind.POST, next.stageId(), next.id()));
            if (next.state() == org.plenum.stage.PostState.DELETED) {
              compactSoonAfterDeletion();
            }
          })
          .map(view);
    });
  }

  private static void replacePost(PostEntry entry, Post next) {
    entry.replace(next);
  }

  @Override
  public Future<VoteReceipt> upvote(UpvoteAction action) {
    return mutate(() -> {
      long now = System.currentTimeMillis();
      ActionWindows.Remembered earlier = windows.get(action.stageId(), action.participantId(), action.actionId(), now);
      if (earlier != null) {
        return afterDurable(earlier, () -> {
          PostEntry current = postOf(action.stageId(), action.postId());
          return new VoteReceipt(true, current == null ? 0 : current.version());
        });
      }
      PostEntry entry = postOf(action.stageId(), action.postId());
      if (entry == null) {
        return refuse(ErrorCode.UNKNOWN_POST, RefusalTexts.POST, action.postId());
      }
      boolean changed = applyUpvote(entry, action.stageId(), action.participantId(), action.up());
      entry.lsn = nextLsn();
      if (changed) {
        counted(action.stageId(), upvoteInteraction(action.postId(), action.up(), action.participantId(), now));
      }
      long version = entry.version();
      // "c": whether it changed the upvotes, so replay counts it without the post's state of that moment
      JsonObject record = new JsonObject().put("op", "upvote").put("stage", action.stageId()).put("post", action.postId())
          .put("p", action.participantId()).put("a", action.actionId()).put("up", action.up()).put("t", now)
          .put("c", changed);
      Future<Void> durable = durably(record);
      windows.remember(action.stageId(), action.participantId(), action.actionId(), now, null, durable);
      return durable
          .onSuccess(v -> {
            if (changed) {
              announce(new Change(Change.Kind.POST, action.stageId(), action.postId()));
            }
          })
          .map(new VoteReceipt(false, version));
    });
  }

  private boolean applyUpvote(PostEntry entry, String stageId, String participantId, boolean up) {
    Set<String> mine = upvoted.computeIfAbsent(stageId + '/' + participantId, k -> new LinkedHashSet<>());
    if (up) {
      mine.add(entry.post().id());
    } else {
      mine.remove(entry.post().id());
    }
    return entry.upvote(participantId, up);
  }

  @Override
  public Future<Set<String>> wordsOf(String stageId, String cloudId, String participantId) {
    return call(() -> {
      CloudTally tally = cloudTallies.get(stageId + '/' + cloudId);
      return Future.succeededFuture(tally == null ? Set.of() : tally.keysOf(participantId));
    });
  }

  @Override
  public Future<Set<String>> upvotedBy(String stageId, String participantId) {
    return call(() -> Future.succeededFuture(
        Set.copyOf(upvoted.getOrDefault(stageId + '/' + participantId, Set.of()))));
  }

  @Override
  public Future<Void> mute(String stageId, String participantId, boolean muted) {
    return mutate(() -> {
      if (!stages.containsKey(stageId)) {
        return refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stageId);
      }
      if (muted == mutedByStage.getOrDefault(stageId, Set.of()).contains(participantId)) {
        return Future.succeededFuture();
      }
      putMuted(stageId, participantId, muted);
      return durably(muteRecord(stageId, participantId, muted));
    });
  }

  @Override
  public Future<Boolean> isMuted(String stageId, String participantId) {
    return call(() -> Future.succeededFuture(mutedByStage.getOrDefault(stageId, Set.of()).contains(participantId)));
  }

  private void putMuted(String stageId, String participantId, boolean muted) {
    if (muted) {
      mutedByStage.computeIfAbsent(stageId, k -> new HashSet<>()).add(participantId);
    } else {
      Set<String> set = mutedByStage.get(stageId);
      if (set != null && set.remove(participantId) && set.isEmpty()) {
        mutedByStage.remove(stageId);
      }
    }
  }

  private static JsonObject muteRecord(String stageId, String participantId, boolean muted) {
    return new JsonObject().put("op", "mute").put("stage", stageId).put("p", participantId).put("muted", muted);
  }

  // ---- reactions -------------------------------------------------------------------------

  /** A stage's reactions (the rules are {@link org.plenum.stage.ReactionTally}'s) and the last journal record applied. */
  private static final class ReactionTally extends org.plenum.stage.ReactionTally {
    long lsn;
  }

  @Override
  public Future<VoteReceipt> react(ReactionAction action) {
    return mutate(() -> {
      long now = System.currentTimeMillis();
      ActionWindows.Remembered earlier = windows.get(action.stageId(), action.participantId(), action.actionId(), now);
      if (earlier != null) {
        return afterDurable(earlier, () -> new VoteReceipt(true,
            reactions.computeIfAbsent(action.stageId(), k -> new ReactionTally()).version()));
      }
      ReactionTally tally = reactions.computeIfAbsent(action.stageId(), k -> new ReactionTally());
      tally.add(action.emoji(), action.minuteEpochSecond());
      tally.lsn = nextLsn();
      counted(action.stageId(), new org.plenum.stage.Interaction(java.time.Instant.ofEpochMilli(now),
          org.plenum.stage.ActivityKind.REACTIONS, null, action.emoji(), action.participantId()));
      long version = tally.version();
      JsonObject record = new JsonObject().put("op", "react").put("stage", action.stageId())
          .put("p", action.participantId()).put("a", action.actionId()).put("emoji", action.emoji())
          .put("minute", action.minuteEpochSecond()).put("t", now);
      Future<Void> durable = durably(record);
      windows.remember(action.stageId(), action.participantId(), action.actionId(), now, null, durable);
      return durable
          .onSuccess(v -> announce(new Change(Change.Kind.REACTIONS, action.stageId(), null)))
          .map(new VoteReceipt(false, version));
    });
  }

  @Override
  public Future<ReactionTotals> reactionTotals(String stageId) {
    return call(() -> {
      ReactionTally tally = reactions.get(stageId);
      return Future.succeededFuture(tally == null ? new ReactionTotals(0, Map.of()) : tally.totals());
    });
  }

  @Override
  public Future<List<ReactionMinute>> reactionTimeline(String stageId) {
    return call(() -> {
      ReactionTally tally = reactions.get(stageId);
      if (tally == null) {
        return Future.succeededFuture(List.of());
      }
      return Future.succeededFuture(tally.timeline());
    });
  }

  // ---- what the screens show -------------------------------------------------------------

  @Override
  public Future<Presentation> present(String stageId, Presentation presentation) {
    return mutate(() -> {
      if (!stages.containsKey(stageId)) {
        return refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stageId);
      }
      putPresentation(stageId, presentation);
      return durably(presentationRecord(stageId, presentation))
          .onSuccess(v -> announce(new Change(Change.Kind.PRESENTATION, stageId, null)))
          .map(presentation);
    });
  }

  @Override
  public Future<Presentation> presentation(String stageId) {
    return call(() -> Future.succeededFuture(presentations.getOrDefault(stageId, Presentation.AUTO)));
  }

  private void putPresentation(String stageId, Presentation presentation) {
    if (presentation.kind() == Presentation.Kind.AUTO) {
      presentations.remove(stageId);
    } else {
      presentations.put(stageId, presentation);
    }
  }

  private static JsonObject presentationRecord(String stageId, Presentation presentation) {
    return new JsonObject().put("op", "present").put("stage", stageId)
        .put("presentation", StoredForm.presentation(presentation));
  }

  // ---- statistics ------------------------------------------------------------------------

  /** Counts an interaction accepted now, in the engine step that accepts it (before its record is journalled). */
  private void counted(String stageId, org.plenum.stage.Interaction interaction) {
    MemoryStatistics.Stats stats = statistics.of(stageId);
    stats.count(interaction);
    stats.lsn = nextLsn();
  }

  /** Counts a replayed interaction unless the snapshot's statistics hold it already. */
  private void replayCounted(String stageId, long lsn, org.plenum.stage.Interaction interaction) {
    MemoryStatistics.Stats stats = statistics.of(stageId);
    if (lsn > stats.lsn) {
      stats.count(interaction);
      stats.lsn = lsn;
    }
  }

  private static java.time.Instant recorded(JsonObject r) {
    return java.time.Instant.ofEpochMilli(r.getLong("t"));
  }

  private static org.plenum.stage.Interaction postInteraction(Post post, long at) {
    return new org.plenum.stage.Interaction(java.time.Instant.ofEpochMilli(at),
        org.plenum.stage.ActivityKind.ofPost(post.kind()), post.id(), post.kind().wire(), post.authorId());
  }

  private static org.plenum.stage.Interaction upvoteInteraction(String postId, boolean up, String participantId, long at) {
    return new org.plenum.stage.Interaction(java.time.Instant.ofEpochMilli(at), org.plenum.stage.ActivityKind.UPVOTES,
        postId, up ? "up" : "down", participantId);
  }

  @Override
  public Future<Void> recordSample(String stageId, org.plenum.stage.PresenceSample sample) {
    return mutate(() -> {
      long at = sample.at().toEpochMilli();
      if (!statistics.of(stageId).sample(at, sample.presence())) {
        return Future.succeededFuture();
      }
      return durably(MemoryStatistics.sampleRecord(stageId, at, sample.presence()));
    });
  }

  @Override
  public Future<List<org.plenum.stage.PresenceSample>> samples(String stageId) {
    return call(() -> Future.succeededFuture(statistics.samples(stageId)));
  }

  @Override
  public Future<List<org.plenum.stage.ActivityMinute>> activity(String stageId) {
    return call(() -> Future.succeededFuture(statistics.activity(stageId)));
  }

  @Override
  public Future<Long> distinctParticipants(String stageId) {
    return call(() -> Future.succeededFuture(statistics.distinct(List.of(stageId))));
  }

  @Override
  public Future<Long> distinctParticipants(List<String> stageIds) {
    return call(() -> Future.succeededFuture(statistics.distinct(stageIds)));
  }

  @Override
  public Future<List<org.plenum.stage.Interaction>> interactions(String stageId, long offset, int limit) {
    return call(() -> Future.succeededFuture(statistics.interactions(stageId, offset, limit)));
  }

  // ---- talks -----------------------------------------------------------------------------

  @Override
  public Future<org.plenum.stage.Talk> saveTalk(org.plenum.stage.Talk talk) {
    return mutate(() -> {
      putTalk(talk);
      return durably(new JsonObject().put("op", "talk").put("talk", StoredForm.talk(talk)))
          .onSuccess(v -> announce(new Change(Change.Kind.TALKS, talk.stageId(), null)))
          .map(talk);
    });
  }

  private void putTalk(org.plenum.stage.Talk talk) {
    talksByStage.computeIfAbsent(talk.stageId(), k -> new HashMap<>()).put(talk.id(), talk);
  }

  @Override
  public Future<Void> deleteTalk(String stageId, String talkId) {
    return mutate(() -> {
      Map<String, org.plenum.stage.Talk> talks = talksByStage.get(stageId);
      if (talks == null || talks.remove(talkId) == null) {
        return refuse(ErrorCode.UNKNOWN_TALK, RefusalTexts.TALK, talkId, RefusalTexts.STAGE, stageId);
      }
      surveys.dropTalk(stageId, talkId); // the talk's survey and its responses go with it
      return durably(new JsonObject().put("op", "talk-delete").put("stage", stageId).put("talk", talkId))
          .onSuccess(v -> announce(new Change(Change.Kind.TALKS, stageId, null)));
    });
  }

  @Override
  public Future<List<org.plenum.stage.Talk>> talks(String stageId) {
    return call(() -> {
      List<org.plenum.stage.Talk> out = new ArrayList<>(talksByStage.getOrDefault(stageId, Map.of()).values());
      out.sort(org.plenum.stage.Talk.ORDER);
      return Future.succeededFuture(List.copyOf(out));
    });
  }

  // ---- feedback surveys (issue 12) ----------------------------------------------------------

  @Override
  public Future<org.plenum.stage.Survey> saveSurvey(org.plenum.stage.Survey survey) {
    return mutate(() -> {
      if (!talksByStage.getOrDefault(survey.stageId(), Map.of()).containsKey(survey.talkId())) {
        return refuse(ErrorCode.UNKNOWN_TALK, RefusalTexts.TALK, survey.talkId(), RefusalTexts.STAGE, survey.stageId());
      }
      surveys.put(survey);
      return durably(MemorySurveys.definitionRecord(survey))
          .onSuccess(v -> announce(new Change(Change.Kind.SURVEY, survey.stageId(), survey.talkId())))
          .map(survey);
    });
  }

  @Override
  public Future<Optional<org.plenum.stage.Survey>> survey(String stageId, String talkId) {
    return call(() -> {
      MemorySurveys.Entry e = surveys.get(stageId, talkId);
      return Future.succeededFuture(Optional.ofNullable(e == null ? null : e.survey));
    });
  }

  @Override
  public Future<List<org.plenum.stage.Survey>> surveys(String stageId) {
    return call(() -> Future.succeededFuture(List.copyOf(surveys.surveys(stageId))));
  }

  @Override
  public Future<VoteReceipt> respond(SurveyAction action) {
    return mutate(() -> {
      long now = System.currentTimeMillis();
      ActionWindows.Remembered earlier = windows.get(action.stageId(), action.participantId(), action.actionId(), now);
      MemorySurveys.Entry entry = surveys.get(action.stageId(), action.talkId());
      if (earlier != null) {
        return afterDurable(earlier, () -> new VoteReceipt(true, entry == null ? 0 : entry.tally.version()));
      }
      ErrorCode refused = org.plenum.stage.SurveyTally.refusal(entry == null ? null : entry.survey);
      if (refused == ErrorCode.UNKNOWN_SURVEY) {
        return refuse(ErrorCode.UNKNOWN_SURVEY, RefusalTexts.TALK, action.talkId());
      }
      if (refused != null) {
        return refuse(refused, RefusalTexts.TALK, action.talkId(), RefusalTexts.PHASE, entry.survey.state().wire());
      }
      entry.tally.apply(action.participantId(), action.response());
      entry.lsn = nextLsn();
      long version = entry.tally.version();
      Future<Void> durable = durably(MemorySurveys.responseRecord(action, now));
      windows.remember(action.stageId(), action.participantId(), action.actionId(), now, null, durable);
      return durable
          .onSuccess(v -> announce(new Change(Change.Kind.SURVEY, action.stageId(), action.talkId())))
          .map(new VoteReceipt(false, version));
    });
  }

  @Override
  public Future<org.plenum.stage.SurveyResults> surveyResults(org.plenum.stage.Survey survey) {
    return call(() -> {
      MemorySurveys.Entry e = surveys.get(survey.stageId(), survey.talkId());
      return Future.succeededFuture(e == null
          ? org.plenum.stage.SurveyTally.results(survey, 0, 0, Map.of(), Map.of())
          : e.tally.results(survey));
    });
  }

  // ---- moderator access -------------------------------------------------------------------

  @Override
  public Future<org.plenum.stage.ModeratorAccess> saveModerator(org.plenum.stage.ModeratorAccess access) {
    return mutate(() -> {
      putModerator(access);
      return durably(new JsonObject().put("op", "moderator").put("moderator", StoredForm.moderator(access))).map(access);
    });
  }

  private void putModerator(org.plenum.stage.ModeratorAccess access) {
    moderators.put(access.id(), access);
    moderatorByHash.put(access.tokenHash(), access.id());
  }

  private void removeModerator(String moderatorId) {
    org.plenum.stage.ModeratorAccess gone = moderators.remove(moderatorId);
    if (gone != null) {
      moderatorByHash.remove(gone.tokenHash());
    }
  }

  @Override
  public Future<Void> deleteModerator(String eventId, String moderatorId) {
    return mutate(() -> {
      org.plenum.stage.ModeratorAccess access = moderators.get(moderatorId);
      if (access == null || !access.eventId().equals(eventId)) {
        return refuse(ErrorCode.UNKNOWN_MODERATOR, RefusalTexts.MODERATOR, moderatorId, RefusalTexts.EVENT, eventId);
      }
      removeModerator(moderatorId);
      return durably(new JsonObject().put("op", "moderator-delete").put("moderator", moderatorId))
          .onSuccess(v -> announce(new Change(Change.Kind.MODERATOR, eventId, moderatorId)));
    });
  }

  @Override
  public Future<List<org.plenum.stage.ModeratorAccess>> moderators(String eventId) {
    return call(() -> {
      List<org.plenum.stage.ModeratorAccess> out = new ArrayList<>();
      for (org.plenum.stage.ModeratorAccess m : moderators.values()) {
        if (m.eventId().equals(eventId)) {
          out.add(m);
        }
      }
      return Future.succeededFuture(out);
    });
  }

  @Override
  public Future<Optional<org.plenum.stage.ModeratorAccess>> moderatorByTokenHash(String tokenHash) {
    return call(() -> {
      String id = moderatorByHash.get(tokenHash);
      return Future.succeededFuture(Optional.ofNullable(id == null ? null : moderators.get(id)));
    });
  }

  // ---- organiser control: deletion, reset, order ---------------------------------------------

  /**
   * Deletion, reset and reordering are journalled as small records naming ids only (no text), and a
   * stage's or event's deletion and a reset are compacted at once: the snapshot is rewritten and the
   * journal generations holding the deleted data are removed before the Future succeeds, so the data
   * directory holds nothing of it afterwards. A poll's or cloud's deletion compacts like a deleted
   * post's (within {@code snapshotAfterDeleteMillis}).
   */
  @Override
  public Future<Void> deletePoll(String stageId, String pollId) {
    return mutate(() -> {
      if (!pollsByStage.getOrDefault(stageId, Map.of()).containsKey(pollId)) {
        return refuse(ErrorCode.UNKNOWN_POLL, RefusalTexts.POLL, pollId);
      }
      dropPoll(stageId, pollId);
      return durably(new JsonObject().put("op", "poll-delete").put("stage", stageId).put("poll", pollId))
          .onSuccess(v -> {
            announce(new Change(Change.Kind.POLL_DELETED, stageId, pollId));
            compactSoonAfterDeletion();
          });
    });
  }

  private void dropPoll(String stageId, String pollId) {
    Map<String, Poll> polls = pollsByStage.get(stageId);
    if (polls != null) {
      polls.remove(pollId);
    }
    tallies.remove(pollId);
  }

  @Override
  public Future<Void> deleteCloud(String stageId, String cloudId) {
    return mutate(() -> {
      if (cloudOf(stageId, cloudId) == null) {
        return refuse(ErrorCode.UNKNOWN_CLOUD, RefusalTexts.CLOUD, cloudId);
      }
      dropCloud(stageId, cloudId);
      return durably(new JsonObject().put("op", "cloud-delete").put("stage", stageId).put("cloud", cloudId))
          .onSuccess(v -> {
            announce(new Change(Change.Kind.CLOUD_DELETED, stageId, cloudId));
            compactSoonAfterDeletion();
          });
    });
  }

  private void dropCloud(String stageId, String cloudId) {
    Map<String, WordCloud> clouds = cloudsByStage.get(stageId);
    if (clouds != null) {
      clouds.remove(cloudId);
    }
    cloudTallies.remove(stageId + '/' + cloudId);
  }

  @Override
  public Future<Void> deleteStage(String stageId) {
    return mutate(() -> {
      if (!stages.containsKey(stageId)) {
        return refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stageId);
      }
      dropStage(stageId);
      windows.forgetStage(stageId);
      return durably(new JsonObject().put("op", "stage-delete").put("stage", stageId))
          .onSuccess(v -> announce(new Change(Change.Kind.STAGE_DELETED, stageId, null)))
          .compose(v -> compactNow());
    });
  }

  /** Forgets everything of a stage (the catalogue entry included). */
  private void dropStage(String stageId) {
    Stage gone = stages.remove(stageId);
    if (gone != null) {
      stageIdByCode.remove(gone.code(), stageId);
    }
    Map<String, Poll> polls = pollsByStage.remove(stageId);
    if (polls != null) {
      polls.keySet().forEach(tallies::remove);
    }
    cloudsByStage.remove(stageId);
    String prefix = stageId + '/';
    cloudTallies.keySet().removeIf(k -> k.startsWith(prefix));
    postsByStage.remove(stageId);
    upvoted.keySet().removeIf(k -> k.startsWith(prefix));
    reactions.remove(stageId);
    talksByStage.remove(stageId);
    presence.remove(stageId);
    presentations.remove(stageId);
    mutedByStage.remove(stageId);
    surveys.dropStage(stageId);
    statistics.forget(stageId);
    quiz.drop(stageId);
  }

  @Override
  public Future<Void> deleteEvent(String eventId) {
    return mutate(() -> {
      if (!events.containsKey(eventId)) {
        return refuse(ErrorCode.UNKNOWN_EVENT, RefusalTexts.EVENT, eventId);
      }
      List<String> gone = dropEvent(eventId);
      gone.forEach(windows::forgetStage);
      return durably(new JsonObject().put("op", "event-delete").put("event", eventId))
          .onSuccess(v -> gone.forEach(id -> announce(new Change(Change.Kind.STAGE_DELETED, id, null))))
          .compose(v -> compactNow());
    });
  }

  /** Forgets an event, its stages and its moderator accesses; returns the ids of the stages. */
  private List<String> dropEvent(String eventId) {
    List<String> gone = new ArrayList<>();
    for (Stage st : stages.values()) {
      if (st.eventId().equals(eventId)) {
        gone.add(st.id());
      }
    }
    gone.forEach(this::dropStage);
    for (org.plenum.stage.ModeratorAccess m : List.copyOf(moderators.values())) {
      if (m.eventId().equals(eventId)) {
        removeModerator(m.id());
      }
    }
    events.remove(eventId);
    return gone;
  }

  @Override
  public Future<Void> resetStage(String stageId) {
    return mutate(() -> {
      if (!stages.containsKey(stageId)) {
        return refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stageId);
      }
      resetState(stageId, nextLsn(), false);
      windows.forgetStage(stageId);
      return durably(new JsonObject().put("op", "stage-reset").put("stage", stageId))
          .onSuccess(v -> announce(new Change(Change.Kind.STAGE_RESET, stageId, null)))
          .compose(v -> compactNow());
    });
  }

  /**
   * Clears a stage's interactions and puts its polls and clouds back to draft. In replay
   * ({@code replaying}) an aggregate the snapshot holds from after the reset (its sequence number is
   * newer than the reset's) is kept, as with every record.
   */
  private void resetState(String stageId, long lsn, boolean replaying) {
    surveys.reset(stageId, lsn, replaying);
    Map<String, Poll> polls = pollsByStage.getOrDefault(stageId, Map.of());
    for (Poll p : List.copyOf(polls.values())) {
      polls.put(p.id(), p.toDraft());
      Tally old = tallies.get(p.id());
      if (old != null && (!replaying || lsn > old.lsn)) {
        Tally fresh = new Tally();
        fresh.version(old.version() + 1);
        fresh.lsn = lsn;
        tallies.put(p.id(), fresh);
      }
    }
    Map<String, WordCloud> clouds = cloudsByStage.getOrDefault(stageId, Map.of());
    for (WordCloud c : List.copyOf(clouds.values())) {
      clouds.put(c.id(), new WordCloud(c.id(), c.stageId(), c.prompt(), c.maxEntries(), org.plenum.stage.Phase.DRAFT,
          c.resultsVisible(), c.createdAt(), null, null));
      CloudTally old = cloudTallies.get(stageId + '/' + c.id());
      if (old != null && (!replaying || lsn > old.lsn)) {
        CloudTally fresh = new CloudTally();
        fresh.version(old.version() + 1);
        fresh.lsn = lsn;
        cloudTallies.put(stageId + '/' + c.id(), fresh);
      }
    }
    Map<String, PostEntry> posts = postsByStage.get(stageId);
    if (posts != null) {
      posts.values().removeIf(e -> !replaying || lsn > e.lsn);
    }
    String prefix = stageId + '/';
    upvoted.keySet().removeIf(k -> k.startsWith(prefix));
    if (posts != null) {
      for (PostEntry e : posts.values()) { // posts kept in replay: their upvoters' index again
        for (String p : e.upvoters()) {
          upvoted.computeIfAbsent(prefix + p, k -> new LinkedHashSet<>()).add(e.post().id());
        }
      }
    }
    quiz.reset(stageId, lsn, replaying);
    ReactionTally oldReactions = reactions.get(stageId);
    if (oldReactions != null && (!replaying || lsn > oldReactions.lsn)) {
      ReactionTally fresh = new ReactionTally();
      fresh.version(oldReactions.version() + 1);
      fresh.lsn = lsn;
      reactions.put(stageId, fresh);
    }
    // the rehearsal's statistics go with its interactions; the screens go back to automatic
    if (!replaying || lsn > statistics.of(stageId).lsn) {
      statistics.forget(stageId);
    }
    presentations.remove(stageId);
    mutedByStage.remove(stageId); // the rehearsal's participants
  }

  @Override
  public Future<Void> reorderPolls(String stageId, List<String> pollIds) {
    return reorder(stageId, "polls", pollIds);
  }

  @Override
  public Future<Void> reorderClouds(String stageId, List<String> cloudIds) {
    return reorder(stageId, "clouds", cloudIds);
  }

  private Future<Void> reorder(String stageId, String kind, List<String> ids) {
    return mutate(() -> {
      if (!stages.containsKey(stageId)) {
        return refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stageId);
      }
      Map<String, ?> current = kind.equals("polls") ? pollsByStage.getOrDefault(stageId, Map.of())
          : cloudsByStage.getOrDefault(stageId, Map.of());
      if (!isPermutation(ids, current.keySet())) {
        return refuse(ErrorCode.INVALID_FIELD, RefusalTexts.ORDER, kind);
      }
      applyOrder(stageId, kind, ids);
      return durably(new JsonObject().put("op", "order").put("stage", stageId).put("kind", kind)
              .put("ids", new io.vertx.core.json.JsonArray(new ArrayList<>(ids))))
          .onSuccess(v -> announce(new Change(Change.Kind.ORDER, stageId, null)));
    });
  }

  static boolean isPermutation(List<String> ids, java.util.Collection<String> existing) {
    return ids.size() == existing.size() && new HashSet<>(ids).size() == ids.size() && existing.containsAll(ids);
  }

  private <T> void applyOrder(String stageId, String kind, List<String> ids) {
    @SuppressWarnings("unchecked")
    Map<String, T> current = (Map<String, T>) (kind.equals("polls") ? pollsByStage.get(stageId) : cloudsByStage.get(stageId));
    if (current == null) {
      return;
    }
    Map<String, T> copy = new LinkedHashMap<>(current);
    current.clear();
    for (String id : ids) {
      T item = copy.remove(id);
      if (item != null) {
        current.put(id, item);
      }
    }
    current.putAll(copy); // in replay: anything the record did not name keeps its place after
  }

  @Override
  public Future<Void> reorderStages(String eventId, List<String> stageIds) {
    return mutate(() -> {
      if (!events.containsKey(eventId)) {
        return refuse(ErrorCode.UNKNOWN_EVENT, RefusalTexts.EVENT, eventId);
      }
      List<String> current = new ArrayList<>();
      stages.values().forEach(st -> {
        if (st.eventId().equals(eventId)) {
          current.add(st.id());
        }
      });
      if (!isPermutation(stageIds, current)) {
        return refuse(ErrorCode.INVALID_FIELD, RefusalTexts.ORDER, "stages");
      }
      applyStageOrder(stageIds);
      return durably(new JsonObject().put("op", "stage-order").put("event", eventId)
          .put("ids", new io.vertx.core.json.JsonArray(new ArrayList<>(stageIds))));
    });
  }

  /** The stages named move to the end of the (global) order, in this order: their event lists them so. */
  private void applyStageOrder(List<String> stageIds) {
    for (String id : stageIds) {
      Stage st = stages.remove(id);
      if (st != null) {
        stages.put(id, st);
      }
    }
  }

  private void replayControl(JsonObject r, long lsn) {
    switch (r.getString("op")) {
      case "poll-delete" -> dropPoll(r.getString("stage"), r.getString("poll"));
      case "cloud-delete" -> dropCloud(r.getString("stage"), r.getString("cloud"));
      case "stage-delete" -> dropStage(r.getString("stage"));
      case "event-delete" -> dropEvent(r.getString("event"));
      case "stage-reset" -> resetState(r.getString("stage"), lsn, true);
      case "order" -> applyOrder(r.getString("stage"), r.getString("kind"), strings(r.getJsonArray("ids")));
      case "stage-order" -> applyStageOrder(strings(r.getJsonArray("ids")));
      default -> throw new IllegalStateException("journal: unknown record " + r.getString("op"));
    }
    compactionOwed = true; // replayed from the tail: the data it removed may still be on disk
  }

  private static List<String> strings(io.vertx.core.json.JsonArray array) {
    List<String> out = new ArrayList<>(array.size());
    array.forEach(o -> out.add((String) o));
    return out;
  }

  /** A deletion or reset was replayed from the journal tail: the next {@link #finishDeletions} compacts. */
  private boolean compactionOwed;

  /**
   * Takes a snapshot now, waiting for one under way, and completes once it is in place. A snapshot
   * that fails is retried later ({@code compactSoonAfterDeletion}); the change itself is durable, so
   * the caller's Future still succeeds.
   */
  private Future<Void> compactNow() {
    if (journal == null) {
      return Future.succeededFuture();
    }
    if (snapshotting) {
      Promise<Void> later = Promise.promise();
      vertx.setTimer(20, id -> confinement.owner().runOnContext(v -> compactNow().onComplete(later)));
      return later.future();
    }
    snapshotting = true;
    return takeSnapshot().recover(err -> {
      LOG.warning("compaction after a deletion failed, retrying soon: " + err);
      compactSoonAfterDeletion();
      return Future.succeededFuture();
    });
  }

  /**
   * Anything stored for a stage that no longer exists (an action in flight when it was deleted
   * landed after) is dropped, and a deletion replayed at start is compacted.
   */
  @Override
  public Future<Integer> finishDeletions() {
    return mutate(() -> {
      Set<String> orphans = new LinkedHashSet<>();
      for (Map<String, ?> byStage : List.<Map<String, ?>>of(pollsByStage, cloudsByStage, postsByStage, reactions,
          talksByStage)) {
        byStage.keySet().forEach(id -> {
          if (!stages.containsKey(id)) {
            orphans.add(id);
          }
        });
      }
      presence.keySet().removeIf(id -> !stages.containsKey(id)); // never on disk
      // counts without a poll (a vote that raced a deletion, or named no poll) come back from the journal until compacted
      Set<String> pollIds = new HashSet<>();
      pollsByStage.values().forEach(m -> pollIds.addAll(m.keySet()));
      boolean strays = tallies.keySet().removeIf(id -> !pollIds.contains(id))
          | cloudTallies.keySet().removeIf(k -> !stages.containsKey(k.substring(0, Math.max(0, k.indexOf('/')))))
          | upvoted.keySet().removeIf(k -> !stages.containsKey(k.substring(0, Math.max(0, k.indexOf('/')))));
      if (orphans.isEmpty() && !strays && !compactionOwed) {
        return Future.succeededFuture(0);
      }
      compactionOwed = false;
      Future<Void> dropped = Future.succeededFuture();
      for (String id : orphans) {
        dropStage(id);
        windows.forgetStage(id);
        dropped = dropped.compose(v -> durably(new JsonObject().put("op", "stage-delete").put("stage", id)));
      }
      return dropped.compose(v -> compactNow()).map(orphans.size());
    });
  }

  /** A refusal by code and facts (key, value, ...): the edge words it ({@link RefusalTexts}). */
  private static <T> Future<T> refuse(ErrorCode code, Object... facts) {
    return Future.failedFuture(EngineRefusal.of(code, facts));
  }

  // ---- quiz ------------------------------------------------------------------------------

  @Override
  public Future<VoteReceipt> answer(VoteAction action, Poll asked) {
    return mutate(() -> {
      long now = System.currentTimeMillis();
      ActionWindows.Remembered earlier = windows.get(action.stageId(), action.participantId(), action.actionId(), now);
      if (earlier != null) {
        return afterDurable(earlier, () -> new VoteReceipt(true,
            tallies.computeIfAbsent(action.pollId(), k -> new Tally()).version()));
      }
      Poll poll = pollsByStage.getOrDefault(action.stageId(), Map.of()).get(action.pollId());
      ErrorCode refused = PollTally.refusal(poll, now);
      if (refused == ErrorCode.UNKNOWN_POLL || !poll.isQuiz()) {
        return refuse(ErrorCode.UNKNOWN_POLL, RefusalTexts.POLL, action.pollId());
      }
      if (refused == ErrorCode.POLL_CLOSED) {
        return refuse(ErrorCode.POLL_CLOSED, RefusalTexts.POLL, poll.id(), RefusalTexts.CLOSES_AT, poll.closesAt().toString());
      }
      if (refused != null) {
        return refuse(ErrorCode.POLL_NOT_OPEN, RefusalTexts.POLL, poll.id(), RefusalTexts.PHASE, poll.state().wire());
      }
      Tally tally = tallies.computeIfAbsent(action.pollId(), k -> new Tally());
      if (tally.ballots().containsKey(action.participantId())) {
        return refuse(ErrorCode.ALREADY_ANSWERED, RefusalTexts.POLL, poll.id());
      }
      // the engine's own poll decides (its key, its opening), at the engine's clock
      boolean right = poll.quiz().isCorrect(action.ballot());
      long earned = poll.quiz().points(action.ballot(), poll.openedAt(), poll.closesAt(), now);
      long lsn = nextLsn();
      tally.apply(action.participantId(), action.ballot());
      tally.lsn = lsn;
      MemoryQuiz.Entry standings = quiz.of(action.stageId());
      standings.scores.score(poll.id(), action.participantId(), earned, right);
      standings.lsn = lsn;
      counted(action.stageId(), new org.plenum.stage.Interaction(java.time.Instant.ofEpochMilli(now),
          org.plenum.stage.ActivityKind.VOTES, action.pollId(), action.ballot().encode(), action.participantId()));
      long version = tally.version();
      JsonObject record = new JsonObject().put("op", "answer").put("stage", action.stageId()).put("poll", action.pollId())
          .put("p", action.participantId()).put("a", action.actionId()).put("b", action.ballot().encode()).put("t", now)
          .put("pt", earned).put("ok", right);
      Future<Void> durable = durably(record);
      windows.remember(action.stageId(), action.participantId(), action.actionId(), now, null, durable);
      return durable
          .onSuccess(v -> {
            announce(new Change(Change.Kind.RESULTS, action.stageId(), action.pollId()));
            announce(new Change(Change.Kind.LEADERBOARD, action.stageId(), null));
          })
          .map(new VoteReceipt(false, version));
    });
  }

  /** Re-applies an answer or a nickname; the tally and the standings each skip what the snapshot holds. */
  private void replayQuiz(JsonObject r, long lsn, long now) {
    String stageId = r.getString("stage");
    MemoryQuiz.Entry standings = quiz.of(stageId);
    if (r.getString("op").equals("nickname")) {
      if (lsn > standings.lsn) {
        standings.scores.nickname(r.getString("p"), org.plenum.stage.Nickname.decode(r.getString("nick")));
        standings.lsn = lsn;
      }
      return;
    }
    Tally tally = tallies.computeIfAbsent(r.getString("poll"), k -> new Tally());
    if (lsn > tally.lsn) {
      tally.apply(r.getString("p"), Ballot.decode(r.getString("b")));
      tally.lsn = lsn;
    }
    if (lsn > standings.lsn) {
      standings.scores.score(r.getString("poll"), r.getString("p"), r.getLong("pt"), r.getBoolean("ok"));
      standings.lsn = lsn;
    }
    replayCounted(stageId, lsn, new org.plenum.stage.Interaction(recorded(r),
        org.plenum.stage.ActivityKind.VOTES, r.getString("poll"), r.getString("b"), r.getString("p")));
    rememberReplayed(r, stageId, null, now);
  }

  @Override
  public Future<org.plenum.stage.Leaderboard> leaderboard(String stageId, int limit) {
    return call(() -> Future.succeededFuture(quiz.leaderboard(stageId, limit)));
  }

  @Override
  public Future<org.plenum.stage.Standing> standing(String stageId, String participantId, List<String> quizIds) {
    return call(() -> Future.succeededFuture(quiz.standing(stageId, participantId, quizIds)));
  }

  @Override
  public Future<Void> setNickname(String stageId, String participantId, org.plenum.stage.Nickname nickname) {
    return mutate(() -> {
      if (!stages.containsKey(stageId)) {
        return refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stageId);
      }
      MemoryQuiz.Entry standings = quiz.of(stageId);
      standings.scores.nickname(participantId, nickname);
      standings.lsn = nextLsn();
      return durably(new JsonObject().put("op", "nickname").put("stage", stageId).put("p", participantId)
              .put("nick", nickname.encode()))
          .onSuccess(v -> announce(new Change(Change.Kind.LEADERBOARD, stageId, null)));
    });
  }

  @Override
  public Future<List<org.plenum.stage.QuizScore>> quizScores(String stageId) {
    return call(() -> Future.succeededFuture(quiz.scores(stageId)));
  }
}
