package org.plenum.engine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.protocol.Wire;
import org.plenum.stage.Ballot;
import org.plenum.stage.Event;
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;
import org.plenum.stage.Presence;
import org.plenum.stage.Stage;

/**
 * The embedded single-node engine. All state lives on one Vert.x context (no locks); every change
 * is appended to a {@link Journal} and acknowledged only once it is on disk, so a restart loses
 * nothing. With no data directory it keeps everything in memory only (tests, throw-away demos).
 */
final class MemoryEngine implements Engine {
  private final Vertx vertx;
  private final Confinement confinement;
  private final Journal journal;
  private final long actionIdTtlMillis;

  private byte[] secret;
  private final Map<String, Event> events = new LinkedHashMap<>();
  private final Map<String, Stage> stages = new LinkedHashMap<>();
  private final Map<String, String> stageIdByCode = new HashMap<>();
  private final Map<String, Map<String, Poll>> pollsByStage = new HashMap<>();
  private final Map<String, Tally> tallies = new HashMap<>();
  private final Map<String, Long> actionExpiry = new HashMap<>();
  private final ArrayDeque<String> actionOrder = new ArrayDeque<>();
  private final Map<String, Map<String, Report>> presence = new HashMap<>();
  private boolean started;

  /** Counts of one poll plus each participant's current ballot. */
  private static final class Tally {
    long version;
    final Map<String, Long> counts = new HashMap<>();
    final Map<String, String> ballots = new HashMap<>();
  }

  private record Report(Presence presence, long expiresAt) {}

