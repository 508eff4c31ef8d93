package org.plenum.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.plenum.load.Harness.StageInfo;
import org.plenum.load.PollLedger.Outcome;
import org.plenum.load.PollLedger.Range;

/**
 * Word clouds, questions / comments / feedback, upvotes and reactions: sending them with the same
 * rigour as votes (action ids, resend after reconnect, retries under the same id), moderating
 * posts through REST as a moderator would, and checking at the end that the server's counts read
 * back through REST equal what was acknowledged. Also the action-to-moderator and
 * action-to-viewer figures of these kinds.
 */
final class AudienceRuns {

  /** The outcome of one word cloud, for the report. */
  record CloudRun(String label, String cloudId, String stageId, int contributors, int entriesEach, long applied,
                  long duplicates, long rejected, long unknown, WordLedger.Check check, long toModeratorRecorded,
                  long toModeratorUnseen, int moderatorsObserving, long toViewerRecorded, long toViewerUnseen,
                  int viewersObserving, double burstSeconds, Double completeMs, Double afterLastMs, String failure) {
  }

  /** Posts, upvotes and reactions of one stage checked against the server. */
  record StageAudienceCheck(String stageId, PostLedger.StageCheck posts, Map<String, Range> reactionsExpected,
                            Map<String, Long> reactionsServer, List<String> reactionMismatches, String failure) {
    boolean passed() {
      return failure == null && (posts == null || posts.passed()) && reactionMismatches.isEmpty();
    }
  }

  private final Harness h;
  private final Random random;
  /** Stages whose questions wait for a moderator (stage setting questionModeration). */
  final Set<String> premoderatedQuestions = ConcurrentHashMap.newKeySet();
  /** Called when a post becomes visible to everyone (acknowledged unmoderated, or approved). */
  volatile Consumer<PostLedger.Posted> onPublished = p -> { };
  double rejectFraction = 0.1;
  private final Set<String> pendingSeen = ConcurrentHashMap.newKeySet();
  private final Set<String> moderated = ConcurrentHashMap.newKeySet();
  private final List<Future<?>> moderation = Collections.synchronizedList(new ArrayList<>());
  private final List<Future<?>> pending = Collections.synchronizedList(new ArrayList<>());
  private int textCounter;

  AudienceRuns(Harness h) {
    this.h = h;
    synchronized (h) {
      this.random = new Random(h.options.seed * 31 + 7);
    }
    h.moderatorPostListener = this::onModeratorPost;
  }

  /** Whether the server has word clouds, posts and reactions (docs/rest.md); probed on one stage. */
  boolean supported(StageInfo stage) {
    try {
      int clouds = h.awaitSetup(h.rest.status("/api/v1/stages/" + stage.id() + "/clouds"));
      int posts = h.awaitSetup(h.rest.status("/api/v1/stages/" + stage.id() + "/posts"));
      int reactions = h.awaitSetup(h.rest.status("/api/v1/stages/" + stage.id() + "/reactions"));
      boolean ok = clouds == 200 && posts == 200 && reactions == 200;
      if (!ok) {
        h.note("audienceFeatures", "not run: the server answered GET clouds " + clouds + ", posts " + posts
            + ", reactions " + reactions);
      }
      return ok;
    } catch (Exception e) {
      h.note("audienceFeatures", "not run: probe failed: " + Harness.reason(e));
      return false;
    }
  }

  Random fork() {
    synchronized (random) {
      return new Random(random.nextLong());
    }
  }

  /** Futures of everything sent in the background (posts, upvotes, reactions), awaited before the check. */
  void track(Future<?> f) {
    synchronized (pending) {
      pending.add(f);
      if (pending.size() > pruneAt) {
        pending.removeIf(Future::isComplete);
        pruneAt = Math.max(5000, pending.size() * 2);
      }
    }
  }

  private int pruneAt = 5000;

  /** Runs {@code action} on the session's context after {@code delayMs}, tracked from now on. */
  void later(Session s, long delayMs, java.util.function.Supplier<Future<?>> action) {
    Promise<Void> p = Promise.promise();
    track(p.future());
    s.schedule(delayMs, () -> {
      try {
        action.get().onComplete(ar -> p.tryComplete());
      } catch (RuntimeException e) {
        p.tryComplete();
        throw e;
      }
    });
  }

