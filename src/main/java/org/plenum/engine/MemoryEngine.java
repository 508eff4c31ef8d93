package org.plenum.engine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.protocol.Wire;
import org.plenum.stage.Ballot;
import org.plenum.stage.CloudResults;
import org.plenum.stage.CloudWord;
import org.plenum.stage.Event;
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;
import org.plenum.stage.Post;
import org.plenum.stage.PostView;
import org.plenum.stage.Presence;
import org.plenum.stage.ReactionMinute;
import org.plenum.stage.ReactionTotals;
import org.plenum.stage.Stage;
import org.plenum.stage.WordCloud;

/**
 * The embedded single-node engine. All state lives on one Vert.x context (no locks); every change
 * is appended to a {@link Journal} and acknowledged only once it is on disk, so a restart loses
 * nothing. With no data directory it keeps everything in memory only (tests, throw-away demos).
 */
final class MemoryEngine implements Engine {
  /** Journal records applied per event-loop task at start. */
  private static final int REPLAY_SLICE = 20_000;
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
  /** Applied action ids of every kind (stage/participant/action), expiring in insertion order. */
  private final Map<String, Remembered> actionExpiry = new HashMap<>();
  private final ArrayDeque<String> actionOrder = new ArrayDeque<>();
  private final Map<String, Map<String, Report>> presence = new HashMap<>();
  private final Map<String, Map<String, WordCloud>> cloudsByStage = new HashMap<>();
  /** By "stage/cloud". */
  private final Map<String, CloudTally> cloudTallies = new HashMap<>();
  private final Map<String, Map<String, PostEntry>> postsByStage = new HashMap<>();
  /** By "stage/participant": the ids of the posts the participant upvotes. */
  private final Map<String, Set<String>> upvoted = new HashMap<>();
  private final Map<String, ReactionTally> reactions = new HashMap<>();
  private final Map<String, Map<String, org.plenum.stage.Talk>> talksByStage = new HashMap<>();
  private final Map<String, org.plenum.stage.ModeratorAccess> moderators = new LinkedHashMap<>();
  /** Moderator id by token hash. */
  private final Map<String, String> moderatorByHash = new HashMap<>();
  private boolean started;
  private final java.util.Set<Change> unannounced = new java.util.LinkedHashSet<>();
  private boolean announcing;

  /** Counts of one poll plus each participant's current ballot. */
  private static final class Tally {
    long version;
    final Map<String, Long> counts = new HashMap<>();
    final Map<String, String> ballots = new HashMap<>();
  }

  private record Report(Presence presence, long expiresAt) {}

