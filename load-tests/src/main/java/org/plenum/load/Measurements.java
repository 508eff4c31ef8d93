package org.plenum.load;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Everything the run measures. Recorded from several event-loop threads at once, so only
 * concurrent structures; latencies are kept in microseconds.
 */
public final class Measurements {

  /** Longest latency a histogram tracks: one hour, in microseconds. */
  static final long MAX_MICROS = 3_600_000_000L;

  /** Latency histograms and counters of one phase (the whole run, or one capacity step). */
  public static final class Phase {
    public final String name;
    public final ConcurrentHistogram connect = histogram();
    public final ConcurrentHistogram join = histogram();
    public final ConcurrentHistogram ack = histogram();
    public final ConcurrentHistogram voteToModerator = histogram();
    public final ConcurrentHistogram voteToViewer = histogram();
    /** Acknowledgement latency per action kind (votes: the same histogram as {@link #ack}). */
    public final Map<ActionKind, ConcurrentHistogram> acks = new EnumMap<>(ActionKind.class);
    /** Action written until a moderator's push reflects it, per kind (votes: {@link #voteToModerator}). */
    public final Map<ActionKind, ConcurrentHistogram> toModerator = new EnumMap<>(ActionKind.class);
    /** Action written until an observing viewer's push reflects it, per kind. */
    public final Map<ActionKind, ConcurrentHistogram> toViewer = new EnumMap<>(ActionKind.class);
    /** Every kind together: the figure the congress target is about. */
    public final ConcurrentHistogram actionToModerator = histogram();
    /** A moderator's REST approve sent until an observing viewer sees the post published. */
    public final ConcurrentHistogram approveToViewer = histogram();
    /** First word-cloud entry sent until a moderator's words push shows every entry with exact counts. */
    public final ConcurrentHistogram cloudComplete = histogram();
    public final LongAdder votesSent = new LongAdder();
    public final LongAdder votesAcked = new LongAdder();
    public final LongAdder connectFailures = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder unexpectedErrors = new LongAdder();
    public final long startNanos = System.nanoTime();
    public volatile long endNanos;
    public final Map<String, Object> notes = new ConcurrentHashMap<>();

    Phase(String name) {
      this.name = name;
      for (ActionKind k : ActionKind.values()) {
        acks.put(k, k == ActionKind.VOTE ? ack : histogram());
        toModerator.put(k, k == ActionKind.VOTE ? voteToModerator : histogram());
        toViewer.put(k, k == ActionKind.VOTE ? voteToViewer : histogram());
      }
    }
  }

  /** Counters of one action kind over the whole run (votes also keep the older fields below). */
  public static final class KindCounters {
    public final LongAdder sent = new LongAdder();
    public final LongAdder acked = new LongAdder();
    public final LongAdder duplicateAcks = new LongAdder();
    public final LongAdder rejected = new LongAdder();
    public final LongAdder withoutAnswer = new LongAdder();
    public final LongAdder resent = new LongAdder();
    public final LongAdder retried = new LongAdder();
  }

  public final Map<ActionKind, KindCounters> kinds = new EnumMap<>(ActionKind.class);
  {
    for (ActionKind k : ActionKind.values()) {
      kinds.put(k, new KindCounters());
    }
  }

  public final long startNanos = System.nanoTime();
  public final Phase total = new Phase("total");
  private final List<Phase> phases = new ArrayList<>();
  private volatile Phase current;
  private final Set<String> allowedErrors;

  /** Lateness of a 100 ms timer on the generator's event loops (microseconds). */
  public final ConcurrentHistogram generatorLag = histogram();
  /** The largest lateness since the last metrics sample (microseconds). */
  public final java.util.concurrent.atomic.AtomicLong lagMaxThisSecond = new java.util.concurrent.atomic.AtomicLong();
  public final LongAdder votesSent = new LongAdder();
  public final LongAdder votesAcked = new LongAdder();
  public final LongAdder duplicateAcks = new LongAdder();
  public final LongAdder resendsSent = new LongAdder();
  public final LongAdder changesSent = new LongAdder();
  public final LongAdder votesLost = new LongAdder();
  public final LongAdder pushesReceived = new LongAdder();
  public final LongAdder stalePushes = new LongAdder();
  public final LongAdder framesReceived = new LongAdder();

