package org.plenum.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.plenum.load.Harness.StageInfo;

/** The scenarios. Each builds its own event, stages and polls through the REST API. */
final class Scenarios {

  private Scenarios() {
  }

  /** Things a congress stage does in its programme. Only polls exist in the server so far. */
  enum Activity {
    POLL,
    /** Hook: word clouds (not in protocol v1 yet; skipped with a note). */
    WORD_CLOUD,
    /** Hook: Q&A questions and upvotes (not in protocol v1 yet; skipped with a note). */
    QUESTIONS
  }

  static void run(Harness h) throws Exception {
    switch (h.options.scenario) {
      case "smoke", "poll-burst" -> pollBurst(h);
      case "congress" -> congress(h);
      case "join-storm" -> joinStorm(h);
      case "capacity" -> capacity(h);
      default -> throw new IllegalArgumentException("unknown scenario " + h.options.scenario);
    }
  }

  private static String eventName(Harness h) {
    return "Load test " + h.options.scenario + " " + Instant.now();
  }

  private static List<Session> viewers(Harness h, int n, int observers) {
    List<Session> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(h.newSession(Session.Role.VIEWER, i < observers));
    }
    return out;
  }

  private static List<Session> observersOf(List<Session> sessions) {
    return sessions.stream().filter(s -> s.isObserver() && s.role == Session.Role.VIEWER).toList();
  }

  private static List<List<String>> sameStage(int n, StageInfo stage) {
    List<List<String>> joins = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      joins.add(List.of(stage.id()));
    }
    return joins;
  }

  /** smoke and poll-burst: N viewers on one stage, one poll, everyone votes within the spread. */
  static void pollBurst(Harness h) throws Exception {
    Options o = h.options;
    String eventId = h.createEvent(eventName(h));
    StageInfo stage = h.createStages(eventId, 1).get(0);
    List<Session> mods = h.connectModerators(List.of(stage), o.moderators, false);
    List<Session> all = viewers(h, o.viewers, o.observers);
    List<Session> joined = h.connect(all, sameStage(all.size(), stage), o.connectRate);
    h.note("viewersJoined", joined.size() + " of " + o.viewers);
    PollInfo poll = h.createPoll(stage, o.pollKind, "Load test " + o.pollKind + " poll", o.resultsVisible);
    h.runPoll(o.scenario, poll, joined, mods, observersOf(joined), o.spreadSeconds);
  }

  /**
   * The reference event: 3 stages, viewers ramping up to --viewers (1,800 at the peak), several
   * polls of each kind per stage; all viewers on a stage vote in each of its polls.
   */
  static void congress(Harness h) throws Exception {
    Options o = h.options;
    String eventId = h.createEvent(eventName(h));
    List<StageInfo> stages = h.createStages(eventId, o.stages);
    List<Session> mods = h.connectModerators(stages, o.moderators, true);

    List<Session> all = viewers(h, o.viewers, o.observers);
    List<List<String>> joins = new ArrayList<>();
    List<List<Session>> byStage = new ArrayList<>();
    for (int s = 0; s < stages.size(); s++) {
      byStage.add(new ArrayList<>());
    }
    for (int i = 0; i < all.size(); i++) {
      int s = i % stages.size();
      joins.add(List.of(stages.get(s).id()));
      byStage.get(s).add(all.get(i));
    }
    double rate = Math.min(o.connectRate, Math.max(1.0, o.viewers / (double) Math.max(1, o.rampSeconds)));
    h.note("ramp", o.viewers + " viewers over about " + o.rampSeconds + " s (" + String.format("%.0f", rate) + "/s)");

    ExecutorService pool = Executors.newFixedThreadPool(stages.size() + 1);
    try {
      Future<?> ramp = pool.submit(() -> h.connect(all, joins, rate));
      // The programme starts when about half the audience is in, as a congress does after the welcome.
      long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(o.rampSeconds * 500L, h.remainingMs() / 4));
      double window = (h.remainingMs() - TimeUnit.NANOSECONDS.toMillis(t0 - System.nanoTime())) / 1000.0 - 2;
      double slot = window / o.pollsPerStage;
      double spread = Math.min(o.spreadSeconds, Math.max(1, slot - o.settleSeconds - 8));
      if (spread < o.spreadSeconds) {
        h.note("spread", "reduced to " + String.format("%.1f", spread) + " s so that "
            + o.pollsPerStage + " polls per stage fit in --duration");
      }
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
            for (Activity a : programmeSlot(p)) {
              runActivity(h, a, stage, byStage.get(si), stageModerators, kinds[(p + si) % kinds.length],
                  "stage " + (si + 1) + " poll " + (p + 1), spread);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : stageRuns) {
        f.get(Math.max(1, h.remainingMs() + 15_000), TimeUnit.MILLISECONDS);
      }
      ramp.get(Math.max(1, h.remainingMs() + 15_000), TimeUnit.MILLISECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

  /** What a stage does in one programme slot: a poll now; word clouds and questions once the server has them. */
  static List<Activity> programmeSlot(int slot) {
    return List.of(Activity.POLL);
  }

  private static void runActivity(Harness h, Activity a, StageInfo stage, List<Session> stageViewers,
                                  List<Session> mods, String kind, String label, double spread) throws Exception {
    switch (a) {
      case POLL -> {
        List<Session> present = stageViewers.stream().filter(Session::hasJoined).toList();
        if (present.isEmpty()) {
          h.note("skipped:" + label, "no viewer on the stage yet");
          return;
        }
        PollInfo poll = h.createPoll(stage, kind, label + " (" + kind + ")", h.options.resultsVisible);
        h.runPoll(label, poll, present, mods, observersOf(present), spread);
      }
      case WORD_CLOUD -> h.note("wordClouds", "not run: protocol v1 has no word clouds yet");
      case QUESTIONS -> h.note("questions", "not run: protocol v1 has no questions yet");
    }
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
