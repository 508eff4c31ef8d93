package org.plenum.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * What every scenario uses: REST setup, connecting sessions at a bounded rate, running one poll
 * with its voters and observers, and the bookkeeping that ends up in the report. Scenario code
 * runs on plain threads and blocks on Futures with {@code await(timeout)}; the sessions live on
 * the event loops.
 */
public final class Harness {

  /** A stage as the REST API created it. */
  public record StageInfo(String id, String code, String name) {
  }

  /** The outcome of one poll run, for the report. */
  public record PollRun(String label, PollInfo poll, int voters, long sent, long applied, long duplicates,
                        long rejected, long unknown, PollLedger.Check check, long v2mRecorded, long v2mUnobserved,
                        int moderatorsObserving, long v2vRecorded, long v2vUnobserved, int viewersObserving,
                        double burstSeconds, String failure) {
  }

  /** One sample of the server's /metrics and of the generator itself. */
  public record MetricsSample(double atSeconds, Double cpu, Double heapBytes, Double connections,
                              Double generatorCpu, Double generatorLagMs) {
  }

  final Vertx vertx;
  final Options options;
  final ObjectMapper mapper;
  final Measurements m;
  final PlenumRest rest;
  Connector connector;
  final long startNanos = System.nanoTime();
  /** The load phase ends here; closing and the final report fit in the rest of --duration. */
  final long loadDeadlineNanos;
  final long hardDeadlineNanos;
  private volatile boolean stopping;
  private final Map<String, PollInfo> polls = new ConcurrentHashMap<>();
  /** cloudId -> resultsVisible, for the viewer-side checks. */
  final Map<String, Boolean> cloudVisibility = new ConcurrentHashMap<>();
  /** Every post and upvote of the run. */
  final PostLedger posts = new PostLedger();
  /** Reactions per stage. */
  final Map<String, TallyLedger> reactions = new ConcurrentHashMap<>();
  /** Word clouds run, for the report. */
  final List<AudienceRuns.CloudRun> cloudRuns = Collections.synchronizedList(new ArrayList<>());
  /** Acknowledged actions never seen by an observer, per figure (postToModerator, …). */
  final Map<String, Long> audienceUnseen = new ConcurrentHashMap<>();
  /** Post, upvote and reaction checks, for the report. */
  final List<AudienceRuns.StageAudienceCheck> audienceChecks = Collections.synchronizedList(new ArrayList<>());
  /** Called (on a moderator's event loop) for every post push a moderator applies; set by AudienceRuns. */
  volatile java.util.function.BiConsumer<Session, JsonNode> moderatorPostListener;
  /** Vote-to-moderator latency per node (index into --url) of the moderators who saw it. */
  final Map<Integer, org.HdrHistogram.ConcurrentHistogram> voteToModeratorByNode = new ConcurrentHashMap<>();
  /** Report sections a scenario adds (name -> JSON), written after the standard ones. */
  final Map<String, JsonNode> extraSections = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<Session> sessions = Collections.synchronizedList(new ArrayList<>());
  private final List<PollRun> pollRuns = Collections.synchronizedList(new ArrayList<>());
  private final List<MetricsSample> samples = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String> notes = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Random random;
  private int sessionCounter;
  private long samplerTimer = -1;
  private volatile boolean metricsWarned;

  Harness(Vertx vertx, Options options, ObjectMapper mapper) {
    this.vertx = vertx;
    this.options = options;
    this.mapper = mapper;
    this.m = new Measurements(options.durationSeconds, options.allowedErrors);
    this.rest = new PlenumRest(vertx, options.url, options.organiserToken, mapper);
    long duration = TimeUnit.SECONDS.toNanos(options.durationSeconds);
    long reserve = Math.min(TimeUnit.SECONDS.toNanos(10), duration / 5);
    this.loadDeadlineNanos = startNanos + duration - reserve;
    this.hardDeadlineNanos = startNanos + duration;
    this.random = new Random(options.seed);
  }

  boolean stopping() {
    return stopping;
  }

  boolean cloudResultsVisible(String cloudId) {
    return cloudVisibility.getOrDefault(cloudId, true);
  }

  void onModeratorPost(Session s, JsonNode post) {
    var l = moderatorPostListener;
    if (l != null) {
      l.accept(s, post);
    }
  }

  boolean resultsVisible(String pollId) {
    PollInfo p = polls.get(pollId);
    return p == null || p.resultsVisible();
  }