  // ------------------------------------------------------------------ word clouds

  /**
   * Opens a word cloud on the stage; every contributor submits {@code entriesEach} different
   * entries at once, at a random moment within {@code spreadSeconds}; some reconnect and resend
   * their first entry's id. Measures ack, word-to-moderator / -viewer and the time until a
   * moderator's words push shows every entry with exact counts; then closes the cloud and checks
   * the counts read back through REST.
   */
  CloudRun runWordCloud(String label, StageInfo stage, List<Session> contributors, int entriesEach,
                        List<Session> moderators, List<Session> viewers, double spreadSeconds, double resendFraction) {
    CloudRound round = openCloud(label, stage, Math.max(3, entriesEach));
    if (round == null) {
      return h.cloudRuns.get(h.cloudRuns.size() - 1);
    }
    Random r = fork();
    long spreadMs = (long) (spreadSeconds * 1000);
    List<Future<Void>> done = new ArrayList<>();
    for (Session s : contributors) {
      long delay = spreadMs == 0 ? 0 : (long) (r.nextDouble() * spreadMs);
      List<String[]> picks = WordVocabulary.pick(new Random(r.nextLong()), entriesEach);
      boolean resend = r.nextDouble() < resendFraction;
      Promise<Void> p = Promise.promise();
      s.schedule(delay, () -> round.contribute(s, picks, resend).onComplete(ar -> p.tryComplete()));
      done.add(p.future());
    }
    try {
      h.await(Future.join(done), Long.MAX_VALUE);
    } catch (TimeoutException e) {
      h.note("cloudCutShort:" + round.cloudId, "word-cloud entries were still going on at the load deadline");
    }
    return finishCloud(label, round, contributors.size(), entriesEach, moderators, viewers);
  }

  /** One open word cloud and its bookkeeping, while entries go in. */
  final class CloudRound {
    final String cloudId;
    final StageInfo stage;
    final long openedAt;
    final long burstStart = System.nanoTime();
    final WordLedger ledger;
    final List<Future<Void>> done = Collections.synchronizedList(new ArrayList<>());

    CloudRound(String cloudId, StageInfo stage, long openedAt) {
      this.cloudId = cloudId;
      this.stage = stage;
      this.openedAt = openedAt;
      this.ledger = new WordLedger(cloudId, WordVocabulary.expectedKeys());
    }

    /** All given entries of one contributor at once, then perhaps a reconnect and a resend of the first. */
    Future<Void> contribute(Session s, List<String[]> picks, boolean resend) {
      Future<Void> f = s.awaitOpen(cloudId, 2000)
          .compose(v -> AudienceRuns.this.contribute(s, cloudId, ledger, picks, resend));
      done.add(f);
      return f;
    }
  }

  /** Creates and opens a word cloud; null (and a failed CloudRun) when that fails. */
  CloudRound openCloud(String label, StageInfo stage, int maxEntries) {
    try {
      JsonNode created = h.awaitSetup(h.rest.createCloud(stage.id(), "Load test: " + label, maxEntries,
          h.options.resultsVisible));
      String cloudId = created.path("cloud").path("id").asText("");
      if (cloudId.isEmpty()) {
        throw new IllegalStateException("POST clouds answered without cloud.id");
      }
      h.cloudVisibility.put(cloudId, created.path("cloud").path("resultsVisible").asBoolean(false));
      long openedAt = System.nanoTime();
      JsonNode opened = h.awaitSetup(h.rest.cloudAction(stage.id(), cloudId, "open"));
      if (!"open".equals(opened.path("cloud").path("state").asText())) {
        h.m.discrepancy("REST open cloud: answer's cloud.state is not open", opened.toString());
      }
      return new CloudRound(cloudId, stage, openedAt);
    } catch (Exception e) {
      h.cloudRuns.add(new CloudRun(label, null, stage.id(), 0, 0, 0, 0, 0, 0, null, 0, 0, 0,
          0, 0, 0, 0, null, null, "could not open word cloud: " + Harness.reason(e)));
      return null;
    }
  }

