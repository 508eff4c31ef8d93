package org.plenum.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.plenum.load.Harness.StageInfo;

/**
 * The sustained mix: votes, word-cloud entries and reactions at a fixed total rate (--rate) for
 * the whole --duration. So that every action stays checkable and its action-to-moderator latency
 * measurable, every vote is a participant's first vote in a poll and every entry a new word of the
 * participant: polls and clouds are used up and replaced (closed, read back and checked in the
 * background) as the run goes on.
 */
final class Sustained {

  private Sustained() {
  }

  /** One stage's current poll and cloud with their cursors. */
  private static final class StageState {
    final StageInfo stage;
    final List<Session> viewers;
    final List<Session> moderators;
    Harness.PollRound poll;
    /**
     * Opened ahead, oldest first, so that viewers have a poll's push before its first vote (see
     * dispatch). Two, because at thousands of votes per second one poll of 2,000 voters lasts
     * less than OPEN_AHEAD_MS, and waiting for a single poll opened ahead stalled the dispatch.
     */
    final java.util.ArrayDeque<Harness.PollRound> nextPolls = new java.util.ArrayDeque<>();
    AudienceRuns.CloudRound nextCloud;
    List<Session> pollOrder;
    int pollNext;
    int polls;
    AudienceRuns.CloudRound cloud;
    Map<Session, List<String[]>> picks;
    int cloudNext;
    int clouds;

    StageState(StageInfo stage, List<Session> viewers, List<Session> moderators) {
      this.stage = stage;
      this.viewers = viewers;
      this.moderators = moderators;
    }
  }

  static final int CLOUD_ENTRIES = 10;
  static final int POLLS_AHEAD = 2;

  static void run(Harness h) throws Exception {
    Options o = h.options;
    String eventId = h.createEvent(Scenarios.eventName(h));
    List<StageInfo> stages = h.createStages(eventId, o.stages);
    AudienceRuns audience = new AudienceRuns(h);
    Map<ActionKind, Double> mix = o.mixWeights();
    boolean needsFeatures = mix.getOrDefault(ActionKind.WORD, 0.0) > 0 || mix.getOrDefault(ActionKind.REACT, 0.0) > 0;
    if (needsFeatures && !audience.supported(stages.get(0))) {
      throw new IllegalStateException("the mix needs word clouds and reactions, which the server does not have");
    }
    List<Session> mods = h.connectModerators(stages, o.moderators, false);
    List<Session> all = Scenarios.viewers(h, o.viewers, o.observers);
    List<List<String>> joins = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      joins.add(List.of(stages.get(i % stages.size()).id()));
    }
    List<Session> joined = h.connect(all, joins, o.connectRate);
    h.note("viewersJoined", joined.size() + " of " + o.viewers);
    List<StageState> states = new ArrayList<>();
    for (StageInfo st : stages) {
      List<Session> v = joined.stream().filter(s -> s.isOn(st.id())).toList();
      if (v.isEmpty()) {
        throw new IllegalStateException("no viewer joined stage " + st.id());
      }
      states.add(new StageState(st, v, mods.stream().filter(m -> m.isOn(st.id())).toList()));
    }

