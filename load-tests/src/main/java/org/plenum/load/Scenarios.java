package org.plenum.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.plenum.load.Harness.StageInfo;

/** The scenarios. Each builds its own event, stages, polls and clouds through the REST API. */
final class Scenarios {

  private Scenarios() {
  }

  static void run(Harness h) throws Exception {
    switch (h.options.scenario) {
      case "smoke", "poll-burst" -> pollBurst(h);
      case "word-cloud" -> wordCloud(h);
      case "congress" -> congress(h);
      case "join-storm" -> joinStorm(h);
      case "capacity" -> capacity(h);
      case "sustained" -> Sustained.run(h);
      case "audience" -> Audience.run(h);
      default -> throw new IllegalArgumentException("unknown scenario " + h.options.scenario);
    }
  }

  static String eventName(Harness h) {
    return "Load test " + h.options.scenario + " " + Instant.now();
  }

  static List<Session> viewers(Harness h, int n, int observers) {
    List<Session> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(h.newSession(Session.Role.VIEWER, i < observers));
    }
    return out;
  }

  static List<Session> observersOf(List<Session> sessions) {
    return sessions.stream().filter(s -> s.isObserver() && s.role == Session.Role.VIEWER).toList();
  }

  static List<List<String>> sameStage(int n, StageInfo stage) {
    List<List<String>> joins = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      joins.add(List.of(stage.id()));
    }
    return joins;
  }

  /**
   * smoke and poll-burst: N viewers on one stage, one poll, everyone votes within the spread. The
   * smoke then also runs a small word cloud, questions (pre-moderated: the moderator approves
   * them), comments, upvotes and reactions with resends, when the server has them.
   */
  static void pollBurst(Harness h) throws Exception {
    Options o = h.options;
    String eventId = h.createEvent(eventName(h));
    StageInfo stage = h.createStages(eventId, 1).get(0);
    boolean smoke = "smoke".equals(o.scenario);
    AudienceRuns audience = smoke ? new AudienceRuns(h) : null;
    boolean mix = smoke && audience.supported(stage);
    if (mix) {
      premoderate(h, audience, stage);
    }
    List<Session> mods = h.connectModerators(List.of(stage), o.moderators, false);
    List<Session> all = viewers(h, o.viewers, o.observers);
    List<Session> joined = h.connect(all, sameStage(all.size(), stage), o.connectRate);
    h.note("viewersJoined", joined.size() + " of " + o.viewers);
    PollInfo poll = h.createPoll(stage, o.pollKind, "Load test " + o.pollKind + " poll", o.resultsVisible);
    h.runPoll(o.scenario, poll, joined, mods, observersOf(joined), o.spreadSeconds);
    if (!mix || !h.timeLeft()) {
      return;
    }
    // a small version of everything else the audience does, with resends after reconnects
    Random r = audience.fork();
    audience.onPublished = p -> {
      if ("question".equals(p.kind)) {
        upvoteLater(h, audience, p, joined, 10, 2000, r);
      }
    };
    String[] kinds = {"question", "question", "question", "comment", "feedback"};
    int posters = Math.max(1, joined.size() / 5);
    List<Session> shuffled = new ArrayList<>(joined);
    Collections.shuffle(shuffled, r);
    for (int i = 0; i < posters; i++) {
      Session s = shuffled.get(i);
      String kind = kinds[i % kinds.length];
      boolean resend = i < Math.max(1, (int) (posters * o.resendFraction));
      String name = i % 2 == 0 ? null : "Gast " + i;
      audience.later(s, r.nextInt(1500), () -> audience.post(s, stage, kind, name, resend));
    }
    for (Session s : joined) {
      for (int k = 0; k < 2; k++) {
        boolean resend = k == 0 && r.nextDouble() < o.resendFraction;
        String emoji = AudienceRuns.emoji(s, r);
        audience.later(s, r.nextInt(2000), () -> audience.react(s, stage.id(), emoji, resend));
      }
    }
    audience.runWordCloud("smoke cloud", stage, joined, 2, mods, observersOf(joined), 2, o.resendFraction);
    audience.settleAndCheck(List.of(stage), mods, joined, o.withdrawFraction);
  }

  /** Sets the stage's questions to wait for a moderator (stage setting questionModeration). */
  private static void premoderate(Harness h, AudienceRuns audience, StageInfo stage) {
    try {
      var answer = h.awaitSetup(h.rest.stageSettings(stage.id(), true, false));
      if (!answer.path("settings").path("questionModeration").asBoolean(false)) {
        h.m.discrepancy("REST PATCH settings: the answered stage does not have questionModeration", answer.toString());
      }
      audience.premoderatedQuestions.add(stage.id());
    } catch (Exception e) {
      h.note("premoderation", "could not switch on questionModeration: " + Harness.reason(e));
    }
  }

  /** {@code mean} (on average) different viewers upvote the question within {@code windowMs}. */
  static void upvoteLater(Harness h, AudienceRuns audience, PostLedger.Posted p, List<Session> stageViewers,
                          double mean, long windowMs, Random shared) {
    Random r;
    synchronized (shared) {
      r = new Random(shared.nextLong());
    }
    List<Session> present = stageViewers.stream().filter(Session::hasJoined).toList();
    if (present.isEmpty() || windowMs <= 0) {
      return;
    }
    int n = Math.min(present.size(), (int) Math.round(r.nextDouble() * 2 * mean));
    Set<Integer> chosen = new HashSet<>();
    for (int attempt = 0; chosen.size() < n && attempt < n * 4; attempt++) {
      chosen.add(r.nextInt(present.size()));
    }
    for (int i : chosen) {
      Session s = present.get(i);
      audience.later(s, 300 + (long) (r.nextDouble() * windowMs), () -> !h.stopping() && h.timeLeft()
          ? audience.upvote(s, p.postId, true) : io.vertx.core.Future.succeededFuture());
    }
  }

  /**
   * Issue 3's figure: 1,000 contributors each submit 3 entries at once (within a few seconds); how
   * long until a moderator's words push shows all of them with exact counts; and meanwhile other
   * viewers ask questions, timed from ask to the moderator's post push.
   */
  static void wordCloud(Harness h) throws Exception {
    Options o = h.options;
    String eventId = h.createEvent(eventName(h));
    StageInfo stage = h.createStages(eventId, 1).get(0);
    AudienceRuns audience = new AudienceRuns(h);
    if (!audience.supported(stage)) {
      throw new IllegalStateException("the server has no word clouds / posts (GET clouds, posts or reactions failed)");
    }
    List<Session> mods = h.connectModerators(List.of(stage), o.moderators, false);
    int contributors = Math.min(o.contributors, o.viewers);
    int askers = Math.min(o.questions, o.viewers - contributors);
    if (askers < o.questions) {
      h.note("questions", "only " + askers + " viewers left for questions (raise --viewers)");
    }
    List<Session> all = viewers(h, contributors + askers, o.observers);
    List<Session> joined = h.connect(all, sameStage(all.size(), stage), o.connectRate);
    h.note("viewersJoined", joined.size() + " of " + all.size());
    List<Session> cloudPeople = joined.stream().filter(s -> all.indexOf(s) < contributors).toList();
    List<Session> askerPeople = joined.stream().filter(s -> all.indexOf(s) >= contributors).toList();
    // questions over the burst and a little after it, so they meet the cloud at its busiest
    Random r = audience.fork();
    long windowMs = (long) ((o.wordSpreadSeconds + 5) * 1000);
    for (int i = 0; i < askerPeople.size(); i++) {
      Session s = askerPeople.get(i);
      boolean resend = r.nextDouble() < o.resendFraction;
      audience.later(s, (long) (r.nextDouble() * windowMs), () -> audience.post(s, stage, "question", null, resend));
    }
    AudienceRuns.CloudRun run = audience.runWordCloud("word cloud", stage, cloudPeople, o.entries, mods,
        observersOf(cloudPeople), o.wordSpreadSeconds, o.resendFraction);
    audience.settleAndCheck(List.of(stage), mods, joined, 0);
    h.note("wordCloud", cloudPeople.size() + " contributors x " + o.entries + " entries: "
        + (run.completeMs() == null ? "never fully shown to the moderator"
        : String.format("fully shown to the moderator %.0f ms after the first submission", run.completeMs()))
        + "; " + askerPeople.size() + " questions meanwhile");
  }

  /**
   * The reference day: 3 stages (the main one with most of the audience), viewers ramping up to
   * --viewers, several polls per stage in which every present viewer votes, a word cloud with
   * --contributors on the main stage, --posts questions / comments / feedback spread over the
   * stages and the day, upvotes, reactions, and a pre-moderated stage whose questions a moderator
   * approves (or rejects) through REST.
   */
  static void congress(Harness h) throws Exception {
    Options o = h.options;
    String eventId = h.createEvent(eventName(h));
    List<StageInfo> stages = h.createStages(eventId, o.stages);
    AudienceRuns audience = new AudienceRuns(h);
    boolean features = audience.supported(stages.get(0));
    if (features && o.premoderatedStage >= 1 && o.premoderatedStage <= stages.size()) {
      premoderate(h, audience, stages.get(o.premoderatedStage - 1));
    }
    List<Session> mods = h.connectModerators(stages, o.moderators, true);

    // the main stage draws most people: 60 %, the others share the rest
    double[] share = new double[stages.size()];
    for (int s = 0; s < stages.size(); s++) {
      share[s] = stages.size() == 1 ? 1 : s == 0 ? 0.6 : 0.4 / (stages.size() - 1);
    }
    if (stages.size() == 3) {
      share = new double[] {0.6, 0.25, 0.15};
    }
    List<Session> all = viewers(h, o.viewers, o.observers);
    List<List<String>> joins = new ArrayList<>();
    List<List<Session>> byStage = new ArrayList<>();
    for (int s = 0; s < stages.size(); s++) {
      byStage.add(Collections.synchronizedList(new ArrayList<>()));
    }
    double[] acc = new double[stages.size()];
    for (int i = 0; i < all.size(); i++) {
      // deficit round robin, so that every stage has its share at every moment of the ramp
      int best = 0;
      for (int s = 0; s < stages.size(); s++) {
        acc[s] += share[s];
        if (acc[s] > acc[best]) {
          best = s;
        }
      }
      acc[best] -= 1;
      joins.add(List.of(stages.get(best).id()));
      byStage.get(best).add(all.get(i));
    }
    double rate = Math.min(o.connectRate, Math.max(1.0, o.viewers / (double) Math.max(1, o.rampSeconds)));
    h.note("ramp", o.viewers + " viewers over about " + o.rampSeconds + " s (" + String.format("%.0f", rate) + "/s)");

    ExecutorService pool = Executors.newFixedThreadPool(stages.size() + 2);
    try {
      Future<?> ramp = pool.submit(() -> h.connect(all, joins, rate));
      long now = System.nanoTime();
      // The programme starts when about half the audience is in, as a congress does after the welcome.
      long t0 = now + TimeUnit.MILLISECONDS.toNanos(Math.min(o.rampSeconds * 500L, h.remainingMs() / 4));
      long tailMs = 20_000; // the final settle and checks of posts, upvotes and reactions
      double window = (h.remainingMs() - TimeUnit.NANOSECONDS.toMillis(t0 - now) - tailMs) / 1000.0;
      double slot = window / o.pollsPerStage;
      double spread = Math.min(o.spreadSeconds, Math.max(1, slot - o.settleSeconds - 8));
      if (spread < o.spreadSeconds) {
        h.note("spread", "reduced to " + String.format("%.1f", spread) + " s so that "
            + o.pollsPerStage + " polls per stage fit in --duration");
      }
      // the word cloud on the main stage: once the ramp is done, in a slot of its own
      int cloudSlot = -1;
      double wordSpread = Math.min(o.wordSpreadSeconds, Math.max(1, slot - o.settleSeconds - 8));
      long rampEnd = now + TimeUnit.SECONDS.toNanos(o.rampSeconds + 2);
      if (features) {
        for (int p = 0; p < o.pollsPerStage; p++) {
          if (t0 + (long) (p * slot * 1e9) >= rampEnd) {
            cloudSlot = p;
            break;
          }
        }
        if (cloudSlot < 0) {
          cloudSlot = o.pollsPerStage - 1;
          h.note("wordCloudSlot", "the ramp outlasts the programme; the cloud runs in the last slot");
        }
        if (wordSpread < o.wordSpreadSeconds) {
          h.note("wordSpread", "reduced to " + String.format("%.1f", wordSpread) + " s to fit a slot");
        }
      }
      final int cloudAt = cloudSlot;
      List<Future<?>> stageRuns = new ArrayList<>();
      String[] kinds = {"single", "multiple", "rating"};
      for (int s = 0; s < stages.size(); s++) {
        final int si = s;
        final StageInfo stage = stages.get(s);
        List<Session> stageModerators = mods.stream().filter(m -> m.isOn(stage.id())).toList();
        stageRuns.add(pool.submit(() -> {
          for (int p = 0; p < o.pollsPerStage && h.timeLeft(); p++) {
            long startAt = t0 + (long) ((p * slot + si * Math.min(2.0, slot / (2.0 * stages.size()))) * 1e9);
            h.sleepUntil(startAt);
            if (!h.timeLeft()) {
              break;
            }
            String label = "stage " + (si + 1) + " poll " + (p + 1);
            if (si == 0 && p == cloudAt) {
              List<Session> present = byStage.get(0).stream().filter(Session::hasJoined).toList();
              int n = Math.min(o.contributors, present.size());
              if (n < o.contributors) {
                h.note("contributors", "only " + n + " viewers on the main stage for the word cloud");
              }
              audience.runWordCloud("main stage word cloud", stage, present.subList(0, n), o.entries,
                  stageModerators, observersOf(present), wordSpread, o.resendFraction);
            }
            List<Session> present = byStage.get(si).stream().filter(Session::hasJoined).toList();
            if (present.isEmpty()) {
              h.note("skipped:" + label, "no viewer on the stage yet");
              continue;
            }
            String kind = kinds[(p + si) % kinds.length];
            PollInfo poll = h.createPoll(stage, kind, label + " (" + kind + ")", o.resultsVisible);
            h.runPoll(label, poll, present, stageModerators, observersOf(present), spread);
          }
          return null;
        }));
      }
      Future<?> background = null;
      if (features) {
        double end = window - 5;
        double[] shares = share;
        background = pool.submit(() -> {
          audienceDay(h, audience, stages, shares, byStage, t0, end);
          return null;
        });
      }
      for (Future<?> f : stageRuns) {
        f.get(Math.max(1, h.remainingMs() + 15_000), TimeUnit.MILLISECONDS);
      }
      if (background != null) {
        background.get(Math.max(1, h.remainingMs() + 15_000), TimeUnit.MILLISECONDS);
      }
      ramp.get(Math.max(1, h.remainingMs() + 15_000), TimeUnit.MILLISECONDS);
      if (features) {
        audience.settleAndCheck(stages, mods, all, o.withdrawFraction);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A planned audience action of the congress day. */
  private record Planned(long atNanos, int kind, int stage) {
  }

  /**
   * Posts (questions 60 %, comments 25 %, feedback 15 %) and reactions at random moments of the
   * programme, on stages in proportion to their audience; questions collect upvotes once published.
   */
  private static void audienceDay(Harness h, AudienceRuns audience, List<StageInfo> stages, double[] share,
                                  List<List<Session>> byStage, long t0, double windowSeconds) {
    Options o = h.options;
    Random r = audience.fork();
    Map<String, Integer> stageIndex = new java.util.HashMap<>();
    for (int s = 0; s < stages.size(); s++) {
      stageIndex.put(stages.get(s).id(), s);
    }
    long upvoteWindowMs = 15_000;
    long programmeEnd = t0 + (long) (windowSeconds * 1e9);
    audience.onPublished = p -> {
      long left = (programmeEnd - System.nanoTime()) / 1_000_000;
      if ("question".equals(p.kind) && left > 1000) {
        upvoteLater(h, audience, p, byStage.get(stageIndex.get(p.stageId)), o.upvotesPerQuestion,
            Math.min(upvoteWindowMs, left - 500), r);
      }
    };
    List<Planned> plan = new ArrayList<>();
    double span = Math.max(1, windowSeconds * 0.9);
    for (int i = 0; i < o.posts; i++) {
      plan.add(new Planned(t0 + (long) (r.nextDouble() * span * 1e9), 0, pickStage(share, r)));
    }
    long reactions = Math.round(o.reactionsPerSecond * windowSeconds);
    for (long i = 0; i < reactions; i++) {
      plan.add(new Planned(t0 + (long) (r.nextDouble() * windowSeconds * 1e9), 1, pickStage(share, r)));
    }
    plan.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
    Set<Session> posted = new HashSet<>();
    String[] names = {null, null, null, "Anna", "Jonas", "M. Yılmaz", "Dr. Weber"};
    int posts = 0;
    for (Planned p : plan) {
      h.sleepUntil(p.atNanos());
      if (!h.timeLeft()) {
        h.note("audienceDayCutShort", "the load deadline came before the planned posts and reactions were sent");
        break;
      }
      List<Session> present = byStage.get(p.stage()).stream().filter(Session::hasJoined).toList();
      if (present.isEmpty()) {
        continue;
      }
      if (p.kind() == 0) {
        Session s = null;
        for (int attempt = 0; attempt < 20; attempt++) {
          Session c = present.get(r.nextInt(present.size()));
          if (posted.add(c)) {
            s = c;
            break;
          }
        }
        if (s == null) {
          continue;
        }
        double x = r.nextDouble();
        String kind = x < 0.6 ? "question" : x < 0.85 ? "comment" : "feedback";
        audience.post(s, stages.get(p.stage()), kind, names[r.nextInt(names.length)], r.nextDouble() < o.resendFraction);
        posts++;
      } else {
        Session s = present.get(r.nextInt(present.size()));
        audience.react(s, stages.get(p.stage()).id(), AudienceRuns.emoji(s, r), r.nextDouble() < o.resendFraction);
      }
    }
    h.note("audienceDay", posts + " posts and up to " + reactions + " reactions planned over "
        + String.format("%.0f", windowSeconds) + " s");
  }

  private static int pickStage(double[] share, Random r) {
    double x = r.nextDouble();
    for (int s = 0; s < share.length; s++) {
      x -= share[s];
      if (x < 0) {
        return s;
      }
    }
    return share.length - 1;
  }

  /** Everyone arrives at once (a talk starts, the QR code is shown): how fast do joins go through? */
  static void joinStorm(Harness h) throws Exception {
    Options o = h.options;
    String eventId = h.createEvent(eventName(h));
    StageInfo stage = h.createStages(eventId, 1).get(0);
    List<Session> mods = h.connectModerators(List.of(stage), o.moderators, false);
    List<Session> all = viewers(h, o.viewers, o.observers);
    long t0 = System.nanoTime();
    List<Session> joined = h.connect(all, sameStage(all.size(), stage), o.connectRate);
    double seconds = (System.nanoTime() - t0) / 1e9;
    h.note("joinStorm", joined.size() + " of " + o.viewers + " viewers joined in "
        + String.format("%.2f", seconds) + " s (" + String.format("%.0f", joined.size() / seconds) + " joins/s)");
    if (h.timeLeft()) {
      PollInfo poll = h.createPoll(stage, "single", "After the storm", o.resultsVisible);
      h.runPoll("after join storm", poll, joined, mods, observersOf(joined), o.spreadSeconds);
    }
  }

  /**
   * Adds --step-viewers viewers per step, holds --step-seconds, then runs a poll burst with every
   * connected viewer; stops at the first step that refuses connections, answers unexpected errors,
   * loses votes or whose ack p99 exceeds --slo-ms. The last good step is the capacity.
   */
  static void capacity(Harness h) throws Exception {
    Options o = h.options;
    String eventId = h.createEvent(eventName(h));
    StageInfo stage = h.createStages(eventId, 1).get(0);
    List<Session> mods = h.connectModerators(List.of(stage), o.moderators, false);
    List<Session> connected = new ArrayList<>();
    int lastGood = 0;
    int step = 0;
    while (connected.size() < o.viewers && h.timeLeft()) {
      step++;
      int add = Math.min(o.stepViewers, o.viewers - connected.size());
      Measurements.Phase phase = h.m.beginPhase("step " + step + ": " + (connected.size() + add) + " viewers");
      List<Session> batch = viewers(h, add, connected.size() < o.observers ? o.observers - connected.size() : 0);
      connected.addAll(h.connect(batch, sameStage(batch.size(), stage), o.connectRate));
      phase.notes.put("viewersConnected", connected.size());
      h.sleepUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(o.stepSeconds));
      if (!h.timeLeft()) {
        phase.notes.put("verdict", "not finished: --duration reached");
        break;
      }
      Double heap = h.lastHeapBytes();
      if (heap != null) {
        phase.notes.put("serverHeapMiB", Math.round(heap / (1024 * 1024)));
      }
      PollInfo poll = h.createPoll(stage, o.pollKind, "Capacity step " + step, o.resultsVisible);
      Harness.PollRun run = h.runPoll("capacity step " + step, poll, connected, mods, observersOf(connected),
          o.spreadSeconds);
      h.m.endPhase();
      List<String> why = new ArrayList<>();
      if (phase.connectFailures.sum() > 0) {
        why.add(phase.connectFailures.sum() + " connections refused");
      }
      if (phase.unexpectedErrors.sum() > 0) {
        why.add(phase.unexpectedErrors.sum() + " unexpected errors");
      }
      if (run.unknown() > 0) {
        why.add(run.unknown() + " votes without answer");
      }
      if (run.check() == null || !run.check().passed()) {
        why.add("exactly-once check failed");
      }
      double ackP99 = phase.ack.getValueAtPercentile(99) / 1000.0;
      if (ackP99 > o.sloMillis) {
        why.add(String.format("ack p99 %.0f ms > %d ms", ackP99, o.sloMillis));
      }
      phase.notes.put("verdict", why.isEmpty() ? "within limits" : String.join("; ", why));
      if (!why.isEmpty()) {
        break;
      }
      lastGood = connected.size();
    }
    h.note("capacity", lastGood == 0 ? "no step stayed within limits"
        : lastGood + " viewers on one stage stayed within limits (ack p99 <= " + o.sloMillis + " ms, no refusals)");
  }
}