  /**
   * After the last entry was sent: waits for the answers and for a moderator's words push that
   * shows every entry with exact counts, closes the cloud, checks it through REST and attributes
   * the latencies.
   */
  CloudRun finishCloud(String label, CloudRound round, int contributors, int entriesEach, List<Session> moderators,
                       List<Session> viewers) {
    String cloudId = round.cloudId;
    StageInfo stage = round.stage;
    WordLedger ledger = round.ledger;
    try {
      List<Future<Void>> copy;
      synchronized (round.done) {
        copy = new ArrayList<>(round.done);
      }
      h.awaitSetup(Future.join(copy));
    } catch (TimeoutException e) {
      h.note("cloudCutShort:" + cloudId, "entries were still unanswered 15 s after the last was sent");
    }
    long burstEnd = System.nanoTime();
    int lost = ledger.settleInFlight();
    if (lost > 0) {
      h.note("cloudNoAnswer:" + cloudId, lost + " entries without answer");
    }
    long openedAt = round.openedAt;
    List<Session> mods = eligible(moderators, openedAt, stage.id());
    List<Session> obs = h.cloudResultsVisible(cloudId) ? eligible(viewers, openedAt, stage.id()) : List.of();
    long minEntries = ledger.expected().entries().min();
    h.waitUntil(() -> mods.stream().allMatch(m -> complete(m, ledger, cloudId) != null)
            && obs.stream().allMatch(v -> v.wordsTimeline(cloudId) != null
            && v.wordsTimeline(cloudId).maxVoters() >= minEntries),
        (long) (h.options.settleSeconds * 1000) + (obs.isEmpty() ? 0 : 600));

    Double completeMs = null;
    Double afterLastMs = null;
    for (Session m : ledger.firstSentNanos() < 0 ? List.<Session>of() : mods) {
      Long at = complete(m, ledger, cloudId);
      if (at == null) {
        h.note("cloudIncomplete:" + cloudId + ":m" + m.index,
            "a moderator never got a words push with every acknowledged entry and exact counts");
        continue;
      }
      long micros = (at - ledger.firstSentNanos()) / 1000;
      h.m.recordIn(p -> p.cloudComplete, micros);
      completeMs = Math.max(completeMs == null ? 0 : completeMs, micros / 1000.0);
      afterLastMs = Math.max(afterLastMs == null ? 0 : afterLastMs, (at - ledger.lastSentNanos()) / 1e6);
    }

    WordLedger.Check check = null;
    String failure = null;
    try {
      h.awaitSetup(h.rest.cloudAction(stage.id(), cloudId, "close"));
      JsonNode after = h.awaitSetup(h.rest.cloud(stage.id(), cloudId));
      JsonNode results = after.path("results");
      if (!results.isObject()) {
        failure = "GET cloud with the organiser token returned no results";
      } else {
        Map<String, Long> words = new HashMap<>();
        for (JsonNode w : results.path("words")) {
          words.merge(w.path("key").asText(), w.path("count").asLong(), Long::sum);
        }
        for (JsonNode w : results.path("hidden")) {
          words.merge(w.path("key").asText(), w.path("count").asLong(), Long::sum);
        }
        check = ledger.check(words, results.path("entries").asLong(-1), results.path("contributors").asLong(-1));
        if (!"closed".equals(after.path("cloud").path("state").asText())) {
          h.m.discrepancy("REST: word cloud not closed after POST close", after.path("cloud").toString());
        }
      }
    } catch (Exception e) {
      failure = "final read failed: " + Harness.reason(e);
    }
    long[] sends = ledger.appliedSendTimes();
    long[] w2m = attribute(ActionKind.WORD, sends, mods, s -> s.wordsTimeline(cloudId), true);
    long[] w2v = attribute(ActionKind.WORD, sends, obs, s -> s.wordsTimeline(cloudId), false);
    CloudRun run = new CloudRun(label, cloudId, stage.id(), contributors, entriesEach, ledger.applied(),
        ledger.duplicates(), ledger.rejected(), ledger.unknown(), check, w2m[0], w2m[1], mods.size(), w2v[0], w2v[1],
        obs.size(), (burstEnd - round.burstStart) / 1e9, completeMs, afterLastMs, failure);
    h.cloudRuns.add(run);
    return run;
  }