  public final LongAdder established = new LongAdder();
  public final LongAdder refused = new LongAdder();
  public final LongAdder dropped = new LongAdder();
  public final LongAdder closedByClient = new LongAdder();
  public final LongAdder reconnects = new LongAdder();
  public final AtomicInteger open = new AtomicInteger();
  public final AtomicInteger peakOpen = new AtomicInteger();
  public final Map<String, LongAdder> refusedReasons = new ConcurrentHashMap<>();
  public final Map<String, LongAdder> closeCodes = new ConcurrentHashMap<>();
  public final Map<String, LongAdder> errorsByCode = new ConcurrentHashMap<>();
  public final Map<String, LongAdder> clientFailures = new ConcurrentHashMap<>();
  private final Map<String, Discrepancy> discrepancies = new ConcurrentHashMap<>();
  private final AtomicLongArray acksPerSecond;
  /** Acknowledged actions of every kind per second of the run. */
  private final AtomicLongArray actionAcksPerSecond;
  /** Deviations worth knowing that do not fail the run (see Report). */
  private final Map<String, Discrepancy> observations = new ConcurrentHashMap<>();

  /** A way in which the server did not behave as docs/protocol.md says. */
  public static final class Discrepancy {
    public final String what;
    public final LongAdder count = new LongAdder();
    public volatile String example;

    Discrepancy(String what) {
      this.what = what;
    }
  }

  public Measurements(int seconds, Set<String> allowedErrors) {
    this.acksPerSecond = new AtomicLongArray(seconds + 120);
    this.actionAcksPerSecond = new AtomicLongArray(seconds + 120);
    this.allowedErrors = Set.copyOf(allowedErrors);
  }

  private static ConcurrentHistogram histogram() {
    return new ConcurrentHistogram(MAX_MICROS, 3);
  }

  /** Starts a named phase; later records go to it as well as to the total. */
  public synchronized Phase beginPhase(String name) {
    Phase p = new Phase(name);
    if (current != null) {
      current.endNanos = System.nanoTime();
    }
    phases.add(p);
    current = p;
    return p;
  }

  public synchronized void endPhase() {
    if (current != null) {
      current.endNanos = System.nanoTime();
      current = null;
    }
  }

  public synchronized List<Phase> phases() {
    return List.copyOf(phases);
  }

  public static void record(AbstractHistogram h, long micros) {
    h.recordValue(Math.max(0, Math.min(micros, MAX_MICROS)));
  }

  private void both(Consumer<Phase> f) {
    f.accept(total);
    Phase p = current;
    if (p != null) {
      f.accept(p);
    }
  }

  public void connected(long micros) {
    established.increment();
    int now = open.incrementAndGet();
    peakOpen.accumulateAndGet(now, Math::max);
    both(p -> record(p.connect, micros));
  }

  public void connectFailed(String reason) {
    refused.increment();
    refusedReasons.computeIfAbsent(reason, k -> new LongAdder()).increment();
    both(p -> p.connectFailures.increment());
  }

  public void closed(boolean byUs, Short code) {
    open.decrementAndGet();
    if (byUs) {
      closedByClient.increment();
    } else {
      dropped.increment();
      closeCodes.computeIfAbsent(code == null ? "none" : code.toString(), k -> new LongAdder()).increment();
    }
  }

  public void joined(long micros) {
    both(p -> record(p.join, micros));
  }

  public void voteSent(boolean change) {
    votesSent.increment();
    kinds.get(ActionKind.VOTE).sent.increment();
    if (change) {
      changesSent.increment();
    }
    both(p -> p.votesSent.increment());
  }

  public void voteAcked(long micros, boolean duplicate) {
    votesAcked.increment();
    if (duplicate) {
      duplicateAcks.increment();
    }
    KindCounters k = kinds.get(ActionKind.VOTE);
    k.acked.increment();
    if (duplicate) {
      k.duplicateAcks.increment();
    }
    int second = (int) ((System.nanoTime() - startNanos) / 1_000_000_000L);
    if (second >= 0 && second < acksPerSecond.length()) {
      acksPerSecond.incrementAndGet(second);
      actionAcksPerSecond.incrementAndGet(second);
    }
    both(p -> {
      record(p.ack, micros);
      p.votesAcked.increment();
    });
  }

