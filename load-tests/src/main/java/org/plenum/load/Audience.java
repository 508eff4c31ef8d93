package org.plenum.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.plenum.load.Harness.StageInfo;

/**
 * The {@code audience} scenario: a mass audience over several nodes, possibly from several
 * generator processes ({@code --part K/N}) that share one event and its stages through
 * {@code --run-file}.
 *
 * <p>Every process: connects {@code --moderators} moderators per node and stage, then its share of
 * {@code --viewers} at {@code --connect-rate}, round-robin over the nodes by run-wide viewer index;
 * everyone stays connected for {@code --hold-seconds}; then, at moments all processes compute from
 * the run file's start time, it opens its own polls one after another on the shared stages (its own
 * so that it can pair its votes with its moderators' pushes and check them exactly once) and
 * {@code --vote-fraction} of its viewers on that stage vote within {@code --spread-seconds}. All stay
 * connected until every polling process has written its marker next to the run file (and at least
 * until the planned end), so every process's polls see the whole audience.
 *
 * <p>Part 1 also reads every node (see {@link NodeProbe}) before anything connects ("idle"), once
 * everyone is in ("hold") and at the end, for memory per viewer and server CPU per node.
 */
final class Audience {

  private Audience() {
  }

  /** The moments of a run, in seconds after the run file's start, the same for every part. */
  record Plan(double rampSeconds, double pollsAt, double slotSeconds, int polls, double endAt) {
  }

  /** When everything happens, from the options alone (so every part computes the same). */
  static Plan plan(Options o) {
    double totalRate = o.connectRate * o.parts;
    double ramp = Math.ceil(o.viewers / totalRate * 1.1) + 2;
    double pollsAt = ramp + o.holdSeconds;
    // votes spread, the wait for the last pushes, then close and read back (a late poll starts late)
    double slot = o.spreadSeconds + o.settleSeconds + 4;
    int polls = o.pollsPerStage * o.stages;
    return new Plan(ramp, pollsAt, slot, polls, pollsAt + polls * slot);
  }

  /**
   * The --duration a run needs (a hard cap; the run ends when its work is done): the plan, plus
   * as long again as the joins were planned to take, time for part 1's readings running late (full
   * GCs of big heaps), to close and to report.
   */
  static int neededSeconds(Options o) {
    Plan p = plan(o);
    // the joins may take twice as long as planned: the parts then wait for each other (markers)
    return (int) Math.ceil(p.endAt() + p.rampSeconds() + 30);
  }

  /** The node a run-wide viewer index connects to, and the stage it joins. */
  static int nodeOf(int globalIndex, int nodes) {
    return globalIndex % nodes;
  }

  static int stageOf(int globalIndex, int nodes, int stages) {
    return (globalIndex / nodes) % stages;
  }

  /** How many of the run's viewers are on (node, stage) - every part computes the same. */
  static int viewersOn(Options o, int node, int stage) {
    int n = 0;
    int nodes = o.urls.size();
    for (int g = 0; g < o.viewers; g++) {
      if (nodeOf(g, nodes) == node && stageOf(g, nodes, o.stages) == stage) {
        n++;
      }
    }
    return n;
  }

  static void run(Harness h) throws Exception {
    Options o = h.options;
    ObjectMapper mapper = h.mapper;
    int nodes = o.urls.size();
    boolean leader = o.part == 1;
    long genCpu0 = processCpuNanos();
    double genWall0 = h.elapsedSeconds();

    List<NodeProbe> probes = new ArrayList<>();
    List<List<NodeProbe.Reading>> readings = new ArrayList<>();
    if (leader) {
      for (int i = 0; i < nodes; i++) {
        probes.add(new NodeProbe(h.vertx, i, o.urls.get(i), o.serverPids.isEmpty() ? null : o.serverPids.get(i), mapper));
        readings.add(Collections.synchronizedList(new ArrayList<>()));
      }
      readAll(h, probes, readings, "idle", o.gcAtReadings);
    }

    // ---- the shared event and stages
    List<StageInfo> stages;
    long startEpochMs;
    if (leader) {
      String eventId = h.createEvent(Scenarios.eventName(h));
      stages = h.createStages(eventId, o.stages);
      startEpochMs = System.currentTimeMillis();
      if (o.runFile != null) {
        writeRunFile(mapper, Path.of(o.runFile), eventId, stages, startEpochMs, o);
      }
    } else {
      JsonNode run = awaitRunFile(h, Path.of(o.runFile));
      stages = new ArrayList<>();
      for (JsonNode s : run.path("stages")) {
        stages.add(new StageInfo(s.path("id").asText(), s.path("code").asText(), s.path("name").asText()));
      }
      startEpochMs = run.path("startEpochMs").asLong();
      if (run.path("viewers").asInt() != o.viewers || run.path("parts").asInt() != o.parts
          || run.path("nodes").asInt() != nodes) {
        throw new IllegalStateException("the run file was written for another run (viewers/parts/nodes differ)");
      }
    }
    Plan plan = plan(o);
    long startNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - startEpochMs);
    h.note("audiencePlan", String.format(Locale.ROOT,
        "%d viewers in all over %d nodes from %d processes at %.0f joins/s each; polls from %.0f s, %d polls "
            + "of %.0f s each, end at %.0f s after the run's start (needs --duration >= %d)",
        o.viewers, nodes, o.parts, o.connectRate, plan.pollsAt(), plan.polls(), plan.slotSeconds(), plan.endAt(),
        neededSeconds(o)));