  List<String> countKeys(String pollId) {
    PollInfo p = polls.get(pollId);
    return p == null ? null : p.countKeys();
  }

  public void note(String key, String value) {
    notes.put(key, value);
  }

  public Map<String, String> notes() {
    synchronized (notes) {
      return new LinkedHashMap<>(notes);
    }
  }

  public List<PollRun> pollRuns() {
    synchronized (pollRuns) {
      return new ArrayList<>(pollRuns);
    }
  }

  /** The server's heap at the last /metrics sample, or null. */
  Double lastHeapBytes() {
    synchronized (samples) {
      for (int i = samples.size() - 1; i >= 0; i--) {
        if (samples.get(i).heapBytes() != null) {
          return samples.get(i).heapBytes();
        }
      }
    }
    return null;
  }

  public List<MetricsSample> samples() {
    synchronized (samples) {
      return new ArrayList<>(samples);
    }
  }

  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Milliseconds left in the load phase (never negative). */
  public long remainingMs() {
    return Math.max(0, (loadDeadlineNanos - System.nanoTime()) / 1_000_000);
  }

  public boolean timeLeft() {
    return System.nanoTime() < loadDeadlineNanos;
  }

  /** Awaits a Future, but not past the load deadline (nor {@code capMs}). */
  <T> T await(Future<T> f, long capMs) throws TimeoutException {
    long ms = Math.max(1, Math.min(capMs, remainingMs()));
    return f.await(ms, TimeUnit.MILLISECONDS);
  }

  /** Setup calls get a fixed budget even near the deadline, so a report can still say what failed. */
  <T> T awaitSetup(Future<T> f) throws TimeoutException {
    return f.await(15_000, TimeUnit.MILLISECONDS);
  }

  static String reason(Throwable t) {
    if (t instanceof UpgradeRejectedException u) {
      return "handshake rejected with HTTP " + u.getStatus();
    }
    if (t instanceof ConnectException) {
      return "connection refused";
    }
    if (t instanceof TimeoutException || (t.getMessage() != null && t.getMessage().toLowerCase().contains("timeout"))) {
      return "timeout";
    }
    if (t instanceof Session.NoAnswer n) {
      return n.reason;
    }
    String msg = t.getMessage();
    return t.getClass().getSimpleName() + (msg == null ? "" : ": " + (msg.length() > 80 ? msg.substring(0, 80) : msg));
  }

  // ---------------------------------------------------------------- setup

  void initConnector() throws TimeoutException {
    int k = options.sourceAddresses;
    int connections = options.partViewers() + options.moderators * options.stages * options.urls.size() + 1;
    if (k < 0) {
      k = Loopback.addressesFor(connections, 20_000);
    }
    List<String> wanted = k == 0 ? List.of() : Loopback.sourceRange(options.sourceBase, k);
    StringBuilder note = new StringBuilder();
    connector = awaitSetup(Connector.create(vertx, options.urls, wanted, note));
    note("sourceAddresses", note.toString());
  }

  String createEvent(String name) throws TimeoutException {
    return awaitSetup(rest.createEvent(name)).path("id").asText();
  }