  /** An action other than a vote was written for the first time. */
  public void actionSent(ActionKind kind) {
    kinds.get(kind).sent.increment();
    both(p -> p.votesSent.increment());
  }

  /** An action other than a vote was acknowledged. */
  public void actionAcked(ActionKind kind, long micros, boolean duplicate) {
    KindCounters k = kinds.get(kind);
    k.acked.increment();
    if (duplicate) {
      k.duplicateAcks.increment();
    }
    int second = (int) ((System.nanoTime() - startNanos) / 1_000_000_000L);
    if (second >= 0 && second < actionAcksPerSecond.length()) {
      actionAcksPerSecond.incrementAndGet(second);
    }
    both(p -> {
      record(p.acks.get(kind), micros);
      p.votesAcked.increment();
    });
  }

  /** Action-to-moderator or action-to-viewer latencies of a kind, worked out after it settled. */
  public void addAttributed(ActionKind kind, AbstractHistogram h, boolean moderators) {
    both(p -> {
      (moderators ? p.toModerator : p.toViewer).get(kind).add(h);
      if (moderators) {
        p.actionToModerator.add(h);
      }
    });
  }

  /** One latency sample (microseconds) into a histogram chosen per phase. */
  public void recordIn(java.util.function.Function<Phase, AbstractHistogram> which, long micros) {
    both(p -> record(which.apply(p), micros));
  }

  /** Adds vote-to-moderator or vote-to-viewer latencies worked out after a poll settled. */
  public void addAttributed(AbstractHistogram h, boolean moderators) {
    addAttributed(ActionKind.VOTE, h, moderators);
  }

  public void serverError(String code) {
    serverError(code, false);
  }

  /** An error frame; {@code tolerated}: the caller expected this code for this action and handles it. */
  public void serverError(String code, boolean tolerated) {
    errorsByCode.computeIfAbsent(tolerated ? code + " (handled)" : code, k -> new LongAdder()).increment();
    boolean unexpected = !tolerated && !allowedErrors.contains(code);
    both(p -> {
      p.errors.increment();
      if (unexpected) {
        p.unexpectedErrors.increment();
      }
    });
  }

  /** A failure seen only by the client, such as a timeout or a lost connection. */
  public void clientFailure(String what) {
    clientFailures.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  public void discrepancy(String what, String example) {
    Discrepancy d = discrepancies.computeIfAbsent(what, Discrepancy::new);
    d.count.increment();
    if (d.example == null && example != null) {
      d.example = example.length() > 400 ? example.substring(0, 400) + "…" : example;
    }
  }

  /** Something the docs leave open or the server does oddly, that does not fail the run. */
  public void observation(String what, String example) {
    Discrepancy d = observations.computeIfAbsent(what, Discrepancy::new);
    d.count.increment();
    if (d.example == null && example != null) {
      d.example = example.length() > 400 ? example.substring(0, 400) + "…" : example;
    }
  }

  public List<Discrepancy> observations() {
    return new ArrayList<>(new TreeMap<>(observations).values());
  }

  public List<Discrepancy> discrepancies() {
    return new ArrayList<>(new TreeMap<>(discrepancies).values());
  }

  public long unexpectedErrors() {
    return total.unexpectedErrors.sum();
  }

  public boolean isAllowed(String code) {
    return allowedErrors.contains(code);
  }

  /** Acknowledged actions of every kind per second of the run, trimmed after the last non-zero second. */
  public long[] actionAcksPerSecond() {
    return trimmed(actionAcksPerSecond);
  }

  /** Acknowledged votes per second of the run, trimmed after the last non-zero second. */
  public long[] acksPerSecond() {
    return trimmed(acksPerSecond);
  }

  private static long[] trimmed(AtomicLongArray acksPerSecond) {
    int last = -1;
    for (int i = 0; i < acksPerSecond.length(); i++) {
      if (acksPerSecond.get(i) > 0) {
        last = i;
      }
    }
    long[] out = new long[last + 1];
    for (int i = 0; i <= last; i++) {
      out[i] = acksPerSecond.get(i);
    }
    return out;
  }
}