  /** The receive time of the moderator's first words snapshot that shows exactly the acknowledged entries. */
  private static Long complete(Session m, WordLedger ledger, String cloudId) {
    WordLedger.Expected e = ledger.expected();
    for (Session.WordsSnapshot s : m.wordsHistory(cloudId)) {
      if (WordLedger.matches(e, s.counts(), s.entries())) {
        return s.atNanos();
      }
    }
    return null;
  }

  /** All entries of one contributor at once, then perhaps a reconnect and a resend of the first. */
  private Future<Void> contribute(Session s, String cloudId, WordLedger ledger, List<String[]> picks, boolean resend) {
    List<Future<Harness.ActResult>> all = new ArrayList<>();
    ObjectNode firstMsg = null;
    for (String[] pick : picks) {
      String id = s.nextActionId();
      ObjectNode msg = h.mapper.createObjectNode().put("type", "word").put("id", id).put("cloudId", cloudId)
          .put("text", pick[1]);
      if (firstMsg == null) {
        firstMsg = msg;
      }
      all.add(h.act(s, ActionKind.WORD, msg, t -> ledger.sent(s.index, id, pick[0], pick[1], t))
          .onSuccess(res -> {
            String key = res.reply() == null ? null : res.reply().path("key").asText(null);
            if (res.acked() && key == null) {
              h.m.discrepancy("word ack lacks key", String.valueOf(res.reply()));
            }
            ledger.outcome(s.index, id, res.outcome(), key);
          }));
    }
    Future<Void> f = Future.join(all).mapEmpty();
    if (resend && firstMsg != null) {
      ObjectNode again = firstMsg;
      f = f.compose(v -> all.get(0).result().acked()
          ? h.resendExpectingDuplicate(s, ActionKind.WORD, again).map(res -> {
            ledger.outcome(s.index, again.path("id").asText(), res.outcome(), null);
            return (Void) null;
          })
          : Future.succeededFuture());
    }
    return f.transform(ar -> Future.succeededFuture());
  }

  // ------------------------------------------------------------------ posts

  /** A distinct, clean text for a post. */
  String text(String kind, Session s) {
    int n;
    synchronized (this) {
      n = ++textCounter;
    }
    String[] q = {"Wann kommt die EUDI-Wallet für alle?", "Wie schützen wir Daten in der Cloud?",
        "Was kostet die Registermodernisierung die Kommunen?", "Gibt es Open-Source-Vorgaben für Behörden?",
        "Wie messen Sie den Erfolg des OZG?"};
    String[] c = {"Toller Vortrag, danke!", "Die Folien bitte teilen.", "Sehr praxisnah erklärt.",
        "Das Beispiel aus Hamburg war spannend."};
    String[] f = {"Der Ton war etwas leise.", "Gern mehr Zeit für Fragen.", "Gute Moderation.",
        "Die Pause war zu kurz."};
    String[] pool = switch (kind) {
      case "question" -> q;
      case "comment" -> c;
      default -> f;
    };
    return pool[n % pool.length] + " (#" + n + " " + s.index + ")";
  }