  List<StageInfo> createStages(String eventId, int n) throws TimeoutException {
    List<StageInfo> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonNode s = awaitSetup(rest.createStage(eventId, "Load stage " + (i + 1)));
      out.add(new StageInfo(s.path("id").asText(), s.path("code").asText(), s.path("name").asText()));
    }
    return out;
  }

  PollInfo createPoll(StageInfo stage, String kind, String question, boolean resultsVisible)
      throws TimeoutException {
    PollInfo p = awaitSetup(rest.createPoll(stage.id(), kind, question, 4, resultsVisible));
    if (p.id().isEmpty()) {
      throw new IllegalStateException("POST polls answered without poll.id");
    }
    if (!stage.id().equals(p.stageId())) {
      m.discrepancy("REST: created poll has another stageId", p.stageId());
    }
    polls.put(p.id(), p);
    return p;
  }

  // ---------------------------------------------------------------- sessions

  synchronized Session newSession(Session.Role role, boolean observer) {
    return newSession(role, observer, 0);
  }

  /** A session that connects to node {@code node} (an index into --url). */
  synchronized Session newSession(Session.Role role, boolean observer, int node) {
    Session s = new Session(this, ++sessionCounter, role, observer, node);
    sessions.add(s);
    return s;
  }

  /** Moderators, each joining all the given stages (a dashboard) or one stage each. */
  List<Session> connectModerators(List<StageInfo> stages, int perStage, boolean dashboard) {
    List<Session> mods = new ArrayList<>();
    List<List<String>> joins = new ArrayList<>();
    if (dashboard) {
      mods.add(newSession(Session.Role.MODERATOR, true));
      joins.add(stages.stream().map(StageInfo::id).toList());
    }
    for (StageInfo st : stages) {
      for (int i = 0; i < perStage; i++) {
        mods.add(newSession(Session.Role.MODERATOR, true));
        joins.add(List.of(st.id()));
      }
    }
    return connect(mods, joins, options.connectRate);
  }

  /**
   * Connects sessions at most {@code rate} per second and at most --max-connects-in-flight at
   * once, bounded by the load deadline. Returns those that joined.
   */
  List<Session> connect(List<Session> list, List<List<String>> stagesPerSession, double rate) {
    Semaphore inFlight = new Semaphore(options.maxConnectsInFlight);
    long t0 = System.nanoTime();
    List<Future<Void>> started = new ArrayList<>();
    List<Session> tried = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      long due = t0 + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(Math.min(wait, Math.max(0, loadDeadlineNanos - System.nanoTime())));
      }
      if (!timeLeft()) {
        note("connectCutShort", "the load deadline came after " + i + " of " + list.size() + " connections");
        break;
      }
      try {
        if (!inFlight.tryAcquire(Math.max(1, remainingMs()), TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      Session s = list.get(i);
      tried.add(s);
      started.add(s.start(stagesPerSession.get(i)).onComplete(ar -> inFlight.release()));
    }
    try {
      await(Future.join(started), Long.MAX_VALUE);
    } catch (TimeoutException e) {
      note("connectTimeout", "not all connections had joined by the load deadline");
    }
    List<Session> ok = new ArrayList<>();
    for (Session s : tried) {
      if (s.hasJoined()) {
        ok.add(s);
      }
    }
    return ok;
  }

  // ---------------------------------------------------------------- polls

  /** Values for one vote: option ids, or the rating as a string. Deterministic per participant and poll. */
  static List<String> pickValues(PollInfo poll, Random r, List<String> avoid) {
    for (int attempt = 0; attempt < 10; attempt++) {
      List<String> v = switch (poll.kind()) {
        case "rating" -> List.of(Integer.toString(1 + r.nextInt(Math.max(1, poll.scale()))));
        case "multiple" -> {
          List<String> ids = new ArrayList<>(poll.optionIds());
          Collections.shuffle(ids, r);
          int n = 1 + r.nextInt(Math.max(1, Math.min(poll.maxSelections(), ids.size())));
          yield List.copyOf(ids.subList(0, n));
        }
        default -> List.of(poll.optionIds().get(skewed(r, poll.optionIds().size())));
      };
      if (avoid == null || !new java.util.HashSet<>(v).equals(new java.util.HashSet<>(avoid))) {
        return v;
      }
    }
    return avoid;
  }

  /** A mildly uneven choice, as real audiences are: option a is picked most often. */
  private static int skewed(Random r, int n) {
    double x = r.nextDouble();
    return Math.min(n - 1, (int) (n * x * x));
  }

  ObjectNode voteMessage(PollInfo poll, String actionId, List<String> values) {
    ObjectNode msg = mapper.createObjectNode().put("type", "vote").put("id", actionId).put("pollId", poll.id());
    if ("rating".equals(poll.kind())) {
      msg.put("rating", Integer.parseInt(values.get(0)));
    } else {
      ArrayNode a = msg.putArray("choices");
      values.forEach(a::add);
    }
    return msg;
  }

  /** One open poll and its bookkeeping, while votes go in. */
  final class PollRound {
    final PollInfo poll;
    final PollLedger ledger;
    final long openedAt;
    final long burstStart = System.nanoTime();
    final List<Future<Void>> done = Collections.synchronizedList(new ArrayList<>());
    final java.util.concurrent.atomic.AtomicInteger voters = new java.util.concurrent.atomic.AtomicInteger();

    PollRound(PollInfo poll, long openedAt) {
      this.poll = poll;
      this.openedAt = openedAt;
      this.ledger = new PollLedger(poll.id(), poll.countKeys(), !"multiple".equals(poll.kind()));
    }

    /** One participant's votes in this poll (a first vote, perhaps a change, perhaps a resend). */
    Future<Void> vote(Session s, Random pr, boolean change, boolean resend) {
      voters.incrementAndGet();
      Future<Void> f = s.awaitOpen(poll.id(), 2000).compose(v -> voteChain(s, poll, ledger, pr, change, resend));
      done.add(f);
      return f;
    }
  }

  /** Opens the poll through REST; null (and a failed PollRun) when that fails. */
  PollRound openPoll(String label, PollInfo poll) {
    try {
      long openedAt = System.nanoTime();
      JsonNode opened = awaitSetup(rest.pollAction(poll.stageId(), poll.id(), "open"));
      if (!"open".equals(opened.path("poll").path("state").asText())) {
        m.discrepancy("REST open: answer's poll.state is not open", opened.toString());
      }
      return new PollRound(poll, openedAt);
    } catch (Exception e) {
      pollRuns.add(new PollRun(label, poll, 0, 0, 0, 0, 0, 0, null, 0, 0, 0, 0, 0, 0, 0,
          "could not open poll: " + reason(e)));
      return null;
    }
  }

  /**
   * Opens {@code poll}, lets every voter vote once at a random moment within {@code spreadSeconds}
   * (some change their vote, some reconnect and resend an earlier action id), waits for the
   * observers to see the final counts, closes the poll and checks the counts exactly.
   */
  PollRun runPoll(String label, PollInfo poll, List<Session> voters, List<Session> moderators,
                  List<Session> viewers, double spreadSeconds) {
    PollRound round = openPoll(label, poll);
    if (round == null) {
      return pollRuns.get(pollRuns.size() - 1);
    }
    Random r;
    synchronized (random) {
      r = new Random(random.nextLong());
    }
    List<Future<Void>> done = new ArrayList<>();
    long spreadMs = (long) (spreadSeconds * 1000);
    for (Session s : voters) {
      long delay = spreadMs == 0 ? 0 : (long) (r.nextDouble() * spreadMs);
      boolean change = r.nextDouble() < options.changeFraction;
      boolean resend = r.nextDouble() < options.resendFraction;
      Random pr = new Random(r.nextLong());
      Promise<Void> p = Promise.promise();
      s.schedule(delay, () -> round.vote(s, pr, change, resend).onComplete(ar -> p.tryComplete()));
      done.add(p.future());
    }
    try {
      await(Future.join(done), Long.MAX_VALUE);
    } catch (TimeoutException e) {
      note("pollCutShort:" + poll.id(), "voting was still going on at the load deadline");
    }
    return finishPoll(label, round, moderators, viewers);
  }

  /**
   * After the last vote of a round was sent: waits for the answers, for the observers to see the
   * final counts, closes the poll, checks the counts exactly and attributes the latencies.
   */
  PollRun finishPoll(String label, PollRound round, List<Session> moderators, List<Session> viewers) {
    PollInfo poll = round.poll;
    PollLedger ledger = round.ledger;
    try {
      List<Future<Void>> copy;
      synchronized (round.done) {
        copy = new ArrayList<>(round.done);
      }
      awaitSetup(Future.join(copy));
    } catch (TimeoutException e) {
      note("pollCutShort:" + poll.id(), "votes were still unanswered 15 s after the last was sent");
    }
    long burstEnd = System.nanoTime();
    long openedAt = round.openedAt;
    int lost = ledger.settleInFlight();
    if (lost > 0) {
      m.votesLost.add(lost);
    }
    long minVoters = ledger.expected().voters().min();
    List<Session> mods = eligible(moderators, openedAt);
    List<Session> obs = poll.resultsVisible() ? eligible(viewers, openedAt) : List.of();
    waitUntil(() -> seenBy(mods, poll.id(), minVoters) && seenBy(obs, poll.id(), minVoters),
        (long) (options.settleSeconds * 1000) + (obs.isEmpty() ? 0 : 600));

    PollLedger.Check check = null;
    String failure = null;
    try {
      // Close and read are idempotent, so a call that got no answer is tried once more (and noted).
      awaitOnceMore("close " + label, () -> rest.pollAction(poll.stageId(), poll.id(), "close"));
      JsonNode after = awaitOnceMore("read " + label, () -> rest.poll(poll.stageId(), poll.id()));
      JsonNode results = after.path("results");
      if (!results.isObject()) {
        failure = "GET poll with the organiser token returned no results";
      } else {
        Map<String, Long> counts = new LinkedHashMap<>();
        results.path("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        check = ledger.check(counts, results.path("voters").asLong(-1));
        if (!"closed".equals(after.path("poll").path("state").asText())) {
          m.discrepancy("REST: poll not closed after POST close", after.path("poll").toString());
        }
      }
    } catch (Exception e) {
      failure = "final read failed: " + reason(e);
    }

    long[] sends = ledger.firstAppliedSendTimes();
    long[] v2m = attribute(sends, mods, poll.id(), true);
    if (options.urls.size() > 1) {
      attributeByNode(sends, mods, poll.id());
    }
    long[] v2v = attribute(sends, obs, poll.id(), false);
    if ("quiz".equals(options.pollKind)) {
      answerToLeaderboard(sends, mods, poll.stageId());
    }
    PollRun run = new PollRun(label, poll, round.voters.get(), countSent(ledger), ledger.applied(), ledger.duplicates(),
        ledger.rejected(), ledger.unknown(), check, v2m[0], v2m[1], mods.size(), v2v[0], v2v[1], obs.size(),
        (burstEnd - round.burstStart) / 1e9, failure);
    pollRuns.add(run);
    return run;
  }

  private <T> T awaitOnceMore(String what, java.util.function.Supplier<Future<T>> call) throws TimeoutException {
    try {
      return awaitSetup(call.get());
    } catch (TimeoutException e) {
      m.clientFailure("REST call without answer in 15 s");
      note("restTimeout:" + what, "no answer in 15 s at " + String.format("%.1f", elapsedSeconds())
          + " s; tried once more");
      return awaitSetup(call.get());
    }
  }

  private static long countSent(PollLedger l) {
    return l.applied() + l.duplicates() + l.rejected() + l.unknown();
  }

  private static List<Session> eligible(List<Session> list, long openedAt) {
    List<Session> out = new ArrayList<>();
    for (Session s : list) {
      long j = s.joinedNanos();
      if (j > 0 && j < openedAt) {
        out.add(s);
      }
    }
    return out;
  }

  private static boolean seenBy(List<Session> list, String pollId, long voters) {
    for (Session s : list) {
      ResultsTimeline t = s.timeline(pollId);
      if (t == null || t.maxVoters() < voters) {
        return false;
      }
    }
    return true;
  }

  private long[] attribute(long[] sends, List<Session> observers, String pollId, boolean moderators) {
    Histogram tmp = new Histogram(Measurements.MAX_MICROS, 3);
    long recorded = 0;
    long unobserved = 0;
    for (Session s : observers) {
      ResultsTimeline t = s.timeline(pollId);
      if (t == null) {
        unobserved += sends.length;
        continue;
      }
      LatencyAttribution.Result res = LatencyAttribution.attribute(sends, t, tmp);
      recorded += res.recorded();
      unobserved += res.unobserved();
    }
    m.addAttributed(tmp, moderators);
    return new long[] {recorded, unobserved};
  }

  /**
   * Quiz: answer sent until the first moderator {@code leaderboard} frame whose {@code scored}
   * counts it (paired by rank as {@link LatencyAttribution} does), over every moderator; noted as
   * {@code answerToLeaderboard} (p50/p99/max ms, answers seen).
   */
  private void answerToLeaderboard(long[] sends, List<Session> moderators, String stageId) {
    Histogram hist = new Histogram(Measurements.MAX_MICROS, 3);
    long recorded = 0;
    for (Session s : moderators) {
      ResultsTimeline t = s.timeline("leaderboard:" + stageId);
      if (t != null) {
        recorded += LatencyAttribution.attribute(sends, t, hist).recorded();
      }
    }
    note("answerToLeaderboard", String.format(java.util.Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d of %d answers seen by %d moderators)",
        hist.getValueAtPercentile(50) / 1000.0, hist.getValueAtPercentile(99) / 1000.0, hist.getMaxValue() / 1000.0,
        recorded, (long) sends.length * moderators.size(), moderators.size()));
  }

  /** The same pairing as {@link #attribute}, kept apart per node of the observing moderator. */
  private void attributeByNode(long[] sends, List<Session> moderators, String pollId) {
    for (Session s : moderators) {
      ResultsTimeline t = s.timeline(pollId);
      if (t != null) {
        LatencyAttribution.attribute(sends, t, voteToModeratorByNode.computeIfAbsent(s.node,
            k -> new org.HdrHistogram.ConcurrentHistogram(Measurements.MAX_MICROS, 3)));
      }
    }
  }

  /** Polls {@code condition} every 50 ms for at most {@code capMs} (and never past the hard deadline). */
  void waitUntil(BooleanSupplier condition, long capMs) {
    long end = Math.min(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(capMs), hardDeadlineNanos);
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  /** Sleeps until {@code nanos} but not past the load deadline. */
  void sleepUntil(long nanos) {
    long end = Math.min(nanos, loadDeadlineNanos);
    while (System.nanoTime() < end) {
      LockSupport.parkNanos(Math.min(end - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(200)));
    }
  }

  private Future<Void> voteChain(Session s, PollInfo poll, PollLedger ledger, Random r, boolean change,
                                 boolean resend) {
    List<String> first = pickValues(poll, r, null);
    String firstId = s.nextActionId();
    ObjectNode firstMsg = voteMessage(poll, firstId, first);
    Future<Boolean> f = vote(s, poll, ledger, firstMsg, first, false, 0);
    if (change) {
      f = f.compose(ok -> {
        if (!ok) {
          return Future.succeededFuture(false);
        }
        List<String> second = pickValues(poll, r, first);
        return vote(s, poll, ledger, voteMessage(poll, s.nextActionId(), second), second, true, 0);
      });
    }
    if (resend) {
      // Resend the FIRST action id: if the server applied it again, the counts would move back
      // to the first choice and the exactly-once check would see it.
      f = f.compose(ok -> {
        if (!ok) {
          return Future.succeededFuture(false);
        }
        return s.reconnectNow().compose(v -> resendExpectingDuplicate(s, ledger, firstMsg, first));
      });
    }
    return f.transform(ar -> Future.succeededFuture());
  }

  private Future<Boolean> resendExpectingDuplicate(Session s, PollLedger ledger, ObjectNode msg, List<String> values) {
    m.resendsSent.increment();
    return s.send(msg, true, null).transform(ar -> {
      if (ar.succeeded()) {
        JsonNode reply = ar.result().message();
        boolean dup = reply.path("duplicate").asBoolean(false);
        m.voteAcked((ar.result().receivedNanos() - ar.result().sentNanos()) / 1000, dup);
        if (!"ack".equals(reply.path("type").asText())) {
          m.discrepancy("vote answered with " + reply.path("type").asText() + " instead of ack", reply.toString());
        } else if (!dup) {
          m.discrepancy("a resent action id was applied again (ack duplicate:false; protocol: at most once per participant)",
              reply.toString());
        }
        ledger.outcome(s.index, msg.path("id").asText(), dup ? PollLedger.Outcome.DUPLICATE
            : PollLedger.Outcome.APPLIED);
        return Future.succeededFuture(true);
      }
      m.clientFailure("resend after reconnect failed: " + reason(ar.cause()));
      return Future.succeededFuture(false);
    });
  }

  /**
   * One vote with bounded retries of rate_limited / unavailable / outcome_unknown / internal under
   * the same id. An outcome_unknown vote may have been counted: if the retries run out it stays in
   * doubt (UNKNOWN) in the ledger, not REJECTED.
   */
  private Future<Boolean> vote(Session s, PollInfo poll, PollLedger ledger, ObjectNode msg, List<String> values,
                               boolean change, int attempt) {
    String id = msg.path("id").asText();
    return s.send(msg, true, sentAt -> {
      ledger.sent(s.index, id, values, sentAt);
      m.voteSent(change);
    }).transform(ar -> {
      if (ar.succeeded()) {
        JsonNode reply = ar.result().message();
        if (!"ack".equals(reply.path("type").asText())) {
          m.discrepancy("vote answered with " + reply.path("type").asText() + " instead of ack", reply.toString());
        }
        if (!reply.path("duplicate").isBoolean()) {
          m.discrepancy("ack lacks the boolean 'duplicate'", reply.toString());
        }
        boolean dup = reply.path("duplicate").asBoolean(false);
        m.voteAcked((ar.result().receivedNanos() - ar.result().sentNanos()) / 1000, dup);
        ledger.outcome(s.index, id, dup ? PollLedger.Outcome.DUPLICATE : PollLedger.Outcome.APPLIED);
        return Future.succeededFuture(true);
      }
      Throwable t = ar.cause();
      if (t instanceof Session.ServerError e) {
        ledger.outcome(s.index, id, e.code.equals("outcome_unknown") ? PollLedger.Outcome.UNKNOWN : PollLedger.Outcome.REJECTED);
        boolean retryable = RETRYABLE.contains(e.code);
        if (retryable && attempt < 3 && !stopping && timeLeft()) {
          long wait = Math.max(100, Math.min(5000, e.retryAfterMs > 0 ? e.retryAfterMs : 500L << attempt));
          Promise<Boolean> p = Promise.promise();
          vertx.setTimer(wait, x -> vote(s, poll, ledger, msg, values, change, attempt + 1).onComplete(p));
          return p.future();
        }
        return Future.succeededFuture(false);
      }
      ledger.outcome(s.index, id, PollLedger.Outcome.UNKNOWN);
      m.votesLost.increment();
      return Future.succeededFuture(false);
    });
  }

  // ---------------------------------------------------------------- other actions

  /** How an action other than a vote ended, with the ack when there was one. */
  record ActResult(PollLedger.Outcome outcome, JsonNode reply, String code) {
    boolean acked() {
      return outcome == PollLedger.Outcome.APPLIED || outcome == PollLedger.Outcome.DUPLICATE;
    }
  }

  /** Answers after which the same action id is resent; outcome_unknown: it may have been applied, the resend tells. */
  private static final java.util.Set<String> RETRYABLE =
      java.util.Set.of("rate_limited", "unavailable", "outcome_unknown", "internal");

  /**
   * Sends a word, post, upvote or react action and follows it to its answer: bounded retries of
   * rate_limited / unavailable / outcome_unknown / internal under the same id, resent after a reconnect. {@code onFirstSent}
   * gets the time the action was first written (once).
   */
  Future<ActResult> act(Session s, ActionKind kind, ObjectNode msg, java.util.function.LongConsumer onFirstSent) {
    boolean[] first = {true};
    return act(s, kind, msg, t -> {
      if (first[0]) {
        first[0] = false;
        m.actionSent(kind);
        if (onFirstSent != null) {
          onFirstSent.accept(t);
        }
      }
    }, 0, false);
  }

  private Future<ActResult> act(Session s, ActionKind kind, ObjectNode msg, java.util.function.LongConsumer onSent,
                                int attempt, boolean expectDuplicate) {
    java.util.Set<String> tolerated = expectDuplicate ? java.util.Set.of("rate_limited") : java.util.Set.of();
    return s.send(msg, true, onSent, tolerated).transform(ar -> {
      if (ar.succeeded()) {
        JsonNode reply = ar.result().message();
        if (!"ack".equals(reply.path("type").asText())) {
          m.discrepancy(kind.wire + " answered with " + reply.path("type").asText() + " instead of ack", reply.toString());
        }
        if (!reply.path("duplicate").isBoolean()) {
          m.discrepancy("ack lacks the boolean 'duplicate'", reply.toString());
        }
        boolean dup = reply.path("duplicate").asBoolean(false);
        m.actionAcked(kind, (ar.result().receivedNanos() - ar.result().sentNanos()) / 1000, dup);
        return Future.succeededFuture(new ActResult(dup ? PollLedger.Outcome.DUPLICATE : PollLedger.Outcome.APPLIED,
            reply, null));
      }
      Throwable t = ar.cause();
      if (t instanceof Session.ServerError e) {
        if (expectDuplicate && e.code.equals("rate_limited")) {
          m.observation("a resent, already applied " + kind.wire + " action id was answered rate_limited before "
              + "ack duplicate:true (the per-participant limit is taken before the duplicate check)",
              e.getMessage());
        }
        if (RETRYABLE.contains(e.code) && attempt < 3 && !stopping && timeLeft()) {
          m.kinds.get(kind).retried.increment();
          long wait = Math.max(100, Math.min(11_000, e.retryAfterMs > 0 ? e.retryAfterMs + 20 : 500L << attempt));
          Promise<ActResult> p = Promise.promise();
          vertx.setTimer(wait, x -> act(s, kind, msg, onSent, attempt + 1, expectDuplicate).onComplete(p));
          return p.future();
        }
        if (e.code.equals("outcome_unknown")) {
          // retries ran out: it may have been applied, so it is in doubt, not refused
          m.kinds.get(kind).withoutAnswer.increment();
          return Future.succeededFuture(new ActResult(PollLedger.Outcome.UNKNOWN, null, e.code));
        }
        m.kinds.get(kind).rejected.increment();
        return Future.succeededFuture(new ActResult(PollLedger.Outcome.REJECTED, null, e.code));
      }
      m.kinds.get(kind).withoutAnswer.increment();
      return Future.succeededFuture(new ActResult(PollLedger.Outcome.UNKNOWN, null, null));
    });
  }

  /**
   * Reconnects the session (same participant token) and resends an action that was acknowledged
   * before under its original id: the answer must be {@code ack} with {@code duplicate: true}.
   */
  Future<ActResult> resendExpectingDuplicate(Session s, ActionKind kind, ObjectNode msg) {
    return s.reconnectNow().compose(v -> {
      m.kinds.get(kind).resent.increment();
      m.resendsSent.increment();
      return act(s, kind, msg, t -> { }, 0, true);
    }, err -> {
      m.clientFailure("reconnect for a resend failed: " + reason(err));
      return Future.succeededFuture(new ActResult(PollLedger.Outcome.UNKNOWN, null, null));
    }).map(r -> {
      if (r.outcome() == PollLedger.Outcome.APPLIED) {
        m.discrepancy("a resent action id was applied again (ack duplicate:false; protocol: at most once per participant)",
            kind.wire + ": " + r.reply());
      }
      return r;
    });
  }

  TallyLedger reactionLedger(String stageId) {
    return reactions.computeIfAbsent(stageId, TallyLedger::new);
  }

  // ---------------------------------------------------------------- metrics

  void startSampler() {
    for (int i = 0; i < options.eventLoops; i++) {
      io.vertx.core.Context c = vertx.getOrCreateContext();
      c.runOnContext(v -> armLagProbe(System.nanoTime()));
    }
    if (!options.sampleMetrics) {
      return;
    }
    vertx.runOnContext(v -> samplerTimer = vertx.setPeriodic(1000, id -> sampleOnce()));
  }

  /**
   * How late a 100 ms timer fires on each generator event loop. When the generator itself is
   * saturated, every latency it measures grows by about this much, so the report shows it.
   */
  private void armLagProbe(long armedAt) {
    if (stopping) {
      return;
    }
    vertx.setTimer(100, id -> {
      long now = System.nanoTime();
      long late = Math.max(0, (now - armedAt) / 1000 - 100_000);
      Measurements.record(m.generatorLag, late);
      m.lagMaxThisSecond.accumulateAndGet(late, Math::max);
      armLagProbe(now);
    });
  }

  private void sampleOnce() {
    double at = elapsedSeconds();
    Double gen = generatorCpu();
    Double lagMs = m.lagMaxThisSecond.getAndSet(0) / 1000.0;
    rest.metricsText().onComplete(ar -> {
      if (ar.failed()) {
        if (!metricsWarned) {
          metricsWarned = true;
          note("metrics", "GET /metrics failed: " + reason(ar.cause()));
        }
        samples.add(new MetricsSample(at, null, null, null, gen, lagMs));
        return;
      }
      PrometheusText p = PrometheusText.parse(ar.result());
      Double cpu = p.sum("process_cpu_usage");
      Double heap = p.sum("jvm_memory_used_bytes", l -> "heap".equals(l.get("area")));
      Double conns = p.sum("plenum_connections");
      if (!metricsWarned && (cpu == null || heap == null || conns == null)) {
        metricsWarned = true;
        List<String> missing = new ArrayList<>();
        if (cpu == null) {
          missing.add("process_cpu_usage");
        }
        if (heap == null) {
          missing.add("jvm_memory_used_bytes{area=\"heap\"}");
        }
        if (conns == null) {
          missing.add("plenum_connections");
        }
        note("metrics", "not in /metrics: " + String.join(", ", missing));
      }
      samples.add(new MetricsSample(at, cpu, heap, conns, gen, lagMs));
    });
  }

  private static Double generatorCpu() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      double v = sun.getProcessCpuLoad();
      return v < 0 ? null : v;
    }
    return null;
  }

  // ---------------------------------------------------------------- teardown

  /** Closes every socket (bounded) and the clients. */
  void shutdown() {
    stopping = true;
    if (samplerTimer >= 0) {
      vertx.cancelTimer(samplerTimer);
    }
    List<Future<Void>> stops = new ArrayList<>();
    synchronized (sessions) {
      for (Session s : sessions) {
        stops.add(s.stop());
      }
    }
    long capMs = Math.max(2000, Math.min(8000, (hardDeadlineNanos - System.nanoTime()) / 1_000_000));
    try {
      Future.join(stops).await(capMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      note("shutdown", "not all sockets had closed after " + capMs + " ms");
    }
    try {
      if (connector != null) {
        connector.close().await(2000, TimeUnit.MILLISECONDS);
      }
      rest.close().await(2000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      note("shutdown", "clients did not close in time");
    }
  }

  List<Session> sessions() {
    synchronized (sessions) {
      return new ArrayList<>(sessions);
    }
  }

  static <K> Map<K, Long> sums(Map<K, java.util.concurrent.atomic.LongAdder> m) {
    Map<K, Long> out = new java.util.TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
