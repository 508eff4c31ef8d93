package org.plenum.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;

/**
 * The run's report: built once as JSON (written with --report) and rendered from that same JSON
 * as text, so both always say the same.
 */
public final class Report {

  private Report() {
  }

  static final String[] LATENCIES = {"connect", "join", "ack", "voteToModerator", "voteToViewer"};
  /** Shown in the text report only when measured. */
  static final String[] MORE_LATENCIES = {"wordAck", "wordToModerator", "wordToViewer", "cloudComplete", "postAck",
      "postToModerator", "postToViewer", "approveToViewer", "upvoteAck", "upvoteToModerator", "reactAck",
      "reactToModerator", "reactToViewer", "actionToModerator"};

  /** count, p50, p95, p99, max and mean in milliseconds of a histogram kept in microseconds. */
  public static ObjectNode latency(ObjectMapper mapper, AbstractHistogram live) {
    // a copy: a last timer (the generator's lag probe) may still record while the report is built,
    // and iterating a histogram that changes throws ConcurrentModificationException
    AbstractHistogram h = live instanceof org.HdrHistogram.ConcurrentHistogram c ? c.copy() : live;
    ObjectNode n = mapper.createObjectNode();
    long count = h.getTotalCount();
    n.put("count", count);
    if (count == 0) {
      return n;
    }
    n.put("p50", ms(h.getValueAtPercentile(50)));
    n.put("p95", ms(h.getValueAtPercentile(95)));
    n.put("p99", ms(h.getValueAtPercentile(99)));
    n.put("max", ms(h.getMaxValue()));
    n.put("mean", Math.round(h.getMean()) / 1000.0);
    return n;
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  static ObjectNode latencies(ObjectMapper mapper, Measurements.Phase p) {
    ObjectNode n = mapper.createObjectNode();
    n.set("connect", latency(mapper, p.connect));
    n.set("join", latency(mapper, p.join));
    n.set("ack", latency(mapper, p.ack));
    n.set("voteToModerator", latency(mapper, p.voteToModerator));
    n.set("voteToViewer", latency(mapper, p.voteToViewer));
    for (ActionKind k : ActionKind.values()) {
      if (k == ActionKind.VOTE) {
        continue;
      }
      String name = k == ActionKind.REACT ? "react" : k.wire;
      n.set(name + "Ack", latency(mapper, p.acks.get(k)));
      n.set(name + "ToModerator", latency(mapper, p.toModerator.get(k)));
      if (k != ActionKind.UPVOTE) {
        n.set(name + "ToViewer", latency(mapper, p.toViewer.get(k)));
      }
    }
    n.set("approveToViewer", latency(mapper, p.approveToViewer));
    n.set("cloudComplete", latency(mapper, p.cloudComplete));
    n.set("actionToModerator", latency(mapper, p.actionToModerator));
    return n;
  }

  /** mean and max of a series, skipping gaps; null when there is no value. */
  static ObjectNode stats(ObjectMapper mapper, List<Double> values, double scale, int decimals) {
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    int n = 0;
    Double last = null;
    for (Double v : values) {
      if (v == null) {
        continue;
      }
      sum += v;
      max = Math.max(max, v);
      n++;
      last = v;
    }
    ObjectNode o = mapper.createObjectNode();
    o.put("samples", n);
    if (n > 0) {
      o.put("mean", round(sum / n * scale, decimals));
      o.put("max", round(max * scale, decimals));
      o.put("last", round(last * scale, decimals));
    }
    return o;
  }

  static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  /** Builds the whole report and decides PASS or FAIL. */
  static ObjectNode build(Harness h, String startedAt, String finishedAt, String setupFailure) {
    ObjectMapper mapper = h.mapper;
    Options o = h.options;
    Measurements m = h.m;
    boolean capacity = "capacity".equals(o.scenario);
    ObjectNode r = mapper.createObjectNode();
    r.put("tool", "plenum-load");
    r.put("scenario", o.scenario);
    r.put("startedAt", startedAt);
    r.put("finishedAt", finishedAt);
    r.put("elapsedSeconds", round(h.elapsedSeconds(), 1));
    ObjectNode machine = r.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("java", System.getProperty("java.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    r.set("options", mapper.valueToTree(o.describe()));
    r.set("notes", mapper.valueToTree(h.notes()));

    ObjectNode c = r.putObject("connections");
    c.put("established", m.established.sum());
    c.put("refused", m.refused.sum());
    c.set("refusedReasons", mapper.valueToTree(Harness.sums(m.refusedReasons)));
    c.put("dropped", m.dropped.sum());
    c.set("dropCloseCodes", mapper.valueToTree(Harness.sums(m.closeCodes)));
    c.put("closedByGenerator", m.closedByClient.sum());
    c.put("reconnects", m.reconnects.sum());
    c.put("peakOpen", m.peakOpen.get());

    r.set("latencyMs", latencies(mapper, m.total));

    ObjectNode v = r.putObject("votes");
    v.put("sent", m.votesSent.sum());
    v.put("changes", m.changesSent.sum());
    v.put("resentAfterReconnect", m.resendsSent.sum());
    v.put("acked", m.votesAcked.sum());
    v.put("duplicateAcks", m.duplicateAcks.sum());
    v.put("withoutAnswer", m.votesLost.sum());
    long[] perSecond = m.acksPerSecond();
    long peak = 0;
    for (long x : perSecond) {
      peak = Math.max(peak, x);
    }
    v.put("peakAcksPerSecond", peak);
    double burstSeconds = 0;
    long burstAcks = 0;
    for (Harness.PollRun run : h.pollRuns()) {
      burstSeconds += run.burstSeconds();
      burstAcks += run.applied() + run.duplicates();
    }
    v.put("meanAcksPerSecondInBursts", burstSeconds > 0 ? round(burstAcks / burstSeconds, 1) : 0);
    ArrayNode series = v.putArray("acksPerSecondSeries");
    for (long x : perSecond) {
      series.add(x);
    }

    ObjectNode acts = r.putObject("actions");
    for (ActionKind k : ActionKind.values()) {
      Measurements.KindCounters kc = m.kinds.get(k);
      ObjectNode kn = acts.putObject(k.wire);
      kn.put("sent", kc.sent.sum());
      kn.put("acked", kc.acked.sum());
      kn.put("duplicateAcks", kc.duplicateAcks.sum());
      kn.put("resentAfterReconnect", kc.resent.sum());
      kn.put("retried", kc.retried.sum());
      kn.put("rejected", kc.rejected.sum());
      kn.put("withoutAnswer", k == ActionKind.VOTE ? m.votesLost.sum() : kc.withoutAnswer.sum());
    }
    long[] allPerSecond = m.actionAcksPerSecond();
    long allPeak = 0;
    long allSum = 0;
    int active = 0;
    for (long x : allPerSecond) {
      allPeak = Math.max(allPeak, x);
      allSum += x;
      active += x > 0 ? 1 : 0;
    }
    acts.put("peakAcksPerSecond", allPeak);
    acts.put("meanAcksPerActiveSecond", active == 0 ? 0 : round(allSum / (double) active, 1));
    ArrayNode allSeries = acts.putArray("acksPerSecondSeries");
    for (long x : allPerSecond) {
      allSeries.add(x);
    }

    ObjectNode e = r.putObject("errors");
    e.set("byCode", mapper.valueToTree(Harness.sums(m.errorsByCode)));
    e.put("unexpected", m.unexpectedErrors());
    e.set("allowed", mapper.valueToTree(List.copyOf(o.allowedErrors)));
    e.set("clientSide", mapper.valueToTree(Harness.sums(m.clientFailures)));

    ObjectNode pushes = r.putObject("pushes");
    pushes.put("framesReceived", m.framesReceived.sum());
    pushes.put("pushesReceived", m.pushesReceived.sum());
    pushes.put("staleDropped", m.stalePushes.sum());

    ArrayNode polls = r.putArray("polls");
    boolean exactlyOnce = true;
    int checked = 0;
    List<String> failures = new ArrayList<>();
    for (Harness.PollRun run : h.pollRuns()) {
      ObjectNode p = polls.addObject();
      p.put("label", run.label());
      p.put("pollId", run.poll().id());
      p.put("stageId", run.poll().stageId());
      p.put("kind", run.poll().kind());
      p.put("voters", run.voters());
      p.put("votesSent", run.sent());
      p.put("applied", run.applied());
      p.put("duplicates", run.duplicates());
      p.put("rejected", run.rejected());
      p.put("withoutAnswer", run.unknown());
      p.put("burstSeconds", round(run.burstSeconds(), 2));
      ObjectNode eo = p.putObject("exactlyOnce");
      if (run.failure() != null) {
        eo.put("passed", false);
        eo.put("failure", run.failure());
        exactlyOnce = false;
        failures.add(run.label() + ": " + run.failure());
      } else if (run.check() != null) {
        checked++;
        PollLedger.Check ch = run.check();
        eo.put("passed", ch.passed());
        ObjectNode exp = eo.putObject("expected");
        ch.expected().counts().forEach((k, range) -> exp.put(k, range.toString()));
        eo.put("expectedVoters", ch.expected().voters().toString());
        eo.set("server", mapper.valueToTree(new java.util.TreeMap<>(ch.server())));
        eo.put("serverVoters", ch.serverVoters());
        eo.set("mismatches", mapper.valueToTree(ch.mismatches()));
        if (!ch.passed()) {
          exactlyOnce = false;
          failures.add(run.label() + ": exactly-once check failed: " + String.join("; ", ch.mismatches()));
        }
      }
      ObjectNode obs = p.putObject("observed");
      obs.put("moderators", run.moderatorsObserving());
      obs.put("voteToModeratorSamples", run.v2mRecorded());
      obs.put("voteToModeratorUnseen", run.v2mUnobserved());
      obs.put("viewers", run.viewersObserving());
      obs.put("voteToViewerSamples", run.v2vRecorded());
      obs.put("voteToViewerUnseen", run.v2vUnobserved());
      if (run.v2mUnobserved() > 0) {
        failures.add(run.label() + ": " + run.v2mUnobserved()
            + " acknowledged votes never showed in a moderator's results push");
      }
      if (run.v2vUnobserved() > 0) {
        failures.add(run.label() + ": " + run.v2vUnobserved()
            + " acknowledged votes never showed in a viewer's results push");
      }
    }
    ArrayNode clouds = r.putArray("wordClouds");
    int cloudsChecked = 0;
    for (AudienceRuns.CloudRun run : new ArrayList<>(h.cloudRuns)) {
      ObjectNode c2 = clouds.addObject();
      c2.put("label", run.label());
      c2.put("cloudId", run.cloudId());
      c2.put("stageId", run.stageId());
      c2.put("contributors", run.contributors());
      c2.put("entriesEach", run.entriesEach());
      c2.put("applied", run.applied());
      c2.put("duplicates", run.duplicates());
      c2.put("rejected", run.rejected());
      c2.put("withoutAnswer", run.unknown());
      c2.put("burstSeconds", round(run.burstSeconds(), 2));
      if (run.completeMs() != null) {
        c2.put("fullyShownToModeratorMs", round(run.completeMs(), 1));
        c2.put("fullyShownAfterLastEntrySentMs", round(run.afterLastMs(), 1));
      }
      ObjectNode eo = c2.putObject("exactlyOnce");
      if (run.failure() != null) {
        eo.put("passed", false);
        eo.put("failure", run.failure());
        exactlyOnce = false;
        failures.add(run.label() + ": " + run.failure());
      } else if (run.check() != null) {
        cloudsChecked++;
        WordLedger.Check ch = run.check();
        eo.put("passed", ch.passed());
        ObjectNode exp = eo.putObject("expected");
        ch.expected().counts().forEach((k, range) -> exp.put(k, range.toString()));
        eo.put("expectedEntries", ch.expected().entries().toString());
        eo.put("expectedContributors", ch.expected().contributors().toString());
        eo.set("server", mapper.valueToTree(new java.util.TreeMap<>(ch.server())));
        eo.put("serverEntries", ch.serverEntries());
        eo.put("serverContributors", ch.serverContributors());
        eo.set("mismatches", mapper.valueToTree(ch.mismatches()));
        if (!ch.passed()) {
          exactlyOnce = false;
          failures.add(run.label() + ": exactly-once check failed: " + String.join("; ", ch.mismatches()));
        }
      }
      ObjectNode obs = c2.putObject("observed");
      obs.put("moderators", run.moderatorsObserving());
      obs.put("wordToModeratorSamples", run.toModeratorRecorded());
      obs.put("wordToModeratorUnseen", run.toModeratorUnseen());
      obs.put("viewers", run.viewersObserving());
      obs.put("wordToViewerSamples", run.toViewerRecorded());
      obs.put("wordToViewerUnseen", run.toViewerUnseen());
      if (run.toModeratorUnseen() > 0) {
        failures.add(run.label() + ": " + run.toModeratorUnseen() + " acknowledged entries never showed in a moderator's words push");
      }
      if (run.toViewerUnseen() > 0) {
        failures.add(run.label() + ": " + run.toViewerUnseen() + " acknowledged entries never showed in a viewer's words push");
      }
      if (run.failure() == null && run.completeMs() == null && run.moderatorsObserving() > 0
          && run.applied() + run.duplicates() > 0) {
        failures.add(run.label() + ": no moderator words push ever showed every acknowledged entry with exact counts");
      }
    }
    ArrayNode aud = r.putArray("postsUpvotesReactions");
    int stagesChecked = 0;
    for (AudienceRuns.StageAudienceCheck ch : new ArrayList<>(h.audienceChecks)) {
      ObjectNode a = aud.addObject();
      a.put("stageId", ch.stageId());
      a.put("passed", ch.passed());
      if (ch.failure() != null) {
        a.put("failure", ch.failure());
        failures.add("stage " + ch.stageId() + ": " + ch.failure());
        exactlyOnce = false;
        continue;
      }
      stagesChecked++;
      if (ch.posts() != null) {
        a.put("expectedPosts", ch.posts().expectedPosts().toString());
        a.put("serverPosts", ch.posts().serverPosts());
        a.put("upvotedQuestionsChecked", ch.posts().upvotesChecked());
        a.set("postMismatches", mapper.valueToTree(ch.posts().mismatches()));
      }
      ObjectNode rex = a.putObject("reactionsExpected");
      ch.reactionsExpected().forEach((k, range) -> rex.put(k, range.toString()));
      a.set("reactionsServer", mapper.valueToTree(ch.reactionsServer()));
      a.set("reactionMismatches", mapper.valueToTree(ch.reactionMismatches()));
      if (!ch.passed()) {
        exactlyOnce = false;
        List<String> all = new ArrayList<>();
        if (ch.posts() != null) {
          all.addAll(ch.posts().mismatches());
        }
        all.addAll(ch.reactionMismatches());
        failures.add("stage " + ch.stageId() + ": posts/upvotes/reactions check failed: "
            + String.join("; ", all.subList(0, Math.min(10, all.size()))));
      }
    }
    ObjectNode unseenNode = r.putObject("unseen");
    for (Map.Entry<String, Long> u : new java.util.TreeMap<>(h.audienceUnseen).entrySet()) {
      unseenNode.put(u.getKey(), u.getValue());
      if (u.getValue() > 0) {
        failures.add(u.getValue() + " acknowledged actions never reached an observer (" + u.getKey() + ")");
      }
    }
    ObjectNode eoSummary = r.putObject("exactlyOnce");
    eoSummary.put("passed", exactlyOnce && checked + cloudsChecked + stagesChecked > 0);
    eoSummary.put("pollsChecked", checked);
    eoSummary.put("wordCloudsChecked", cloudsChecked);
    eoSummary.put("stagesCheckedForPostsUpvotesReactions", stagesChecked);

    List<Harness.MetricsSample> samples = h.samples();
    ObjectNode server = r.putObject("server");
    server.set("cpuPercentOfMachine", stats(mapper, samples.stream().map(Harness.MetricsSample::cpu).toList(), 100, 1));
    server.set("heapUsedMiB", stats(mapper, samples.stream().map(Harness.MetricsSample::heapBytes).toList(),
        1.0 / (1024 * 1024), 1));
    server.set("connections", stats(mapper, samples.stream().map(Harness.MetricsSample::connections).toList(), 1, 0));
    ArrayNode sseries = server.putArray("series");
    for (Harness.MetricsSample s : samples) {
      ArrayNode row = sseries.addArray();
      row.add(round(s.atSeconds(), 1));
      addOrNull(row, s.cpu() == null ? null : round(s.cpu() * 100, 1));
      addOrNull(row, s.heapBytes() == null ? null : round(s.heapBytes() / (1024 * 1024), 1));
      addOrNull(row, s.connections());
      addOrNull(row, s.generatorCpu() == null ? null : round(s.generatorCpu() * 100, 1));
      addOrNull(row, s.generatorLagMs());
    }
    server.put("seriesColumns", "seconds, cpu %, heap MiB, plenum_connections, generator cpu %, generator max event-loop lag ms");
    ObjectNode gen = r.putObject("generator");
    gen.set("cpuPercentOfMachine",
        stats(mapper, samples.stream().map(Harness.MetricsSample::generatorCpu).toList(), 100, 1));
    ObjectNode lag = latency(mapper, m.generatorLag);
    gen.set("eventLoopLagMs", lag);
    if (lag.path("p99").asDouble() > 50) {
      gen.put("warning", "the generator's event loops were late by up to " + lag.path("max").asDouble()
          + " ms (p99 " + lag.path("p99").asDouble() + " ms): latencies include that much generator delay");
    }

    ArrayNode d = r.putArray("protocolDiscrepancies");
    for (Measurements.Discrepancy x : m.discrepancies()) {
      ObjectNode n = d.addObject();
      n.put("what", x.what);
      n.put("count", x.count.sum());
      if (x.example != null) {
        n.put("example", x.example);
      }
    }

    List<Measurements.Phase> phases = m.phases();
    if (!phases.isEmpty()) {
      ArrayNode ph = r.putArray("phases");
      for (Measurements.Phase p : phases) {
        ObjectNode n = ph.addObject();
        n.put("name", p.name);
        n.set("notes", mapper.valueToTree(Map.copyOf(p.notes)));
        n.put("connectFailures", p.connectFailures.sum());
        n.put("votesAcked", p.votesAcked.sum());
        n.put("errors", p.errors.sum());
        n.set("latencyMs", latencies(mapper, p));
      }
    }

    synchronized (h.extraSections) {
      h.extraSections.forEach(r::set);
    }

    ArrayNode obsNode = r.putArray("observations");
    for (Measurements.Discrepancy x : m.observations()) {
      ObjectNode n = obsNode.addObject();
      n.put("what", x.what);
      n.put("count", x.count.sum());
      if (x.example != null) {
        n.put("example", x.example);
      }
    }

    // ---- verdict
    if (setupFailure != null) {
      failures.add(0, "setup or scenario failed: " + setupFailure);
    }
    // an audience part that only keeps viewers connected (--polling-parts) has nothing to acknowledge
    boolean presenceOnly = "audience".equals(o.scenario) && !o.polls();
    boolean pollScenario = !List.of("word-cloud", "sustained").contains(o.scenario) && !presenceOnly;
    if (r.has("audience")) {
      r.path("audience").path("failures").forEach(f -> failures.add(f.asText()));
    }
    if (pollScenario && h.pollRuns().isEmpty() && setupFailure == null) {
      failures.add("no poll was run");
    }
    if (pollScenario && m.votesAcked.sum() == 0) {
      failures.add("no vote was acknowledged");
    }
    long allAcked = m.kinds.values().stream().mapToLong(k -> k.acked.sum()).sum();
    if (allAcked == 0 && !presenceOnly) {
      failures.add("no action was acknowledged");
    }
    if (m.unexpectedErrors() > 0) {
      failures.add(m.unexpectedErrors() + " unexpected server errors " + Harness.sums(m.errorsByCode));
    }
    if (!capacity) {
      if (m.refused.sum() > 0) {
        failures.add(m.refused.sum() + " connections refused " + Harness.sums(m.refusedReasons));
      }
      if (m.dropped.sum() > 0) {
        failures.add(m.dropped.sum() + " connections dropped by the server " + Harness.sums(m.closeCodes));
      }
      if (m.votesLost.sum() > 0) {
        failures.add(m.votesLost.sum() + " votes got no answer");
      }
      for (ActionKind k : ActionKind.values()) {
        long lost = m.kinds.get(k).withoutAnswer.sum();
        if (k != ActionKind.VOTE && lost > 0) {
          failures.add(lost + " " + k.wire + " actions got no answer");
        }
      }
    }
    if (d.size() > 0) {
      failures.add(d.size() + " kinds of protocol discrepancy (see protocolDiscrepancies)");
    }
    r.set("failures", mapper.valueToTree(failures));
    r.put("result", failures.isEmpty() ? "PASS" : "FAIL");
    return r;
  }

  private static void addOrNull(ArrayNode row, Double v) {
    if (v == null) {
      row.addNull();
    } else {
      row.add(v);
    }
  }

  /** The human report, rendered from the JSON report. */
  public static String render(JsonNode r) {
    StringBuilder b = new StringBuilder();
    JsonNode o = r.path("options");
    b.append(String.format(Locale.ROOT, "Plenum load report: scenario %s, %d viewers, %s, %.1f s  =>  %s%n",
        r.path("scenario").asText(), o.path("viewers").asInt(), o.path("url").asText(),
        r.path("elapsedSeconds").asDouble(), r.path("result").asText()));
    b.append(String.format(Locale.ROOT, "started %s on %d cores, Java %s%n", r.path("startedAt").asText(),
        r.path("machine").path("cores").asInt(), r.path("machine").path("java").asText()));
    b.append('\n');
    b.append(latencyTable(r.path("latencyMs")));
    b.append('\n');
    JsonNode c = r.path("connections");
    b.append(String.format(Locale.ROOT,
        "connections  established %d, refused %d, dropped %d, reconnects %d, peak open %d%n",
        c.path("established").asLong(), c.path("refused").asLong(), c.path("dropped").asLong(),
        c.path("reconnects").asLong(), c.path("peakOpen").asLong()));
    if (c.path("refused").asLong() > 0) {
      b.append("             refused: ").append(c.path("refusedReasons")).append('\n');
    }
    if (c.path("dropped").asLong() > 0) {
      b.append("             drop close codes: ").append(c.path("dropCloseCodes")).append('\n');
    }
    JsonNode v = r.path("votes");
    b.append(String.format(Locale.ROOT,
        "votes        sent %d (changes %d, resent %d), acked %d (duplicate %d), no answer %d%n",
        v.path("sent").asLong(), v.path("changes").asLong(), v.path("resentAfterReconnect").asLong(),
        v.path("acked").asLong(), v.path("duplicateAcks").asLong(), v.path("withoutAnswer").asLong()));
    b.append(String.format(Locale.ROOT, "throughput   peak %d acks/s, mean %.1f acks/s during bursts%n",
        v.path("peakAcksPerSecond").asLong(), v.path("meanAcksPerSecondInBursts").asDouble()));
    JsonNode acts = r.path("actions");
    for (String k : List.of("word", "post", "upvote", "react")) {
      JsonNode a = acts.path(k);
      if (a.path("sent").asLong() == 0) {
        continue;
      }
      b.append(String.format(Locale.ROOT,
          "%-12s sent %d, acked %d (duplicate %d, resent %d), retried %d, rejected %d, no answer %d%n",
          k + "s", a.path("sent").asLong(), a.path("acked").asLong(), a.path("duplicateAcks").asLong(),
          a.path("resentAfterReconnect").asLong(), a.path("retried").asLong(), a.path("rejected").asLong(),
          a.path("withoutAnswer").asLong()));
    }
    if (acts.has("peakAcksPerSecond")) {
      b.append(String.format(Locale.ROOT, "all actions  peak %d acks/s, mean %.1f acks/s over active seconds%n",
          acts.path("peakAcksPerSecond").asLong(), acts.path("meanAcksPerActiveSecond").asDouble()));
    }
    JsonNode e = r.path("errors");
    b.append(String.format(Locale.ROOT, "errors       %s, unexpected %d, client side %s%n",
        e.path("byCode").isEmpty() ? "none" : e.path("byCode").toString(), e.path("unexpected").asLong(),
        e.path("clientSide").isEmpty() ? "none" : e.path("clientSide").toString()));
    JsonNode s = r.path("server");
    b.append(String.format(Locale.ROOT, "server       cpu %s %% of machine, heap %s MiB, plenum_connections max %s%n",
        meanMax(s.path("cpuPercentOfMachine")), meanMax(s.path("heapUsedMiB")),
        s.path("connections").path("max").asText("n/a")));
    JsonNode lag = r.path("generator").path("eventLoopLagMs");
    b.append(String.format(Locale.ROOT, "generator    cpu %s %% of machine, event-loop lag p99 %s / max %s ms%n",
        meanMax(r.path("generator").path("cpuPercentOfMachine")), lag.path("p99").asText("n/a"),
        lag.path("max").asText("n/a")));
    if (r.path("generator").has("warning")) {
      b.append("             WARNING: ").append(r.path("generator").path("warning").asText()).append('\n');
    }
    b.append('\n');
    for (JsonNode p : r.path("polls")) {
      JsonNode eo = p.path("exactlyOnce");
      b.append(String.format(Locale.ROOT, "poll %-22s %-8s voters %5d, applied %5d, dup %3d, rejected %3d, "
              + "no answer %3d, burst %.1f s, exactly-once %s%n",
          p.path("label").asText(), p.path("kind").asText(), p.path("voters").asInt(), p.path("applied").asLong(),
          p.path("duplicates").asLong(), p.path("rejected").asLong(), p.path("withoutAnswer").asLong(),
          p.path("burstSeconds").asDouble(), eo.path("passed").asBoolean() ? "OK" : "FAILED"));
      if (!eo.path("passed").asBoolean()) {
        if (eo.has("failure")) {
          b.append("     ").append(eo.path("failure").asText()).append('\n');
        }
        b.append("     expected ").append(eo.path("expected")).append(" voters ").append(eo.path("expectedVoters").asText())
            .append("\n     server   ").append(eo.path("server")).append(" voters ").append(eo.path("serverVoters").asText())
            .append('\n');
      }
    }
    for (JsonNode wc : r.path("wordClouds")) {
      JsonNode eo = wc.path("exactlyOnce");
      b.append(String.format(Locale.ROOT, "cloud %-21s contributors %5d x %d, applied %5d, dup %3d, rejected %3d, "
              + "no answer %3d, burst %.1f s, fully shown to moderator %s, exactly-once %s%n",
          wc.path("label").asText(), wc.path("contributors").asInt(), wc.path("entriesEach").asInt(),
          wc.path("applied").asLong(), wc.path("duplicates").asLong(), wc.path("rejected").asLong(),
          wc.path("withoutAnswer").asLong(), wc.path("burstSeconds").asDouble(),
          wc.has("fullyShownToModeratorMs") ? wc.path("fullyShownToModeratorMs").asText() + " ms (" 
              + wc.path("fullyShownAfterLastEntrySentMs").asText() + " ms after the last entry)" : "never",
          eo.path("passed").asBoolean() ? "OK" : "FAILED"));
      if (!eo.path("passed").asBoolean()) {
        if (eo.has("failure")) {
          b.append("     ").append(eo.path("failure").asText()).append('\n');
        }
        b.append("     ").append(eo.path("mismatches")).append('\n');
      }
    }
    for (JsonNode a : r.path("postsUpvotesReactions")) {
      b.append(String.format(Locale.ROOT, "stage %s  posts server %s / acknowledged %s, upvoted questions checked %d, "
              + "reactions %s, exactly-once %s%n",
          a.path("stageId").asText(), a.path("serverPosts").asText("?"), a.path("expectedPosts").asText("?"),
          a.path("upvotedQuestionsChecked").asLong(), a.path("reactionsServer"),
          a.path("passed").asBoolean() ? "OK" : "FAILED"));
      if (!a.path("passed").asBoolean()) {
        b.append("     ").append(a.path("postMismatches")).append(' ').append(a.path("reactionMismatches"))
            .append(a.has("failure") ? " " + a.path("failure").asText() : "").append('\n');
      }
    }
    if (r.has("audience")) {
      b.append('\n').append(Audience.render(r.path("audience")));
    }
    for (JsonNode p : r.path("phases")) {
      b.append('\n').append(p.path("name").asText()).append(": ").append(p.path("notes").path("verdict").asText("")).append('\n');
      b.append(latencyTable(p.path("latencyMs")));
    }
    if (!r.path("notes").isEmpty()) {
      b.append('\n');
      r.path("notes").fields().forEachRemaining(n -> b.append("note: ").append(n.getKey()).append(": ")
          .append(n.getValue().asText()).append('\n'));
    }
    if (!r.path("observations").isEmpty()) {
      b.append("\nOBSERVATIONS (do not fail the run):\n");
      for (JsonNode d : r.path("observations")) {
        b.append(String.format(Locale.ROOT, "  %6d x %s%n", d.path("count").asLong(), d.path("what").asText()));
        if (d.has("example")) {
          b.append("           e.g. ").append(d.path("example").asText()).append('\n');
        }
      }
    }
    if (!r.path("protocolDiscrepancies").isEmpty()) {
      b.append("\nPROTOCOL DISCREPANCIES (server vs docs/protocol.md):\n");
      for (JsonNode d : r.path("protocolDiscrepancies")) {
        b.append(String.format(Locale.ROOT, "  %6d x %s%n", d.path("count").asLong(), d.path("what").asText()));
        if (d.has("example")) {
          b.append("           e.g. ").append(d.path("example").asText()).append('\n');
        }
      }
    }
    if (!r.path("failures").isEmpty()) {
      b.append("\nFAILURES:\n");
      for (JsonNode f : r.path("failures")) {
        b.append("  - ").append(f.asText()).append('\n');
      }
    }
    b.append("\nresult: ").append(r.path("result").asText()).append('\n');
    return b.toString();
  }

  static String latencyTable(JsonNode lat) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-18s %8s %9s %9s %9s %9s   (ms)%n", "latency", "count", "p50", "p95", "p99",
        "max"));
    List<String> names = new ArrayList<>(List.of(LATENCIES));
    for (String more : MORE_LATENCIES) {
      if (lat.path(more).path("count").asLong() > 0) {
        names.add(more);
      }
    }
    for (String name : names) {
      JsonNode l = lat.path(name);
      if (l.path("count").asLong() == 0) {
        b.append(String.format(Locale.ROOT, "%-18s %8d %9s %9s %9s %9s%n", name, 0, "-", "-", "-", "-"));
      } else {
        b.append(String.format(Locale.ROOT, "%-18s %8d %9.1f %9.1f %9.1f %9.1f%n", name, l.path("count").asLong(),
            l.path("p50").asDouble(), l.path("p95").asDouble(), l.path("p99").asDouble(), l.path("max").asDouble()));
      }
    }
    return b.toString();
  }

  private static String meanMax(JsonNode s) {
    if (s.path("samples").asInt() == 0) {
      return "n/a";
    }
    return "mean " + s.path("mean").asText() + " / max " + s.path("max").asText();
  }
}