  /**
   * Sends one post; on its ack records it (and tells the author's session its id). Unmoderated
   * posts are published at once; pre-moderated questions wait for {@link #onModeratorPost}.
   */
  Future<PostLedger.Posted> post(Session s, StageInfo stage, String kind, String name, boolean resend) {
    String id = s.nextActionId();
    String text = text(kind, s);
    boolean premoderated = "question".equals(kind) && premoderatedQuestions.contains(stage.id());
    ObjectNode msg = h.mapper.createObjectNode().put("type", "post").put("id", id).put("kind", kind).put("text", text);
    if (name != null) {
      msg.put("name", name);
    }
    Future<PostLedger.Posted> f = h.act(s, ActionKind.POST, msg,
            t -> h.posts.sent(s.index, id, stage.id(), kind, text, t, premoderated))
        .map(res -> {
          String postId = res.reply() == null ? null : res.reply().path("postId").asText(null);
          if (res.acked() && postId == null) {
            h.m.discrepancy("post ack lacks postId", String.valueOf(res.reply()));
          }
          PostLedger.Posted p = h.posts.outcome(s.index, id, res.outcome(), postId);
          if (p != null) {
            s.ownPost(p.postId);
            if (!premoderated) {
              onPublished.accept(p);
            } else if (pendingSeen.contains(p.postId)) {
              moderate(p);
            }
          }
          return p;
        });
    if (resend) {
      f = f.compose(p -> p == null ? Future.succeededFuture((PostLedger.Posted) null)
          : h.resendExpectingDuplicate(s, ActionKind.POST, msg).map(res -> {
            h.posts.outcome(s.index, id, res.outcome(), res.reply() == null ? null
                : res.reply().path("postId").asText(null));
            return p;
          }));
    }
    track(f);
    return f;
  }

  /** A moderator's screen shows a post: pending questions of a pre-moderated stage get a decision. */
  private void onModeratorPost(Session moderator, JsonNode post) {
    if (!"pending".equals(post.path("state").asText())) {
      return;
    }
    String id = post.path("id").asText();
    PostLedger.Posted p = h.posts.post(id);
    if (p == null) {
      pendingSeen.add(id); // the push overtook the author's ack; decided when the ack arrives
      p = h.posts.post(id);
      if (p == null) {
        return;
      }
    }
    moderate(p);
  }

  /** Approve (or, now and then, reject) after a moment of reading, as a moderator does. */
  private void moderate(PostLedger.Posted p) {
    if (!p.premoderated || !moderated.add(p.postId) || h.stopping()) {
      return;
    }
    boolean reject;
    long readMs;
    synchronized (random) {
      reject = random.nextDouble() < rejectFraction;
      readMs = 300 + random.nextInt(1200);
    }
    Promise<Void> done = Promise.promise();
    moderation.add(done.future());
    h.vertx.setTimer(readMs, t -> {
      String action = reject ? "reject" : "approve";
      p.decision = action;
      p.moderatedNanos = System.nanoTime();
      h.rest.postAction(p.stageId, p.postId, action).onComplete(ar -> {
        if (ar.failed()) {
          p.decision = null;
          h.m.clientFailure("REST " + action + " failed: " + Harness.reason(ar.cause()));
        } else {
          JsonNode answer = ar.result();
          String want = reject ? "rejected" : "published";
          if (!want.equals(answer.path("state").asText())) {
            h.m.discrepancy("REST " + action + ": the answered post's state is not " + want, answer.toString());
          }
          if (!reject) {
            onPublished.accept(p);
          }
        }
        done.complete();
      });
    });
  }

  // ------------------------------------------------------------------ upvotes and reactions

  Future<Void> upvote(Session s, String postId, boolean up) {
    String id = s.nextActionId();
    ObjectNode msg = h.mapper.createObjectNode().put("type", "upvote").put("id", id).put("postId", postId);
    if (!up) {
      msg.put("up", false);
    }
    Future<Void> f = h.act(s, ActionKind.UPVOTE, msg, t -> h.posts.upSent(s.index, id, postId, up, t))
        .map(res -> {
          h.posts.upOutcome(s.index, id, res.outcome());
          return (Void) null;
        });
    track(f);
    return f;
  }

  Future<Void> react(Session s, String stageId, String emoji, boolean resend) {
    String id = s.nextActionId();
    TallyLedger ledger = h.reactionLedger(stageId);
    ObjectNode msg = h.mapper.createObjectNode().put("type", "react").put("id", id).put("emoji", emoji);
    Future<Void> f = h.act(s, ActionKind.REACT, msg, t -> ledger.sent(id, emoji, t))
        .compose(res -> {
          ledger.outcome(id, res.outcome());
          if (resend && res.acked()) {
            return h.resendExpectingDuplicate(s, ActionKind.REACT, msg).map(again -> {
              ledger.outcome(id, again.outcome());
              return (Void) null;
            });
          }
          return Future.succeededFuture();
        });
    track(f);
    return f;
  }