  /** An applied action id: until when it is remembered, and the post it created (null for other kinds). */
  private record Remembered(long expiresAt, String postId) {}

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
      return replay.compose(records -> replayInSlices(records, 0)).compose(v -> {
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
          .onSuccess(v -> announce(new Change(Change.Kind.POLL, poll.stageId(), poll.id())))
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
      remember(actionKey, now + actionIdTtlMillis, null);
      long version = tally.version;
      JsonObject record = new JsonObject().put("op", "vote").put("stage", action.stageId()).put("poll", action.pollId())
          .put("p", action.participantId()).put("a", action.actionId()).put("b", action.ballot().encode()).put("t", now);
      return durably(record)
          .onSuccess(v -> announce(new Change(Change.Kind.RESULTS, action.stageId(), action.pollId())))
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

  private void remember(String actionKey, long expiresAt, String postId) {
    actionExpiry.put(actionKey, new Remembered(expiresAt, postId));
    actionOrder.addLast(actionKey);
  }

  /** Action ids expire in insertion order, so the oldest are always at the head. */
  private void expireActionIds(long now) {
    while (!actionOrder.isEmpty()) {
      String head = actionOrder.peekFirst();
      Remembered remembered = actionExpiry.get(head);
      if (remembered != null && remembered.expiresAt() > now) {
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
      announce(new Change(Change.Kind.PRESENCE, stageId, null));
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

  private Future<Void> durably(JsonObject record) {
    return journal == null ? Future.succeededFuture() : journal.append(record);
  }

  /**
   * Replays {@code REPLAY_SLICE} records per event-loop task: a journal of a million records
   * takes seconds to apply, and the engine's loop must not be held that long in one go.
   */
  private Future<Void> replayInSlices(List<JsonObject> records, int from) {
    int to = Math.min(records.size(), from + REPLAY_SLICE);
    for (int i = from; i < to; i++) {
      replay(records.get(i));
    }
    if (to == records.size()) {
      return Future.succeededFuture();
    }
    Promise<Void> rest = Promise.promise();
    confinement.owner().runOnContext(v -> replayInSlices(records, to).onComplete(rest));
    return rest.future();
  }

  /**
   * Re-applies one journal record; actions were checked when first applied, so they are not checked
   * again (a word is resolved through the merges journalled before it, as it was the first time).
   */
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
        rememberReplayed(r, r.getString("stage"), null);
      }
      case "cloud" -> putCloud(Wire.cloud(r.getJsonObject("cloud")));
      case "talk" -> putTalk(Wire.talk(r.getJsonObject("talk")));
      case "talk-delete" -> talksByStage.getOrDefault(r.getString("stage"), new HashMap<>()).remove(r.getString("talk"));
      case "moderator" -> putModerator(Wire.moderatorStored(r.getJsonObject("moderator")));
      case "moderator-delete" -> removeModerator(r.getString("moderator"));
      case "word" -> {
        tally(r.getString("stage"), r.getString("cloud")).add(r.getString("p"), r.getString("key"), r.getString("spelling"));
        rememberReplayed(r, r.getString("stage"), null);
      }
      case "hide" -> tally(r.getString("stage"), r.getString("cloud")).hide(r.getString("key"), r.getBoolean("hidden"));
      case "merge" -> tally(r.getString("stage"), r.getString("cloud")).merge(r.getString("from"), r.getString("into"));
      case "post" -> {
        Post post = Wire.post(r.getJsonObject("post"));
        putPost(post);
        rememberReplayed(r, post.stageId(), post.id());
      }
      case "post-update" -> {
        Post post = Wire.post(r.getJsonObject("post"));
        replacePost(postOf(post.stageId(), post.id()), post);
      }
      case "upvote" -> {
        applyUpvote(postOf(r.getString("stage"), r.getString("post")), r.getString("stage"), r.getString("p"),
            r.getBoolean("up"));
        rememberReplayed(r, r.getString("stage"), null);
      }
      case "react" -> {
        reactions.computeIfAbsent(r.getString("stage"), k -> new ReactionTally())
            .add(r.getString("emoji"), r.getLong("minute"));
        rememberReplayed(r, r.getString("stage"), null);
      }
      default -> throw new IllegalStateException("journal: unknown record " + r.getString("op"));
    }
  }

  /** Remembers a replayed action's id for what is left of its time to live. */
  private void rememberReplayed(JsonObject r, String stageId, String postId) {
    long expiresAt = r.getLong("t") + actionIdTtlMillis;
    if (expiresAt > System.currentTimeMillis()) {
      remember(actionKey(stageId, r.getString("p"), r.getString("a")), expiresAt, postId);
    }
  }

  // ---- catalogue updates ----------------------------------------------------------------

  @Override
  public Future<Event> updateEvent(Event event) {
    return confinement.call(() -> {
      Event existing = events.get(event.id());
      if (existing == null) {
        return refuse(ErrorCode.UNKNOWN_EVENT, "No event " + event.id() + ".");
      }
      Event next = new Event(existing.id(), event.name(), existing.createdAt(), List.copyOf(event.blockedWords()));
      events.put(next.id(), next);
      return durably(new JsonObject().put("op", "event").put("event", Wire.event(next))).map(next);
    });
  }

  @Override
  public Future<Stage> updateStage(Stage stage) {
    return confinement.call(() -> {
      Stage existing = stages.get(stage.id());
      if (existing == null) {
        return refuse(ErrorCode.UNKNOWN_STAGE, "No stage " + stage.id() + ".");
      }
      Stage next = new Stage(existing.id(), existing.eventId(), stage.name(), existing.code(), existing.createdAt(),
          stage.settings());
      putStage(next);
      return durably(new JsonObject().put("op", "stage").put("stage", Wire.stage(next)))
          .onSuccess(v -> announce(new Change(Change.Kind.STAGE, next.id(), null)))
          .map(next);
    });
  }

  // ---- word clouds -----------------------------------------------------------------------

  /** The entries of one cloud: who gave which key, in which spellings, and the moderators' changes. */
  private static final class CloudTally {
    long version;
    long entries;
    final Map<String, Set<String>> contributors = new HashMap<>();
    final Map<String, Map<String, Long>> spellings = new HashMap<>();
    final Map<String, Set<String>> keysOf = new HashMap<>();
    final Map<String, String> mergedInto = new HashMap<>();
    final Set<String> hidden = new HashSet<>();
    /** Every key with contributors, best first, kept sorted as counts move (text unused). */
    final TreeSet<CloudWord> ranking = new TreeSet<>(CloudRanking.ORDER);

    String resolve(String key) {
      return mergedInto.getOrDefault(key, key);
    }

    long count(String key) {
      Set<String> who = contributors.get(key);
      return who == null ? 0 : who.size();
    }

    /** Null if the participant may add {@code typed}, else the refusal. */
    PlenumException refusal(String participantId, String typed, int maxEntries) {
      Set<String> mine = keysOf.getOrDefault(participantId, Set.of());
      if (mine.contains(resolve(typed))) {
        return new PlenumException(ErrorCode.ALREADY_SUBMITTED, "You have already submitted this word.");
      }
      if (mine.size() >= maxEntries) {
        return new PlenumException(ErrorCode.TOO_MANY_ENTRIES,
            "You have submitted " + maxEntries + (maxEntries == 1 ? " entry" : " entries") + ", the most this cloud takes.");
      }
      return null;
    }

    void add(String participantId, String typed, String spelling) {
      String key = resolve(typed);
      keysOf.computeIfAbsent(participantId, k -> new HashSet<>()).add(key);
      Set<String> who = contributors.computeIfAbsent(key, k -> new HashSet<>());
      long before = who.size();
      who.add(participantId);
      rerank(key, before, who.size());
      if (key.equals(typed)) { // a merged-away spelling is not tallied: the target keeps its own
        spellings.computeIfAbsent(key, k -> new HashMap<>()).merge(spelling, 1L, Long::sum);
      }
      entries++;
      version++;
    }

    void hide(String key, boolean hide) {
      if (hide) {
        hidden.add(key);
      } else {
        hidden.remove(key);
      }
      version++;
    }

    void merge(String from, String into) {
      Set<String> fromWho = contributors.remove(from);
      Set<String> intoWho = contributors.get(into);
      long before = intoWho.size();
      for (String participant : fromWho) {
        Set<String> mine = keysOf.get(participant);
        mine.remove(from);
        mine.add(into);
        intoWho.add(participant);
      }
      ranking.remove(new CloudWord(from, from, fromWho.size()));
      rerank(into, before, intoWho.size());
      spellings.remove(from);
      hidden.remove(from);
      mergedInto.replaceAll((word, target) -> target.equals(from) ? into : target);
      mergedInto.put(from, into);
      version++;
    }

    private void rerank(String key, long before, long after) {
      if (before == after) {
        return;
      }
      if (before > 0) {
        ranking.remove(new CloudWord(key, key, before));
      }
      ranking.add(new CloudWord(key, key, after));
    }

    CloudResults results(String cloudId, int top) {
      List<CloudWord> words = new ArrayList<>(Math.max(0, Math.min(top, ranking.size())));
      for (CloudWord ranked : ranking) {
        if (words.size() >= top) {
          break;
        }
        if (!hidden.contains(ranked.key())) {
          words.add(shown(ranked.key(), ranked.count()));
        }
      }
      List<CloudWord> hiddenWords = new ArrayList<>(hidden.size());
      for (String key : hidden) {
        hiddenWords.add(shown(key, count(key)));
      }
      hiddenWords.sort(CloudRanking.ORDER);
      return new CloudResults(cloudId, version, keysOf.size(), entries, List.copyOf(words), List.copyOf(hiddenWords));
    }

    private CloudWord shown(String key, long count) {
      return new CloudWord(key, CloudRanking.display(key, spellings.getOrDefault(key, Map.of())), count);
    }
  }

  @Override
  public Future<WordCloud> saveCloud(WordCloud cloud) {
    return confinement.call(() -> {
      putCloud(cloud);
      return durably(new JsonObject().put("op", "cloud").put("cloud", Wire.cloud(cloud)))
          .onSuccess(v -> announce(new Change(Change.Kind.CLOUD, cloud.stageId(), cloud.id())))
          .map(cloud);
    });
  }

  private void putCloud(WordCloud cloud) {
    cloudsByStage.computeIfAbsent(cloud.stageId(), k -> new LinkedHashMap<>()).put(cloud.id(), cloud);
  }

  @Override
  public Future<List<WordCloud>> clouds(String stageId) {
    return confinement.call(() -> Future.succeededFuture(
        List.copyOf(cloudsByStage.getOrDefault(stageId, Map.of()).values())));
  }

  @Override
  public Future<Optional<WordCloud>> cloud(String stageId, String cloudId) {
    return confinement.call(() -> Future.succeededFuture(Optional.ofNullable(cloudOf(stageId, cloudId))));
  }

  private WordCloud cloudOf(String stageId, String cloudId) {
    return cloudsByStage.getOrDefault(stageId, Map.of()).get(cloudId);
  }

  private CloudTally tally(String stageId, String cloudId) {
    return cloudTallies.computeIfAbsent(stageId + '/' + cloudId, k -> new CloudTally());
  }

  @Override
  public Future<VoteReceipt> submitWord(WordAction action) {
    return confinement.call(() -> {
      long now = System.currentTimeMillis();
      expireActionIds(now);
      String actionKey = actionKey(action.stageId(), action.participantId(), action.actionId());
      CloudTally tally = tally(action.stageId(), action.cloudId());
      if (actionExpiry.containsKey(actionKey)) {
        return Future.succeededFuture(new VoteReceipt(true, tally.version));
      }
      WordCloud cloud = cloudOf(action.stageId(), action.cloudId());
      if (cloud == null) {
        return refuse(ErrorCode.UNKNOWN_CLOUD, "No word cloud " + action.cloudId() + " on this stage.");
      }
      if (!cloud.isOpen()) {
        return refuse(ErrorCode.CLOUD_NOT_OPEN, "Word cloud " + cloud.id() + " is " + cloud.phase().wire() + ".");
      }
      PlenumException refusal = tally.refusal(action.participantId(), action.key(), action.maxEntries());
      if (refusal != null) {
        return Future.failedFuture(refusal);
      }
      tally.add(action.participantId(), action.key(), action.spelling());
      remember(actionKey, now + actionIdTtlMillis, null);
      long version = tally.version;
      JsonObject record = new JsonObject().put("op", "word").put("stage", action.stageId()).put("cloud", action.cloudId())
          .put("p", action.participantId()).put("a", action.actionId()).put("key", action.key())
          .put("spelling", action.spelling()).put("t", now);
      return durably(record)
          .onSuccess(v -> announce(new Change(Change.Kind.CLOUD_RESULTS, action.stageId(), action.cloudId())))
          .map(new VoteReceipt(false, version));
    });
  }

  @Override
  public Future<CloudResults> cloudResults(WordCloud cloud, int top) {
    return confinement.call(() -> {
      CloudTally tally = cloudTallies.get(cloud.stageId() + '/' + cloud.id());
      if (tally == null) {
        return Future.succeededFuture(new CloudResults(cloud.id(), 0, 0, 0, List.of(), List.of()));
      }
      return Future.succeededFuture(tally.results(cloud.id(), top));
    });
  }

  @Override
  public Future<Void> hideWord(String stageId, String cloudId, String key, boolean hidden) {
    return confinement.call(() -> {
      if (cloudOf(stageId, cloudId) == null) {
        return refuse(ErrorCode.UNKNOWN_CLOUD, "No word cloud " + cloudId + " on this stage.");
      }
      CloudTally tally = tally(stageId, cloudId);
      if (tally.count(key) == 0) {
        return refuse(ErrorCode.UNKNOWN_WORD, "Nobody submitted '" + key + "' to this cloud.");
      }
      tally.hide(key, hidden);
      return durably(new JsonObject().put("op", "hide").put("stage", stageId).put("cloud", cloudId)
              .put("key", key).put("hidden", hidden))
          .onSuccess(v -> announce(new Change(Change.Kind.CLOUD_RESULTS, stageId, cloudId)));
    });
  }

  @Override
  public Future<Void> mergeWords(String stageId, String cloudId, String fromKey, String intoKey) {
    return confinement.call(() -> {
      if (fromKey.equals(intoKey)) {
        return refuse(ErrorCode.INVALID_FIELD, "into: a word cannot be merged into itself.");
      }
      if (cloudOf(stageId, cloudId) == null) {
        return refuse(ErrorCode.UNKNOWN_CLOUD, "No word cloud " + cloudId + " on this stage.");
      }
      CloudTally tally = tally(stageId, cloudId);
      for (String key : List.of(fromKey, intoKey)) {
        if (tally.count(key) == 0) {
          return refuse(ErrorCode.UNKNOWN_WORD, "Nobody submitted '" + key + "' to this cloud.");
        }
      }
      tally.merge(fromKey, intoKey);
      return durably(new JsonObject().put("op", "merge").put("stage", stageId).put("cloud", cloudId)
              .put("from", fromKey).put("into", intoKey))
          .onSuccess(v -> announce(new Change(Change.Kind.CLOUD_RESULTS, stageId, cloudId)));
    });
  }

  // ---- questions, comments, feedback -----------------------------------------------------

  /** A stored post with its upvoters and the version that grows with either. */
  private static final class PostEntry {
    Post post;
    long version;
    final Set<String> upvoters = new HashSet<>();

    PostEntry(Post post) {
      this.post = post;
      this.version = 1;
    }

    PostView view() {
      return new PostView(post, upvoters.size(), version);
    }
  }

  @Override
  public Future<PostReceipt> submitPost(PostAction action) {
    return confinement.call(() -> {
      Post post = action.post();
      long now = System.currentTimeMillis();
      expireActionIds(now);
      String actionKey = actionKey(post.stageId(), post.authorId(), action.actionId());
      Remembered earlier = actionExpiry.get(actionKey);
      if (earlier != null) {
        return Future.succeededFuture(new PostReceipt(true, earlier.postId()));
      }
      if (postOf(post.stageId(), post.id()) != null) {
        return Future.failedFuture(new IllegalStateException("post id " + post.id() + " is taken"));
      }
      putPost(post);
      remember(actionKey, now + actionIdTtlMillis, post.id());
      JsonObject record = new JsonObject().put("op", "post").put("p", post.authorId()).put("a", action.actionId())
          .put("post", Wire.post(post)).put("t", now);
      return durably(record)
          .onSuccess(v -> announce(new Change(Change.Kind.POST, post.stageId(), post.id())))
          .map(new PostReceipt(false, post.id()));
    });
  }

  private void putPost(Post post) {
    postsByStage.computeIfAbsent(post.stageId(), k -> new LinkedHashMap<>()).put(post.id(), new PostEntry(post));
  }

  private PostEntry postOf(String stageId, String postId) {
    return postsByStage.getOrDefault(stageId, Map.of()).get(postId);
  }

  @Override
  public Future<Optional<PostView>> post(String stageId, String postId) {
    return confinement.call(() -> {
      PostEntry entry = postOf(stageId, postId);
      return Future.succeededFuture(Optional.ofNullable(entry == null ? null : entry.view()));
    });
  }

  @Override
  public Future<List<PostView>> posts(String stageId) {
    return confinement.call(() -> {
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
    return confinement.call(() -> {
      PostUpdates.requireSuccessor(expected, next);
      PostEntry entry = postOf(expected.stageId(), expected.id());
      if (entry == null) {
        return refuse(ErrorCode.UNKNOWN_POST, "No post " + expected.id() + " on this stage.");
      }
      if (entry.post.revision() != expected.revision()) {
        return Future.failedFuture(new ConcurrentUpdateException(expected.id()));
      }
      replacePost(entry, next);
      PostView view = entry.view();
      return durably(new JsonObject().put("op", "post-update").put("post", Wire.post(next)))
          .onSuccess(v -> announce(new Change(Change.Kind.POST, next.stageId(), next.id())))
          .map(view);
    });
  }

  private static void replacePost(PostEntry entry, Post next) {
    entry.post = next;
    entry.version++;
  }

  @Override
  public Future<VoteReceipt> upvote(UpvoteAction action) {
    return confinement.call(() -> {
      long now = System.currentTimeMillis();
      expireActionIds(now);
      String actionKey = actionKey(action.stageId(), action.participantId(), action.actionId());
      PostEntry entry = postOf(action.stageId(), action.postId());
      if (actionExpiry.containsKey(actionKey)) {
        return Future.succeededFuture(new VoteReceipt(true, entry == null ? 0 : entry.version));
      }
      if (entry == null) {
        return refuse(ErrorCode.UNKNOWN_POST, "No post " + action.postId() + " on this stage.");
      }
      boolean changed = applyUpvote(entry, action.stageId(), action.participantId(), action.up());
      remember(actionKey, now + actionIdTtlMillis, null);
      long version = entry.version;
      JsonObject record = new JsonObject().put("op", "upvote").put("stage", action.stageId()).put("post", action.postId())
          .put("p", action.participantId()).put("a", action.actionId()).put("up", action.up()).put("t", now);
      return durably(record)
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
    boolean changed;
    if (up) {
      changed = entry.upvoters.add(participantId);
      mine.add(entry.post.id());
    } else {
      changed = entry.upvoters.remove(participantId);
      mine.remove(entry.post.id());
    }
    if (changed) {
      entry.version++;
    }
    return changed;
  }

  @Override
  public Future<Set<String>> wordsOf(String stageId, String cloudId, String participantId) {
    return confinement.call(() -> {
      CloudTally tally = cloudTallies.get(stageId + '/' + cloudId);
      Set<String> keys = tally == null ? null : tally.keysOf.get(participantId);
      return Future.succeededFuture(keys == null ? Set.of() : Set.copyOf(keys));
    });
  }

  @Override
  public Future<Set<String>> upvotedBy(String stageId, String participantId) {
    return confinement.call(() -> Future.succeededFuture(
        Set.copyOf(upvoted.getOrDefault(stageId + '/' + participantId, Set.of()))));
  }

  // ---- reactions -------------------------------------------------------------------------

  /** A stage's reaction totals and per-minute counts (minute epoch second, in time order). */
  private static final class ReactionTally {
    long version;
    final Map<String, Long> totals = new HashMap<>();
    final TreeMap<Long, Map<String, Long>> minutes = new TreeMap<>();

    void add(String emoji, long minuteEpochSecond) {
      totals.merge(emoji, 1L, Long::sum);
      minutes.computeIfAbsent(minuteEpochSecond, k -> new HashMap<>()).merge(emoji, 1L, Long::sum);
      version++;
    }
  }

  @Override
  public Future<VoteReceipt> react(ReactionAction action) {
    return confinement.call(() -> {
      long now = System.currentTimeMillis();
      expireActionIds(now);
      String actionKey = actionKey(action.stageId(), action.participantId(), action.actionId());
      ReactionTally tally = reactions.computeIfAbsent(action.stageId(), k -> new ReactionTally());
      if (actionExpiry.containsKey(actionKey)) {
        return Future.succeededFuture(new VoteReceipt(true, tally.version));
      }
      tally.add(action.emoji(), action.minuteEpochSecond());
      remember(actionKey, now + actionIdTtlMillis, null);
      long version = tally.version;
      JsonObject record = new JsonObject().put("op", "react").put("stage", action.stageId())
          .put("p", action.participantId()).put("a", action.actionId()).put("emoji", action.emoji())
          .put("minute", action.minuteEpochSecond()).put("t", now);
      return durably(record)
          .onSuccess(v -> announce(new Change(Change.Kind.REACTIONS, action.stageId(), null)))
          .map(new VoteReceipt(false, version));
    });
  }

  @Override
  public Future<ReactionTotals> reactionTotals(String stageId) {
    return confinement.call(() -> {
      ReactionTally tally = reactions.get(stageId);
      return Future.succeededFuture(tally == null ? new ReactionTotals(0, Map.of())
          : new ReactionTotals(tally.version, Map.copyOf(tally.totals)));
    });
  }

  @Override
  public Future<List<ReactionMinute>> reactionTimeline(String stageId) {
    return confinement.call(() -> {
      ReactionTally tally = reactions.get(stageId);
      if (tally == null) {
        return Future.succeededFuture(List.of());
      }
      List<ReactionMinute> out = new ArrayList<>(tally.minutes.size());
      tally.minutes.forEach((minute, counts) -> out.add(new ReactionMinute(Instant.ofEpochSecond(minute), Map.copyOf(counts))));
      return Future.succeededFuture(out);
    });
  }

  // ---- talks -----------------------------------------------------------------------------

  @Override
  public Future<org.plenum.stage.Talk> saveTalk(org.plenum.stage.Talk talk) {
    return confinement.call(() -> {
      putTalk(talk);
      return durably(new JsonObject().put("op", "talk").put("talk", Wire.talk(talk)))
          .onSuccess(v -> announce(new Change(Change.Kind.TALKS, talk.stageId(), null)))
          .map(talk);
    });
  }

  private void putTalk(org.plenum.stage.Talk talk) {
    talksByStage.computeIfAbsent(talk.stageId(), k -> new HashMap<>()).put(talk.id(), talk);
  }

  @Override
  public Future<Void> deleteTalk(String stageId, String talkId) {
    return confinement.call(() -> {
      Map<String, org.plenum.stage.Talk> talks = talksByStage.get(stageId);
      if (talks == null || talks.remove(talkId) == null) {
        return refuse(ErrorCode.UNKNOWN_TALK, "No talk " + talkId + " on stage " + stageId + ".");
      }
      return durably(new JsonObject().put("op", "talk-delete").put("stage", stageId).put("talk", talkId))
          .onSuccess(v -> announce(new Change(Change.Kind.TALKS, stageId, null)));
    });
  }

  @Override
  public Future<List<org.plenum.stage.Talk>> talks(String stageId) {
    return confinement.call(() -> {
      List<org.plenum.stage.Talk> out = new ArrayList<>(talksByStage.getOrDefault(stageId, Map.of()).values());
      out.sort(org.plenum.stage.Talk.ORDER);
      return Future.succeededFuture(List.copyOf(out));
    });
  }

  // ---- moderator access -------------------------------------------------------------------

  @Override
  public Future<org.plenum.stage.ModeratorAccess> saveModerator(org.plenum.stage.ModeratorAccess access) {
    return confinement.call(() -> {
      putModerator(access);
      return durably(new JsonObject().put("op", "moderator").put("moderator", Wire.moderatorStored(access))).map(access);
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
    return confinement.call(() -> {
      org.plenum.stage.ModeratorAccess access = moderators.get(moderatorId);
      if (access == null || !access.eventId().equals(eventId)) {
        return refuse(ErrorCode.UNKNOWN_MODERATOR, "No moderator access " + moderatorId + " on event " + eventId + ".");
      }
      removeModerator(moderatorId);
      return durably(new JsonObject().put("op", "moderator-delete").put("moderator", moderatorId))
          .onSuccess(v -> announce(new Change(Change.Kind.MODERATOR, eventId, moderatorId)));
    });
  }

  @Override
  public Future<List<org.plenum.stage.ModeratorAccess>> moderators(String eventId) {
    return confinement.call(() -> {
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
    return confinement.call(() -> {
      String id = moderatorByHash.get(tokenHash);
      return Future.succeededFuture(Optional.ofNullable(id == null ? null : moderators.get(id)));
    });
  }

  private static <T> Future<T> refuse(ErrorCode code, String message) {
    return Future.failedFuture(new PlenumException(code, message));
  }
}