    ActionKind[] kinds = mix.keySet().toArray(new ActionKind[0]);
    double[] cumulative = new double[kinds.length];
    double total = mix.values().stream().mapToDouble(Double::doubleValue).sum();
    double acc = 0;
    for (int i = 0; i < kinds.length; i++) {
      acc += mix.get(kinds[i]) / total;
      cumulative[i] = acc;
    }
    Random r = audience.fork();
    ExecutorService finisher = Executors.newFixedThreadPool(2);
    List<java.util.concurrent.Future<?>> finishing = Collections.synchronizedList(new ArrayList<>());
    // leave time for the last polls and clouds to be checked, and for the reaction check
    long reserveMs = Math.min(25_000, Math.max(5_000, h.remainingMs() / 5));
    long start = System.nanoTime();
    long end = start + TimeUnit.MILLISECONDS.toNanos(Math.max(1000, h.remainingMs() - reserveMs));
    Measurements.Phase phase = h.m.beginPhase(String.format(java.util.Locale.ROOT, "sustained %.0f actions/s", o.rate));
    long sent = 0;
    long[] perKind = new long[kinds.length];
    int rr = 0;
    try {
      while (System.nanoTime() < end && h.timeLeft()) {
        long due = (long) ((System.nanoTime() - start) / 1e9 * o.rate) - sent;
        due = Math.min(due, 5000);
        for (long i = 0; i < due; i++) {
          double x = r.nextDouble();
          int k = 0;
          while (k < kinds.length - 1 && x >= cumulative[k]) {
            k++;
          }
          StageState st = states.get(rr++ % states.size());
          dispatch(h, audience, st, kinds[k], r, finisher, finishing, o);
          perKind[k]++;
          sent++;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      // the last rounds
      for (StageState st : states) {
        retirePoll(h, st, finisher, finishing);
        retireCloud(h, audience, st, finisher, finishing);
        while (!st.nextPolls.isEmpty()) {
          st.poll = st.nextPolls.poll();
          st.pollOrder = List.of();
          retirePoll(h, st, finisher, finishing);
        }
        if (st.nextCloud != null) {
          st.cloud = st.nextCloud;
          st.cloudNext = 0;
          retireCloud(h, audience, st, finisher, finishing);
        }
      }
      for (java.util.concurrent.Future<?> f : new ArrayList<>(finishing)) {
        f.get(Math.max(1, h.remainingMs() + 10_000), TimeUnit.MILLISECONDS);
      }
      audience.settleAndCheck(stages, mods, joined, 0);
      h.m.endPhase();
      StringBuilder kindsSent = new StringBuilder();
      for (int i = 0; i < kinds.length; i++) {
        kindsSent.append(i == 0 ? "" : ", ").append(kinds[i].wire).append(' ').append(perKind[i]);
      }
      double acked = phase.votesAcked.sum();
      h.note("sustained", String.format(java.util.Locale.ROOT,
          "target %.0f actions/s for %.0f s: sent %d (%s), acknowledged %.0f = %.0f/s",
          o.rate, seconds, sent, kindsSent, acked, acked / seconds));
      double p99 = phase.actionToModerator.getTotalCount() == 0 ? Double.NaN
          : phase.actionToModerator.getValueAtPercentile(99) / 1000.0;
      h.note("sustainedVerdict", String.format(java.util.Locale.ROOT,
          "p99 action-to-moderator %.1f ms: %s 250 ms", p99, p99 <= 250 ? "within" : "OVER"));
    } finally {
      finisher.shutdownNow();
    }
  }

  private static void dispatch(Harness h, AudienceRuns audience, StageState st, ActionKind kind, Random r,
                               ExecutorService finisher, List<java.util.concurrent.Future<?>> finishing, Options o)
      throws Exception {
    switch (kind) {
      case VOTE -> {
        // A viewer learns of a poll from its poll push; voting on the REST answer alone can
        // overtake that push (the node answers unknown_poll for a moment). So POLLS_AHEAD polls
        // are kept open ahead, and each is used only once it is OPEN_AHEAD_MS old.
        while (st.nextPolls.size() < POLLS_AHEAD) {
          PollInfo p = h.createPoll(st.stage, "single", "Sustained poll " + (++st.polls), o.resultsVisible);
          Harness.PollRound opened = h.openPoll("sustained poll " + st.polls, p);
          if (opened == null) {
            throw new IllegalStateException("could not open a poll");
          }
          st.nextPolls.add(opened);
        }
        if (st.poll == null || st.pollNext >= st.pollOrder.size()) {
          retirePoll(h, st, finisher, finishing);
          waitOpenAhead(st.nextPolls.peek().openedAt);
          st.poll = st.nextPolls.poll();
          st.pollOrder = new ArrayList<>(st.viewers);
          Collections.shuffle(st.pollOrder, r);
          st.pollNext = 0;
        }
        Session s = st.pollOrder.get(st.pollNext++);
        Harness.PollRound round = st.poll;
        Random pr = new Random(r.nextLong());
        // registered now, so that retiring the poll waits for this vote even before it is sent
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        round.done.add(done.future());
        s.schedule(0, () -> round.vote(s, pr, false, false).onComplete(x -> done.tryComplete()));
      }
      case WORD -> {
        int capacity = st.viewers.size() * CLOUD_ENTRIES;
        if (st.nextCloud == null && (st.cloud == null || st.cloudNext * 2 >= capacity)) {
          st.nextCloud = audience.openCloud("sustained cloud " + (++st.clouds), st.stage, CLOUD_ENTRIES);
          if (st.nextCloud == null) {
            throw new IllegalStateException("could not open a word cloud");
          }
        }
        if (st.cloud == null || st.cloudNext >= capacity) {
          retireCloud(h, audience, st, finisher, finishing);
          waitOpenAhead(st.nextCloud.openedAt);
          st.cloud = st.nextCloud;
          st.nextCloud = null;
          st.picks = new HashMap<>();
          st.cloudNext = 0;
        }
        int n = st.cloudNext++;
        Session s = st.viewers.get(n % st.viewers.size());
        int entry = n / st.viewers.size();
        List<String[]> mine = st.picks.computeIfAbsent(s,
            x -> WordVocabulary.pick(new Random(r.nextLong()), CLOUD_ENTRIES));
        if (entry >= mine.size()) {
          return;
        }
        String[] pick = mine.get(entry);
        AudienceRuns.CloudRound round = st.cloud;
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        round.done.add(done.future());
        s.schedule(0, () -> round.contribute(s, List.<String[]>of(pick), false).onComplete(x -> done.tryComplete()));
      }
      case REACT -> {
        Session s = st.viewers.get(r.nextInt(st.viewers.size()));
        String emoji = AudienceRuns.emoji(s, r);
        s.schedule(0, () -> audience.react(s, st.stage.id(), emoji, false));
      }
      default -> throw new IllegalArgumentException("sustained mix: " + kind);
    }
  }

  private static String states(StageState st) {
    return st.stage.name().replace("Load stage ", "");
  }

  static final long OPEN_AHEAD_MS = 300;

  private static void waitOpenAhead(long openedAt) {
    long until = openedAt + TimeUnit.MILLISECONDS.toNanos(OPEN_AHEAD_MS);
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(until - System.nanoTime());
    }
  }

  private static void retirePoll(Harness h, StageState st, ExecutorService finisher,
                                 List<java.util.concurrent.Future<?>> finishing) {
    if (st.poll == null) {
      return;
    }
    Harness.PollRound round = st.poll;
    st.poll = null;
    List<Session> obs = Scenarios.observersOf(st.viewers);
    String label = "stage " + (states(st)) + " poll " + round.poll.id();
    finishing.add(finisher.submit(() -> h.finishPoll(label, round, st.moderators, obs)));
  }

  private static void retireCloud(Harness h, AudienceRuns audience, StageState st, ExecutorService finisher,
                                  List<java.util.concurrent.Future<?>> finishing) {
    if (st.cloud == null) {
      return;
    }
    AudienceRuns.CloudRound round = st.cloud;
    int contributors = Math.min(st.viewers.size(), st.cloudNext);
    st.cloud = null;
    List<Session> obs = Scenarios.observersOf(st.viewers);
    String label = "stage " + (states(st)) + " cloud " + round.cloudId;
    finishing.add(finisher.submit(() -> audience.finishCloud(label, round, contributors,
        CLOUD_ENTRIES, st.moderators, obs)));
  }
}