  /** An emoji of the session's reactionSet, the first ones more often. */
  static String emoji(Session s, Random r) {
    List<String> set = s.reactionSet();
    if (set.isEmpty()) {
      set = List.of("👏", "❤️", "😂", "😮", "👍", "🤔");
    }
    double x = r.nextDouble();
    return set.get(Math.min(set.size() - 1, (int) (set.size() * x * x)));
  }

  // ------------------------------------------------------------------ the end: latencies and checks

  /**
   * Waits for what was sent in the background, works out the post / upvote / reaction latencies,
   * withdraws some upvotes, and checks every stage's posts, upvotes and reactions through REST.
   */
  void settleAndCheck(List<StageInfo> stages, List<Session> moderators, List<Session> viewers,
                      double withdrawFraction) {
    awaitAll(pending);
    awaitAll(moderation);
    awaitAll(pending); // upvotes scheduled by approvals
    h.posts.settleInFlight();
    h.reactions.values().forEach(TallyLedger::settleInFlight);
    List<PostLedger.Posted> posts = h.posts.posts();
    if (posts.isEmpty() && h.reactions.isEmpty()) {
      return;
    }
    List<Session> viewerObservers = viewers.stream().filter(Session::isObserver).toList();
    h.waitUntil(() -> allSeen(posts, moderators, viewerObservers), (long) (h.options.settleSeconds * 1000) + 600);

    // posts: identity is known, so each latency is exact
    Histogram toMod = new Histogram(Measurements.MAX_MICROS, 3);
    Histogram toView = new Histogram(Measurements.MAX_MICROS, 3);
    long modUnseen = 0;
    long viewUnseen = 0;
    long leaked = 0;
    for (PostLedger.Posted p : posts) {
      for (Session m : moderators) {
        if (!m.isOn(p.stageId) || m.joinedNanos() <= 0 || m.joinedNanos() > p.sentNanos) {
          continue;
        }
        Long seen = m.postFirstSeen(p.postId);
        if (seen == null) {
          modUnseen++;
        } else {
          toMod.recordValue(Math.max(0, (seen - p.sentNanos) / 1000));
        }
      }
      for (Session v : viewers) {
        if (!v.isOn(p.stageId) || v.joinedNanos() <= 0 || v.joinedNanos() > p.sentNanos || !v.isObserver()) {
          continue;
        }
        Long seen = v.postPublishedSeen(p.postId);
        if ("published".equals(p.expectedState())) {
          if (seen == null) {
            viewUnseen++;
          } else if (!p.premoderated) {
            toView.recordValue(Math.max(0, (seen - p.sentNanos) / 1000));
          } else if (p.moderatedNanos > 0) {
            long micros = Math.max(0, (seen - p.moderatedNanos) / 1000);
            h.m.recordIn(ph -> ph.approveToViewer, micros);
          }
        } else if (seen != null && v.index != p.participant) {
          leaked++;
        }
      }
    }
    h.m.addAttributed(ActionKind.POST, toMod, true);
    h.m.addAttributed(ActionKind.POST, toView, false);
    if (modUnseen > 0) {
      h.note("postToModeratorUnseen", modUnseen + " (post, moderator) pairs: an acknowledged post never reached a moderator");
    }
    if (viewUnseen > 0) {
      h.note("postToViewerUnseen", viewUnseen + " (post, viewer) pairs: a published post never reached an observing viewer");
    }
    if (leaked > 0) {
      h.m.discrepancy("a pending or rejected post was shown as published to viewers other than its author",
          leaked + " (post, viewer) pairs");
    }
    h.audienceUnseen.merge("postToModerator", modUnseen, Long::sum);
    h.audienceUnseen.merge("postToViewer", viewUnseen, Long::sum);

    // upvotes: rank pairing per question, before any withdrawal
    long upUnseen = 0;
    Histogram up = new Histogram(Measurements.MAX_MICROS, 3);
    for (String postId : h.posts.upvotedPosts()) {
      PostLedger.Posted p = h.posts.post(postId);
      if (p == null) {
        continue;
      }
      long[] sends = h.posts.firstUpSendTimes(postId);
      if (sends.length == 0) {
        continue;
      }
      for (Session m : moderators) {
        if (!m.isOn(p.stageId) || m.joinedNanos() <= 0 || m.joinedNanos() > sends[0]) {
          continue;
        }
        ResultsTimeline t = m.upvotesTimeline(postId);
        if (t == null) {
          upUnseen += sends.length;
          continue;
        }
        upUnseen += LatencyAttribution.attribute(sends, t, up).unobserved();
      }
    }
    h.m.addAttributed(ActionKind.UPVOTE, up, true);
    h.audienceUnseen.merge("upvoteToModerator", upUnseen, Long::sum);

    // reactions: rank pairing on the sum of a stage's totals
    long reactModUnseen = 0;
    long reactViewUnseen = 0;
    Histogram rm = new Histogram(Measurements.MAX_MICROS, 3);
    Histogram rv = new Histogram(Measurements.MAX_MICROS, 3);
    for (TallyLedger l : h.reactions.values()) {
      long[] sends = l.appliedSendTimes();
      if (sends.length == 0) {
        continue;
      }
      for (Session m : moderators) {
        if (m.isOn(l.scope()) && m.joinedNanos() > 0 && m.joinedNanos() < sends[0]) {
          reactModUnseen += attributeOne(sends, m.reactionsTimeline(l.scope()), rm);
        }
      }
      for (Session v : viewers) {
        if (v.isObserver() && v.isOn(l.scope()) && v.joinedNanos() > 0 && v.joinedNanos() < sends[0]) {
          reactViewUnseen += attributeOne(sends, v.reactionsTimeline(l.scope()), rv);
        }
      }
    }
    h.m.addAttributed(ActionKind.REACT, rm, true);
    h.m.addAttributed(ActionKind.REACT, rv, false);
    h.audienceUnseen.merge("reactToModerator", reactModUnseen, Long::sum);
    h.audienceUnseen.merge("reactToViewer", reactViewUnseen, Long::sum);

    // some people change their mind: withdraw a share of the upvotes, then check
    if (withdrawFraction > 0) {
      Random r = fork();
      List<Future<Void>> withdrawals = new ArrayList<>();
      Map<Integer, Session> byIndex = new HashMap<>();
      viewers.forEach(v -> byIndex.put(v.index, v));
      for (String postId : h.posts.upvotedPosts()) {
        for (Session v : viewersWhoUpvoted(postId, byIndex)) {
          if (r.nextDouble() < withdrawFraction && h.timeLeft()) {
            withdrawals.add(upvote(v, postId, false));
          }
        }
      }
      try {
        h.await(Future.join(withdrawals), 30_000);
      } catch (TimeoutException e) {
        h.note("withdrawals", "not all upvote withdrawals were answered in time");
      }
      h.posts.settleInFlight();
      h.note("upvotesWithdrawn", withdrawals.size() + " upvotes withdrawn before the check");
    }

    for (StageInfo st : stages) {
      PostLedger.StageCheck pc = null;
      Map<String, Range> expected = Map.of();
      Map<String, Long> server = new LinkedHashMap<>();
      List<String> rmis = new ArrayList<>();
      String failure = null;
      try {
        JsonNode list = h.awaitSetup(h.rest.posts(st.id()));
        pc = h.posts.check(st.id(), list);
        TallyLedger l = h.reactions.get(st.id());
        JsonNode reactions = h.awaitSetup(h.rest.reactions(st.id()));
        reactions.path("totals").fields().forEachRemaining(e -> server.put(e.getKey(), e.getValue().asLong()));
        if (l != null) {
          expected = l.expected();
          rmis = l.check(server);
        } else if (server.values().stream().anyMatch(v -> v != 0)) {
          rmis.add("reactions on a stage where none were sent: " + server);
        }
        long timelineSum = 0;
        for (JsonNode minute : reactions.path("timeline")) {
          for (var it = minute.path("counts").fields(); it.hasNext(); ) {
            timelineSum += it.next().getValue().asLong();
          }
        }
        long totalSum = server.values().stream().mapToLong(Long::longValue).sum();
        if (reactions.has("timeline") && timelineSum != totalSum) {
          rmis.add("the per-minute timeline adds up to " + timelineSum + ", the totals to " + totalSum);
        }
      } catch (Exception e) {
        failure = "final read failed: " + Harness.reason(e);
      }
      h.audienceChecks.add(new StageAudienceCheck(st.id(), pc, expected, server, rmis, failure));
    }
  }