  /**
   * @param journalPath the journal file, or null to keep state in memory only
   */
  MemoryEngine(Vertx vertx, Context owner, String journalPath, boolean fsync, long actionIdTtlMillis) {
    this.vertx = vertx;
    this.confinement = new Confinement(owner);
    this.journal = journalPath == null ? null : new Journal(vertx, journalPath, fsync);
    this.actionIdTtlMillis = actionIdTtlMillis;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public boolean isReady() {
    return started;
  }

  @Override
  public Future<Void> start() {
    return confinement.call(() -> {
      Future<List<JsonObject>> replay = journal == null ? Future.succeededFuture(List.of()) : journal.open();
      return replay.compose(records -> {
        for (JsonObject r : records) {
          replay(r);
        }
        if (secret == null) {
          secret = new byte[32];
          new SecureRandom().nextBytes(secret);
          return durably(new JsonObject().put("op", "secret").put("value", Base64.getEncoder().encodeToString(secret)));
        }
        return Future.succeededFuture();
      }).onSuccess(v -> started = true);
    });
  }

  @Override
  public Future<Void> stop() {
    return confinement.call(() -> {
      started = false;
      return journal == null ? Future.succeededFuture() : journal.close();
    });
  }

  @Override
  public Future<byte[]> tokenSecret() {
    return confinement.call(() -> Future.succeededFuture(secret));
  }

  // ---- catalogue -------------------------------------------------------------------------

  @Override
  public Future<Event> createEvent(Event event) {
    return confinement.call(() -> {
      events.put(event.id(), event);
      return durably(new JsonObject().put("op", "event").put("event", Wire.event(event))).map(event);
    });
  }

  @Override
  public Future<List<Event>> events() {
    return confinement.call(() -> Future.succeededFuture(List.copyOf(events.values())));
  }

  @Override
  public Future<Optional<Event>> event(String eventId) {
    return confinement.call(() -> Future.succeededFuture(Optional.ofNullable(events.get(eventId))));
  }

  @Override
  public Future<Stage> createStage(Stage stage) {
    return confinement.call(() -> {
      if (stageIdByCode.containsKey(stage.code())) {
        return Future.failedFuture(new CodeTakenException(stage.code()));
      }
      putStage(stage);
      return durably(new JsonObject().put("op", "stage").put("stage", Wire.stage(stage))).map(stage);
    });
  }

  private void putStage(Stage stage) {
    stages.put(stage.id(), stage);
    stageIdByCode.put(stage.code(), stage.id());
  }

  @Override
  public Future<List<Stage>> stages(String eventId) {
    return confinement.call(() -> {
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
    return confinement.call(() -> Future.succeededFuture(Optional.ofNullable(stages.get(stageId))));
  }

  @Override
  public Future<Optional<Stage>> stageByCode(String code) {
    return confinement.call(() -> {
      String id = stageIdByCode.get(code);
      return Future.succeededFuture(Optional.ofNullable(id == null ? null : stages.get(id)));
    });
  }

  @Override
  public Future<Poll> savePoll(Poll poll) {
    return confinement.call(() -> {
      putPoll(poll);
      return durably(new JsonObject().put("op", "poll").put("poll", Wire.poll(poll)))
          .onSuccess(v -> Change.publish(vertx, new Change(Change.Kind.POLL, poll.stageId(), poll.id())))
          .map(poll);
    });
  }

  private void putPoll(Poll poll) {
    pollsByStage.computeIfAbsent(poll.stageId(), k -> new LinkedHashMap<>()).put(poll.id(), poll);
  }

  @Override
  public Future<List<Poll>> polls(String stageId) {
    return confinement.call(() -> Future.succeededFuture(
        List.copyOf(pollsByStage.getOrDefault(stageId, Map.of()).values())));
  }

  @Override
  public Future<Optional<Poll>> poll(String stageId, String pollId) {
    return confinement.call(() -> Future.succeededFuture(
        Optional.ofNullable(pollsByStage.getOrDefault(stageId, Map.of()).get(pollId))));
  }

  // ---- aggregates ------------------------------------------------------------------------

  @Override
  public Future<VoteReceipt> vote(VoteAction action) {
    return confinement.call(() -> {
      long now = System.currentTimeMillis();
      expireActionIds(now);
      String actionKey = actionKey(action.stageId(), action.participantId(), action.actionId());
      Tally tally = tallies.computeIfAbsent(action.pollId(), k -> new Tally());
      if (actionExpiry.containsKey(actionKey)) {
        return Future.succeededFuture(new VoteReceipt(true, tally.version));
      }
      Poll poll = pollsByStage.getOrDefault(action.stageId(), Map.of()).get(action.pollId());
      if (poll == null) {
        return Future.failedFuture(new PlenumException(ErrorCode.UNKNOWN_POLL, "No poll " + action.pollId() + " on this stage."));
      }
      if (!poll.isOpen()) {
        return Future.failedFuture(new PlenumException(ErrorCode.POLL_NOT_OPEN, "Poll " + poll.id() + " is " + poll.state().wire() + "."));
      }
      apply(tally, action.participantId(), action.ballot());
      remember(actionKey, now + actionIdTtlMillis);
      long version = tally.version;
      JsonObject record = new JsonObject().put("op", "vote").put("stage", action.stageId()).put("poll", action.pollId())
          .put("p", action.participantId()).put("a", action.actionId()).put("b", action.ballot().encode()).put("t", now);
      return durably(record)
          .onSuccess(v -> Change.publish(vertx, new Change(Change.Kind.RESULTS, action.stageId(), action.pollId())))
          .map(new VoteReceipt(false, version));
    });
  }

  private static void apply(Tally tally, String participantId, Ballot ballot) {
    String previous = tally.ballots.put(participantId, ballot.encode());
    if (previous != null) {
      for (String key : Ballot.decode(previous).keys()) {
        tally.counts.merge(key, -1L, Long::sum);
      }
    }
    for (String key : ballot.keys()) {
      tally.counts.merge(key, 1L, Long::sum);
    }
    tally.version++;
  }

  private static String actionKey(String stageId, String participantId, String actionId) {
    return stageId + '/' + participantId + '/' + actionId;
  }

  private void remember(String actionKey, long expiresAt) {
    actionExpiry.put(actionKey, expiresAt);
    actionOrder.addLast(actionKey);
  }

  /** Action ids expire in insertion order, so the oldest are always at the head. */
  private void expireActionIds(long now) {
    while (!actionOrder.isEmpty()) {
      String head = actionOrder.peekFirst();
      Long expiresAt = actionExpiry.get(head);
      if (expiresAt != null && expiresAt > now) {
        return;
      }
      actionOrder.pollFirst();
      actionExpiry.remove(head);
    }
  }

  @Override
  public Future<PollResults> results(Poll poll) {
    return confinement.call(() -> {
      Tally tally = tallies.get(poll.id());
      if (tally == null) {
        return Future.succeededFuture(PollResults.of(poll, 0, 0, Map.of()));
      }
      return Future.succeededFuture(PollResults.of(poll, tally.version, tally.ballots.size(), tally.counts));
    });
  }

  @Override
  public Future<Void> reportPresence(String reporterId, String stageId, Presence p, long ttlMillis) {
    return confinement.call(() -> {
      presence.computeIfAbsent(stageId, k -> new HashMap<>())
          .put(reporterId, new Report(p, System.currentTimeMillis() + ttlMillis));
      Change.publish(vertx, new Change(Change.Kind.PRESENCE, stageId, null));
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Presence> presence(String stageId) {
    return confinement.call(() -> {
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

  // ---- durability ------------------------------------------------------------------------

  private Future<Void> durably(JsonObject record) {
    return journal == null ? Future.succeededFuture() : journal.append(record);
  }

  /** Re-applies one journal record; votes were checked when first applied, so they are not checked again. */
  private void replay(JsonObject r) {
    switch (r.getString("op")) {
      case "secret" -> secret = Base64.getDecoder().decode(r.getString("value"));
      case "event" -> {
        Event e = Wire.event(r.getJsonObject("event"));
        events.put(e.id(), e);
      }
      case "stage" -> putStage(Wire.stage(r.getJsonObject("stage")));
      case "poll" -> putPoll(Wire.poll(r.getJsonObject("poll")));
      case "vote" -> {
        Tally tally = tallies.computeIfAbsent(r.getString("poll"), k -> new Tally());
        apply(tally, r.getString("p"), Ballot.decode(r.getString("b")));
        long expiresAt = r.getLong("t") + actionIdTtlMillis;
        if (expiresAt > System.currentTimeMillis()) {
          remember(actionKey(r.getString("stage"), r.getString("p"), r.getString("a")), expiresAt);
        }
      }
      default -> throw new IllegalStateException("journal: unknown record " + r.getString("op"));
    }
  }
}
