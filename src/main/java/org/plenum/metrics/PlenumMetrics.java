package org.plenum.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every Plenum meter, named in one place. Prometheus names are these with dots turned into
 * underscores (and {@code _total} / {@code _seconds} suffixes added by the registry).
 */
public final class PlenumMetrics {
  public static final String CONNECTIONS = "plenum.connections";
  public static final String MESSAGES_IN = "plenum.messages.in";
  public static final String MESSAGES_OUT = "plenum.messages.out";
  public static final String VOTES_APPLIED = "plenum.votes.applied";
  public static final String VOTES_DUPLICATE = "plenum.votes.duplicate";
  public static final String ERRORS = "plenum.errors";
  public static final String PUSH_LATENCY = "plenum.change.to.push";
  public static final String PUSH_FANOUT = "plenum.push.fanout";
  public static final String SLOW_CLIENTS_CLOSED = "plenum.slow.clients.closed";
  public static final String REDIS_COMMAND = "plenum.redis.command";
  public static final String JOURNAL_WRITE_FAILURES = "plenum.journal.write.failures";
  public static final String JOURNAL_TAIL_RECORDS = "plenum.journal.tail.records";
  public static final String JOURNAL_TAIL_REPLAYED = "plenum.journal.tail.replayed";
  public static final String SNAPSHOT_DURATION = "plenum.snapshot.duration";
  public static final String READMODEL_READS = "plenum.readmodel.reads";
  public static final String READMODEL_ENCODES = "plenum.readmodel.encodes";

  private final PrometheusMeterRegistry registry;
  private final ConcurrentMap<String, AtomicLong> connections = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final Counter votesApplied;
  private final Counter votesDuplicate;
  private final Counter slowClientsClosed;
  private final DistributionSummary fanout;
  private final AtomicLong tailReplayed = new AtomicLong();
  /** The engine that last started (tests restart engines on one registry). */
  private final java.util.concurrent.atomic.AtomicReference<java.util.function.Supplier<Number>> tailRecords =
      new java.util.concurrent.atomic.AtomicReference<>();

  public PlenumMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public PlenumMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.votesApplied = Counter.builder(VOTES_APPLIED).description("Votes durably applied").register(registry);
    this.votesDuplicate = Counter.builder(VOTES_DUPLICATE)
        .description("Votes acknowledged as retries of an already applied action id").register(registry);
    this.slowClientsClosed = Counter.builder(SLOW_CLIENTS_CLOSED)
        .description("Sessions closed with 4008 because they did not read their pushes").register(registry);
    this.fanout = DistributionSummary.builder(PUSH_FANOUT)
        .description("Sessions one encoded push was written to").register(registry);
    Gauge.builder(JOURNAL_TAIL_REPLAYED, tailReplayed, AtomicLong::get)
        .description("Memory engine journal records replayed at the last start").register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public MeterRegistry meterRegistry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  /** +1/-1 open WebSocket sessions on a stage in a role. */
  public void connection(String stageId, String role, int delta) {
    connections.computeIfAbsent(stageId + "|" + role, key -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder(CONNECTIONS, value, AtomicLong::get).description("Open WebSocket sessions")
          .tag("stage", stageId).tag("role", role).register(registry);
      return value;
    }).addAndGet(delta);
  }

  public void messageIn(String type) {
    counter(MESSAGES_IN, "type", type, "Client messages received").increment();
  }

  public void messageOut(String type, int count) {
    counter(MESSAGES_OUT, "type", type, "Server messages written").increment(count);
  }

  public void error(String code) {
    counter(ERRORS, "code", code, "Error replies by code").increment();
  }

  public void voteApplied() {
    votesApplied.increment();
  }

  public void voteDuplicate() {
    votesDuplicate.increment();
  }

  public void slowClientClosed() {
    slowClientsClosed.increment();
  }

  public void fanout(int sessions) {
    fanout.record(sessions);
  }

  /** Time from the first unpushed change of an aggregate to its push, per audience. */
  public void changeToPush(String audience, long nanos) {
    timers.computeIfAbsent(PUSH_LATENCY + "|" + audience, k -> Timer.builder(PUSH_LATENCY)
        .description("Time from a change (e.g. a vote) to the push that shows it")
        .tag("audience", audience).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A stage's read model read something from the engine: an aggregate for a tick ({@code results},
   * {@code words}, {@code post}, {@code reactions}), a definition ({@code poll}, {@code cloud},
   * {@code talks}, {@code stage}, or a whole list on load) or a join's {@code snapshot}. Once per
   * node, whatever the number of event loops and sessions.
   */
  public void readModelRead(String kind) {
    counter(READMODEL_READS, "kind", kind, "Engine reads by the stages' read models, by kind").increment();
  }

  /** A read model encoded a push (once, for every session of the node that gets it), by message type. */
  public void readModelEncode(String type) {
    counter(READMODEL_ENCODES, "type", type, "Pushes encoded by the stages' read models, by message type").increment();
  }

  /** What {@link #readModelRead} counted so far for {@code kind} (tests). */
  public double readModelReads(String kind) {
    Counter c = counters.get(READMODEL_READS + "|" + kind);
    return c == null ? 0 : c.count();
  }

  /** What {@link #readModelEncode} counted so far for {@code type} (tests). */
  public double readModelEncodes(String type) {
    Counter c = counters.get(READMODEL_ENCODES + "|" + type);
    return c == null ? 0 : c.count();
  }

  public void redisCommand(String command, long nanos) {
    timers.computeIfAbsent(REDIS_COMMAND + "|" + command, k -> Timer.builder(REDIS_COMMAND)
        .description("Redis command round trips").tag("command", command).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(5))
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Memory engine: a journal write failed (full disk, I/O error); the engine refuses changes until a probe succeeds. */
  public void journalWriteFailed() {
    Counter.builder(JOURNAL_WRITE_FAILURES).description("Memory engine journal writes that failed (changes rolled back)")
        .register(registry).increment();
  }

  /** Memory engine: how many journal records a restart would replay now (the tail since the last snapshot). */
  public void memoryEngineGauges(java.util.function.Supplier<Number> tailRecords) {
    if (this.tailRecords.getAndSet(tailRecords) == null) {
      Gauge.builder(JOURNAL_TAIL_RECORDS, this.tailRecords, s -> s.get().get().doubleValue())
          .description("Memory engine journal records since the last snapshot (replayed at start)").register(registry);
    }
  }

  /** Memory engine: journal records replayed at the last start or rebuild. */
  public void tailReplayed(long records) {
    tailReplayed.set(records);
  }

  public void snapshotTaken(long nanos) {
    Timer.builder(SNAPSHOT_DURATION).description("Memory engine snapshots, from journal rotation to the file in place")
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Counter counter(String name, String tag, String value, String description) {
    return counters.computeIfAbsent(name + "|" + value,
        k -> Counter.builder(name).description(description).tag(tag, value).register(registry));
  }
}