  private List<Session> viewersWhoUpvoted(String postId, Map<Integer, Session> byIndex) {
    List<Session> out = new ArrayList<>();
    for (Map.Entry<Integer, Session> e : byIndex.entrySet()) {
      if (h.posts.upvotes(postId, e.getKey())) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  private static long attributeOne(long[] sends, ResultsTimeline t, Histogram into) {
    if (t == null) {
      return sends.length;
    }
    return LatencyAttribution.attribute(sends, t, into).unobserved();
  }

  private boolean allSeen(List<PostLedger.Posted> posts, List<Session> moderators, List<Session> viewerObservers) {
    for (PostLedger.Posted p : posts) {
      for (Session m : moderators) {
        if (m.isOn(p.stageId) && m.joinedNanos() > 0 && m.joinedNanos() < p.sentNanos
            && m.postFirstSeen(p.postId) == null) {
          return false;
        }
      }
      if ("published".equals(p.expectedState())) {
        for (Session v : viewerObservers) {
          if (v.isOn(p.stageId) && v.joinedNanos() > 0 && v.joinedNanos() < p.sentNanos
              && v.postPublishedSeen(p.postId) == null) {
            return false;
          }
        }
      }
    }
    for (String postId : h.posts.upvotedPosts()) {
      PostLedger.Posted p = h.posts.post(postId);
      long want = h.posts.firstUpSendTimes(postId).length;
      if (p == null || want == 0) {
        continue;
      }
      for (Session m : moderators) {
        if (m.isOn(p.stageId) && m.joinedNanos() > 0 && m.joinedNanos() < p.sentNanos) {
          ResultsTimeline t = m.upvotesTimeline(postId);
          if (t == null || t.maxVoters() < want) {
            return false;
          }
        }
      }
    }
    for (TallyLedger l : h.reactions.values()) {
      long first = l.firstAppliedSentNanos();
      long want = l.expectedTotal().min();
      List<Session> watching = new ArrayList<>(moderators);
      watching.addAll(viewerObservers);
      for (Session m : watching) {
        if (first >= 0 && m.isOn(l.scope()) && m.joinedNanos() > 0 && m.joinedNanos() < first) {
          ResultsTimeline t = m.reactionsTimeline(l.scope());
          if (t == null || t.maxVoters() < want) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private void awaitAll(List<Future<?>> list) {
    List<Future<?>> copy;
    synchronized (list) {
      copy = new ArrayList<>(list);
    }
    try {
      h.await(Future.join(new ArrayList<>(copy)), 60_000);
    } catch (TimeoutException e) {
      h.note("backgroundActions", "not all background actions were answered before the deadline");
    }
  }

  private List<Session> eligible(List<Session> list, long openedAt, String stageId) {
    List<Session> out = new ArrayList<>();
    for (Session s : list) {
      long j = s.joinedNanos();
      if (j > 0 && j < openedAt && s.isOn(stageId)) {
        out.add(s);
      }
    }
    return out;
  }

  private long[] attribute(ActionKind kind, long[] sends, List<Session> observers,
                           java.util.function.Function<Session, ResultsTimeline> timeline, boolean moderators) {
    Histogram tmp = new Histogram(Measurements.MAX_MICROS, 3);
    long recorded = 0;
    long unobserved = 0;
    for (Session s : observers) {
      ResultsTimeline t = timeline.apply(s);
      if (t == null) {
        unobserved += sends.length;
        continue;
      }
      LatencyAttribution.Result res = LatencyAttribution.attribute(sends, t, tmp);
      recorded += res.recorded();
      unobserved += res.unobserved();
    }
    h.m.addAttributed(kind, tmp, moderators);
    return new long[] {recorded, unobserved};
  }
}