    // ---- moderators: on every node, on every stage
    List<Session> mods = new ArrayList<>();
    List<List<String>> modJoins = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      for (StageInfo st : stages) {
        for (int i = 0; i < o.moderators; i++) {
          mods.add(h.newSession(Session.Role.MODERATOR, true, n));
          modJoins.add(List.of(st.id()));
        }
      }
    }
    List<Session> modsJoined = h.connect(mods, modJoins, Math.max(10, o.connectRate));

    // ---- viewers: this part's share, round-robin over the nodes by run-wide index
    int mine = o.partViewers();
    List<Session> viewers = new ArrayList<>(mine);
    List<List<String>> joins = new ArrayList<>(mine);
    List<List<Session>> byStage = new ArrayList<>();
    for (int s = 0; s < stages.size(); s++) {
      byStage.add(new ArrayList<>());
    }
    for (int j = 0; j < mine; j++) {
      int g = o.globalViewerIndex(j);
      int stage = stageOf(g, nodes, stages.size());
      Session v = h.newSession(Session.Role.VIEWER, j < o.observers, nodeOf(g, nodes));
      viewers.add(v);
      joins.add(List.of(stages.get(stage).id()));
      byStage.get(stage).add(v);
    }
    long joinStart = System.nanoTime();
    List<Session> joined = h.connect(viewers, joins, o.connectRate);
    double joinSeconds = (System.nanoTime() - joinStart) / 1e9;
    h.note("audienceJoins", String.format(Locale.ROOT, "%d of %d viewers joined in %.1f s (%.0f joins/s)",
        joined.size(), mine, joinSeconds, joined.size() / Math.max(0.001, joinSeconds)));

    // ---- hold: everyone in; part 1 reads the nodes
    long pollsAtNanos = startNanos + (long) (plan.pollsAt() * 1e9);
    if (System.nanoTime() > pollsAtNanos) {
      h.note("audienceLate", String.format(Locale.ROOT, "this part's joins ended %.1f s after the planned start "
          + "of the polls (lower --connect-rate or raise --hold-seconds)", (System.nanoTime() - pollsAtNanos) / 1e9));
    }
    // halfway through the hold: time for part 1 to wait for the last joins and for the full GCs
    long holdReadAt = pollsAtNanos - (long) (o.holdSeconds / 2.0 * 1e9);
    h.sleepUntil(holdReadAt);
    if (leader) {
      awaitWholeAudience(h, probes, Math.max(pollsAtNanos, System.nanoTime() + TimeUnit.SECONDS.toNanos(60)));
      readAll(h, probes, readings, "hold", o.gcAtReadings);
    }
    long[] presenceAtHold = presenceNow(modsJoined, nodes);
    long generatorHeapAtHold = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    h.sleepUntil(pollsAtNanos);

    // ---- polls: this part's own, one after another, on the stages in turn
    Random r = new Random(o.seed * 31 + o.part);
    int polls = o.polls() ? plan.polls() : 0;
    for (int p = 0; p < polls && h.timeLeft(); p++) {
      h.sleepUntil(pollsAtNanos + (long) (p * plan.slotSeconds() * 1e9));
      if (!h.timeLeft()) {
        break;
      }
      int si = p % stages.size();
      StageInfo stage = stages.get(si);
      List<Session> present = new ArrayList<>(byStage.get(si).stream().filter(Session::hasJoined).toList());
      Collections.shuffle(present, r);
      int voters = (int) Math.round(present.size() * o.voteFraction);
      if (voters == 0) {
        h.note("skipped:audience poll " + (p + 1), "no voter (raise --vote-fraction)");
        continue;
      }
      List<Session> stageMods = modsJoined.stream().filter(m -> m.isOn(stage.id())).toList();
      String label = "part " + o.part + " poll " + (p + 1);
      PollInfo poll = h.createPoll(stage, o.pollKind, "Audience " + label, o.resultsVisible);
      h.runPoll(label, poll, present.subList(0, voters), stageMods, Scenarios.observersOf(present), o.spreadSeconds);
    }

    // ---- stay until every polling part is done (and at least the planned end), so that every
    // part's polls see the whole audience even when the joins took longer than planned
    if (o.runFile != null && o.parts > 1) {
      Path runFile = Path.of(o.runFile);
      if (o.polls()) {
        Files.writeString(marker(runFile, o.part), Long.toString(System.currentTimeMillis()));
      }
      awaitPollingParts(h, runFile);
    }
    h.sleepUntil(startNanos + (long) (plan.endAt() * 1e9));
    if (leader) {
      readAll(h, probes, readings, "end", false);
      for (NodeProbe np : probes) {
        np.close();
      }
    }
    long genCpu1 = processCpuNanos();
    double genWall1 = h.elapsedSeconds();

    h.extraSections.put("audience", section(h, stages, modsJoined, viewers, joined, joinSeconds, presenceAtHold,
        readings, probes, (genCpu1 - genCpu0) / 1e9, genWall1 - genWall0, generatorHeapAtHold));
  }

  /**
   * Part 1 reads the nodes once the servers count the whole audience (other parts may still be
   * joining on a busy machine), waiting at most until {@code untilNanos}.
   */
  private static void awaitWholeAudience(Harness h, List<NodeProbe> probes, long untilNanos) {
    long end = untilNanos;
    while (System.nanoTime() < end && h.timeLeft()) {
      double sum = 0;
      for (NodeProbe p : probes) {
        Double v = p.read("count", h.elapsedSeconds()).viewers();
        sum += v == null ? 0 : v;
      }
      if (sum >= h.options.viewers) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
    }
    h.note("audienceHold", "the servers did not count all " + h.options.viewers + " viewers at the hold reading");
  }

  private static void readAll(Harness h, List<NodeProbe> probes, List<List<NodeProbe.Reading>> readings, String label,
                              boolean fullGc) {
    for (NodeProbe p : probes) {
      boolean gc = fullGc && p.forceFullGc();
      if (fullGc && !gc) {
        h.note("fullGc:" + p.index, "jcmd " + p.pid + " GC.run failed before the " + label + " reading");
      }
      readings.get(p.index).add(p.read(label, h.elapsedSeconds(), gc));
    }
  }

  /** The highest viewers figure each node's moderators have been told so far (one per node, -1 if none). */
  private static long[] presenceNow(List<Session> mods, int nodes) {
    long[] out = new long[nodes];
    java.util.Arrays.fill(out, -1);
    for (Session m : mods) {
      List<long[]> seen = m.presenceSeen();
      if (!seen.isEmpty()) {
        out[m.node] = Math.max(out[m.node], seen.get(seen.size() - 1)[1]);
      }
    }
    return out;
  }

  private static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return Math.max(0, sun.getProcessCpuTime());
    }
    return 0;
  }

  static void writeRunFile(ObjectMapper mapper, Path file, String eventId, List<StageInfo> stages, long startEpochMs,
                           Options o) throws IOException {
    ObjectNode run = mapper.createObjectNode();
    run.put("eventId", eventId);
    ArrayNode a = run.putArray("stages");
    for (StageInfo s : stages) {
      a.addObject().put("id", s.id()).put("code", s.code()).put("name", s.name());
    }
    run.put("startEpochMs", startEpochMs);
    for (int k = 1; k <= o.parts; k++) {
      Files.deleteIfExists(marker(file, k)); // left from an earlier run with the same file
    }
    run.put("viewers", o.viewers);
    run.put("parts", o.parts);
    run.put("nodes", o.urls.size());
    Path abs = file.toAbsolutePath();
    if (abs.getParent() != null) {
      Files.createDirectories(abs.getParent());
    }
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    Files.writeString(tmp, mapper.writeValueAsString(run));
    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Waits (at most 60 s) for part 1 to write the run file of this run (one left from an earlier run is older). */
  private static JsonNode awaitRunFile(Harness h, Path file) throws IOException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long notBefore = System.currentTimeMillis() - TimeUnit.SECONDS.toMillis(120);
    while (System.nanoTime() < end && h.timeLeft()) {
      if (Files.exists(file)) {
        JsonNode run = h.mapper.readTree(Files.readString(file));
        if (run.path("startEpochMs").asLong() >= notBefore) {
          return run;
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    throw new IllegalStateException("no run file " + file + " from part 1 within 60 s");
  }

  /** The file a polling part writes once its polls are done. */
  static Path marker(Path runFile, int part) {
    return runFile.toAbsolutePath().resolveSibling(runFile.getFileName() + ".polls-done-" + part);
  }

  /** Waits, while the load phase lasts, until every polling part has written its marker. */
  private static void awaitPollingParts(Harness h, Path runFile) {
    Options o = h.options;
    while (h.timeLeft()) {
      boolean all = true;
      for (int k = 1; k <= o.pollingParts && all; k++) {
        all = Files.exists(marker(runFile, k));
      }
      if (all) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    h.note("audienceEnd", "not every polling part had finished its polls by the load deadline");
  }

  // ---------------------------------------------------------------- the report section

  private static ObjectNode section(Harness h, List<StageInfo> stages, List<Session> mods, List<Session> viewers,
                                    List<Session> joined, double joinSeconds, long[] presenceAtHold,
                                    List<List<NodeProbe.Reading>> readings, List<NodeProbe> probes,
                                    double generatorCpuSeconds, double generatorWallSeconds, long generatorHeapAtHold) {
    Options o = h.options;
    ObjectMapper mapper = h.mapper;
    int nodes = o.urls.size();
    ObjectNode a = mapper.createObjectNode();
    List<String> failures = new ArrayList<>();
    a.put("part", o.part);
    a.put("parts", o.parts);
    a.put("viewersInAllParts", o.viewers);
    a.put("viewersThisPart", viewers.size());
    a.put("viewersJoinedThisPart", joined.size());
    a.put("joinSeconds", Report.round(joinSeconds, 2));
    a.put("joinsPerSecond", Report.round(joined.size() / Math.max(0.001, joinSeconds), 1));
    ArrayNode st = a.putArray("stages");
    stages.forEach(s -> st.add(s.id()));

    ObjectNode gen = a.putObject("generator");
    gen.put("cpuSeconds", Report.round(generatorCpuSeconds, 2));
    gen.put("wallSeconds", Report.round(generatorWallSeconds, 1));
    gen.put("cpuCoresMean", Report.round(generatorCpuSeconds / Math.max(0.001, generatorWallSeconds), 3));
    gen.put("sourceBase", o.sourceBase);
    gen.put("heapUsedAtHoldMiB", Report.round(generatorHeapAtHold / 1048576.0, 1));
    gen.put("opensPolls", o.polls());

    // per node: what this part put there and what its moderators saw
    ArrayNode ns = a.putArray("nodes");
    for (int n = 0; n < nodes; n++) {
      final int node = n;
      ObjectNode x = ns.addObject();
      x.put("node", n);
      x.put("url", o.urls.get(n).toString());
      x.put("viewersThisPart", viewers.stream().filter(v -> v.node == node).count());
      x.put("viewersJoinedThisPart", joined.stream().filter(v -> v.node == node).count());
      List<Session> here = mods.stream().filter(m -> m.node == node).toList();
      x.put("moderatorsThisPart", here.size());
      ArrayNode ps = x.putArray("presenceByStage");
      for (int s = 0; s < stages.size(); s++) {
        String stageId = stages.get(s).id();
        int expected = 0;
        for (int k = 0; k < nodes; k++) {
          expected += viewersOn(o, k, s);
        }
        long max = -1;
        Double reachedAt = null;
        for (Session m : here) {
          if (!m.isOn(stageId)) {
            continue;
          }
          for (long[] seen : m.presenceSeen()) {
            max = Math.max(max, seen[1]);
            if (seen[1] >= expected) {
              double t = (seen[0] - h.startNanos) / 1e9;
              reachedAt = reachedAt == null ? t : Math.min(reachedAt, t);
              break;
            }
          }
        }
        ObjectNode p = ps.addObject();
        p.put("stageId", stageId);
        p.put("viewersExpectedInAllParts", expected);
        p.put("maxViewersSeenByModerators", max);
        if (reachedAt != null) {
          p.put("reachedExpectedAtSeconds", Report.round(reachedAt, 1));
        }
      }
      x.put("presenceAtHold", presenceAtHold[n]);
      ConcurrentHistogram hist = h.voteToModeratorByNode.get(n);
      if (hist != null) {
        x.set("voteToModeratorMs", Report.latency(mapper, hist));
        x.put("voteToModeratorHistogram", encode(hist));
      } else if (nodes == 1) {
        x.set("voteToModeratorMs", Report.latency(mapper, h.m.total.voteToModerator));
        x.put("voteToModeratorHistogram", encode(h.m.total.voteToModerator));
      }
    }
    if (o.parts == 1) {
      // one process knows the whole audience: its moderators must have seen all of it
      for (JsonNode x : ns) {
        for (JsonNode p : x.path("presenceByStage")) {
          long want = Math.min(p.path("viewersExpectedInAllParts").asLong(), joined.size());
          if (p.path("maxViewersSeenByModerators").asLong() < want) {
            failures.add("node " + x.path("node").asInt() + ": moderators saw at most "
                + p.path("maxViewersSeenByModerators").asLong() + " viewers present on stage " + p.path("stageId").asText()
                + ", " + want + " had joined");
          }
        }
      }
    }

    ObjectNode hs = a.putObject("histograms");
    hs.put("join", encode(h.m.total.join));
    hs.put("ack", encode(h.m.total.ack));
    hs.put("voteToModerator", encode(h.m.total.voteToModerator));

    if (!readings.isEmpty()) {
      a.set("servers", servers(mapper, readings, probes));
    }
    a.set("failures", mapper.valueToTree(failures));
    return a;
  }

  /** Per node: the readings, and memory per viewer and CPU from them (part 1 only). */
  static ArrayNode servers(ObjectMapper mapper, List<List<NodeProbe.Reading>> readings, List<NodeProbe> probes) {
    ArrayNode out = mapper.createArrayNode();
    for (NodeProbe p : probes) {
      List<NodeProbe.Reading> rs = readings.get(p.index);
      ObjectNode x = out.addObject();
      x.put("node", p.index);
      x.put("url", p.url.toString());
      if (p.pid != null) {
        x.put("pid", p.pid);
      }
      ArrayNode ra = x.putArray("readings");
      rs.forEach(r -> ra.add(NodeProbe.json(mapper, r)));
      NodeProbe.Reading idle = find(rs, "idle");
      NodeProbe.Reading hold = find(rs, "hold");
      NodeProbe.Reading end = find(rs, "end");
      x.set("derived", derive(mapper, idle, hold, end));
    }
    return out;
  }

  /** Memory per viewer (hold minus idle, over the viewers connected at hold) and CPU seconds per phase. */
  static ObjectNode derive(ObjectMapper mapper, NodeProbe.Reading idle, NodeProbe.Reading hold, NodeProbe.Reading end) {
    ObjectNode d = mapper.createObjectNode();
    if (hold != null && hold.viewers() != null && hold.viewers() > 0) {
      double v = hold.viewers();
      d.put("viewersAtHold", Math.round(v));
      if (idle != null) {
        perViewer(d, "rssKiBPerViewer", idle.rssBytes() == null ? null : idle.rssBytes().doubleValue(),
            hold.rssBytes() == null ? null : hold.rssBytes().doubleValue(), v);
        perViewer(d, "heapUsedKiBPerViewer", idle.heapUsedBytes(), hold.heapUsedBytes(), v);
        if (idle.afterFullGc() && hold.afterFullGc()) {
          // both read right after a full collection: the heap is the live data, the best figure
          perViewer(d, "heapAfterFullGcKiBPerViewer", idle.heapUsedBytes(), hold.heapUsedBytes(), v);
        }
        // live data is the old generation after the last collection: unchanged means none ran in between
        if (idle.liveDataBytes() != null && !idle.liveDataBytes().equals(hold.liveDataBytes())) {
          perViewer(d, "liveDataKiBPerViewer", idle.liveDataBytes(), hold.liveDataBytes(), v);
        }
      }
    }
    if (idle != null && hold != null) {
      cpu(d, "cpuSecondsIdleToHold", idle, hold);
    }
    if (hold != null && end != null) {
      cpu(d, "cpuSecondsHoldToEnd", hold, end);
    }
    if (idle != null && end != null) {
      cpu(d, "cpuSecondsIdleToEnd", idle, end);
      if (end.atSeconds() > idle.atSeconds() && idle.cpuSeconds() != null && end.cpuSeconds() != null) {
        d.put("cpuCoresMean", Report.round((end.cpuSeconds() - idle.cpuSeconds()) / (end.atSeconds() - idle.atSeconds()), 3));
      }
    }
    return d;
  }

  private static void perViewer(ObjectNode d, String name, Double before, Double after, double viewers) {
    if (before != null && after != null) {
      d.put(name, Report.round((after - before) / 1024 / viewers, 2));
    }
  }

  private static void cpu(ObjectNode d, String name, NodeProbe.Reading a, NodeProbe.Reading b) {
    if (a.cpuSeconds() != null && b.cpuSeconds() != null) {
      d.put(name, Report.round(b.cpuSeconds() - a.cpuSeconds(), 2));
    }
  }

  private static NodeProbe.Reading find(List<NodeProbe.Reading> rs, String label) {
    for (NodeProbe.Reading r : rs) {
      if (r.label().equals(label)) {
        return r;
      }
    }
    return null;
  }

  /** A histogram as base64 of HdrHistogram's compressed encoding, so separate reports can be merged exactly. */
  static String encode(AbstractHistogram live) {
    AbstractHistogram h = live instanceof ConcurrentHistogram c ? c.copy() : live;
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
  }

  static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (java.util.zip.DataFormatException e) {
      throw new IllegalArgumentException("not an encoded histogram", e);
    }
  }

  // ---------------------------------------------------------------- text

  static String render(JsonNode a) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "audience     part %d/%d: %d of %d viewers joined in %.1f s (%.0f joins/s); "
            + "%d viewers in all parts%n", a.path("part").asInt(), a.path("parts").asInt(),
        a.path("viewersJoinedThisPart").asLong(), a.path("viewersThisPart").asLong(), a.path("joinSeconds").asDouble(),
        a.path("joinsPerSecond").asDouble(), a.path("viewersInAllParts").asLong()));
    JsonNode g = a.path("generator");
    b.append(String.format(Locale.ROOT, "             generator cpu %.1f s over %.0f s (%.2f cores)%n",
        g.path("cpuSeconds").asDouble(), g.path("wallSeconds").asDouble(), g.path("cpuCoresMean").asDouble()));
    for (JsonNode n : a.path("nodes")) {
      JsonNode l = n.path("voteToModeratorMs");
      StringBuilder pres = new StringBuilder();
      for (JsonNode p : n.path("presenceByStage")) {
        pres.append(p.path("maxViewersSeenByModerators").asLong()).append('/')
            .append(p.path("viewersExpectedInAllParts").asLong()).append(' ');
      }
      b.append(String.format(Locale.ROOT, "  node %d %s: viewers %d (this part), presence seen max/expected %s, "
              + "vote->moderator p50/p99 %s/%s ms (n=%d)%n", n.path("node").asInt(), n.path("url").asText(),
          n.path("viewersJoinedThisPart").asLong(), pres.toString().trim(), l.path("p50").asText("-"),
          l.path("p99").asText("-"), l.path("count").asLong()));
    }
    for (JsonNode s : a.path("servers")) {
      JsonNode d = s.path("derived");
      b.append(String.format(Locale.ROOT, "  server %d: viewers at hold %s, RSS %s KiB/viewer, heap %s KiB/viewer "
              + "(after full GC %s), cpu idle->hold %s s, hold->end %s s%n", s.path("node").asInt(),
          d.path("viewersAtHold").asText("-"), d.path("rssKiBPerViewer").asText("-"),
          d.path("heapUsedKiBPerViewer").asText("-"), d.path("heapAfterFullGcKiBPerViewer").asText("-"),
          d.path("cpuSecondsIdleToHold").asText("-"), d.path("cpuSecondsHoldToEnd").asText("-")));
    }
    return b.toString();
  }
}
