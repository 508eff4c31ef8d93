package org.plenum.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Merges the JSON reports of the generator processes of one {@code audience} run ({@code --part
 * K/N}) into one: counts are summed, latencies merged from the histograms each part carries (so
 * the percentiles are those of all samples, not an average of percentiles), presence checked
 * against the whole audience, and the servers' memory and CPU taken from part 1.
 *
 * <pre>java -cp plenum-load.jar org.plenum.load.MergeReports --out merged.json [--context ctx.json] [--embed-parts] part-*.json</pre>
 *
 * {@code --context} adds a JSON object about the run (command, machine); {@code --embed-parts}
 * includes every part's whole report under {@code partReports}, so one file holds the run.
 *
 * Prints the human summary; exit code 0 when every part passed and the merged checks hold, 1 if
 * not, 2 on bad arguments or unreadable reports.
 */
public final class MergeReports {

  private MergeReports() {
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    String out = null;
    String context = null;
    boolean embed = false;
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = i + 1 < args.length ? args[++i] : null;
        case "--context" -> context = i + 1 < args.length ? args[++i] : null;
        case "--embed-parts" -> embed = true;
        default -> inputs.add(Path.of(args[i]));
      }
    }
    if (inputs.isEmpty()) {
      System.err.println("usage: MergeReports --out merged.json [--context ctx.json] [--embed-parts] part1.json ...");
      return 2;
    }
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    List<JsonNode> reports = new ArrayList<>();
    try {
      for (Path p : inputs) {
        reports.add(mapper.readTree(Files.readString(p)));
      }
      ObjectNode merged = merge(mapper, reports, inputs);
      if (context != null) {
        merged.set("context", mapper.readTree(Files.readString(Path.of(context))));
      }
      if (embed) {
        ArrayNode all = merged.putArray("partReports");
        reports.forEach(all::add);
      }
      if (out != null) {
        Files.writeString(Path.of(out), mapper.writeValueAsString(merged));
      }
      System.out.print(render(merged));
      return "PASS".equals(merged.path("result").asText()) ? 0 : 1;
    } catch (IOException | RuntimeException e) {
      System.err.println("MergeReports: " + e);
      return 2;
    }
  }

  static ObjectNode merge(ObjectMapper mapper, List<JsonNode> reports, List<Path> names) {
    ObjectNode m = mapper.createObjectNode();
    m.put("tool", "plenum-load MergeReports");
    m.put("scenario", reports.get(0).path("scenario").asText());
    List<String> failures = new ArrayList<>();
    ArrayNode parts = m.putArray("parts");
    JsonNode leader = null;
    long joined = 0;
    long planned = 0;
    double joinSeconds = 0;
    double generatorCpu = 0;
    double generatorWall = 0;
    Histogram join = histogram();
    Histogram ack = histogram();
    Histogram v2m = histogram();
    Map<Integer, Histogram> v2mByNode = new TreeMap<>();
    Map<Integer, Long> viewersByNode = new TreeMap<>();
    Map<String, Long> presenceMax = new TreeMap<>(); // node/stage -> max seen
    Map<String, Long> presenceExpected = new TreeMap<>();
    long[] sums = new long[8];
    Map<String, Long> errors = new TreeMap<>();
    for (int i = 0; i < reports.size(); i++) {
      JsonNode r = reports.get(i);
      JsonNode a = r.path("audience");
      ObjectNode p = parts.addObject();
      p.put("file", names.get(i).toString());
      p.put("part", a.path("part").asInt());
      p.put("result", r.path("result").asText());
      p.set("failures", r.path("failures"));
      p.put("viewersJoined", a.path("viewersJoinedThisPart").asLong());
      p.put("joinsPerSecond", a.path("joinsPerSecond").asDouble());
      p.set("generator", a.path("generator"));
      p.set("generatorEventLoopLagMs", r.path("generator").path("eventLoopLagMs"));
      if (!"PASS".equals(r.path("result").asText())) {
        failures.add("part " + a.path("part").asInt() + " " + r.path("result").asText() + ": " + r.path("failures"));
      }
      if (a.isMissingNode()) {
        failures.add(names.get(i) + " has no audience section (not an audience run?)");
        continue;
      }
      if (a.path("part").asInt() == 1) {
        leader = r;
      }
      planned = Math.max(planned, a.path("viewersInAllParts").asLong());
      joined += a.path("viewersJoinedThisPart").asLong();
      joinSeconds = Math.max(joinSeconds, a.path("joinSeconds").asDouble());
      generatorCpu += a.path("generator").path("cpuSeconds").asDouble();
      generatorWall = Math.max(generatorWall, a.path("generator").path("wallSeconds").asDouble());
      add(join, a.path("histograms").path("join"));
      add(ack, a.path("histograms").path("ack"));
      add(v2m, a.path("histograms").path("voteToModerator"));
      for (JsonNode n : a.path("nodes")) {
        int node = n.path("node").asInt();
        viewersByNode.merge(node, n.path("viewersJoinedThisPart").asLong(), Long::sum);
        if (n.has("voteToModeratorHistogram")) {
          add(v2mByNode.computeIfAbsent(node, k -> histogram()), n.path("voteToModeratorHistogram"));
        }
        for (JsonNode ps : n.path("presenceByStage")) {
          String key = node + "/" + ps.path("stageId").asText();
          presenceMax.merge(key, ps.path("maxViewersSeenByModerators").asLong(), Math::max);
          presenceExpected.put(key, ps.path("viewersExpectedInAllParts").asLong());
        }
      }
      JsonNode c = r.path("connections");
      sums[0] += c.path("established").asLong();
      sums[1] += c.path("refused").asLong();
      sums[2] += c.path("dropped").asLong();
      sums[3] += c.path("peakOpen").asLong();
      JsonNode v = r.path("votes");
      sums[4] += v.path("sent").asLong();
      sums[5] += v.path("acked").asLong();
      sums[6] += v.path("withoutAnswer").asLong();
      sums[7] += r.path("errors").path("unexpected").asLong();
      r.path("errors").path("byCode").fields().forEachRemaining(e -> errors.merge(e.getKey(), e.getValue().asLong(), Long::sum));
    }
    m.put("result", "?");
    ObjectNode viewers = m.putObject("viewers");
    viewers.put("planned", planned);
    viewers.put("joined", joined);
    viewers.put("joinSecondsLongestPart", Report.round(joinSeconds, 2));
    viewers.put("joinsPerSecond", Report.round(joined / Math.max(0.001, joinSeconds), 1));
    if (joined < planned) {
      failures.add((planned - joined) + " of " + planned + " viewers never joined");
    }
    ObjectNode lat = m.putObject("latencyMs");
    lat.set("join", Report.latency(mapper, join));
    lat.set("ack", Report.latency(mapper, ack));
    lat.set("voteToModerator", Report.latency(mapper, v2m));
    ObjectNode conn = m.putObject("connections");
    conn.put("established", sums[0]);
    conn.put("refused", sums[1]);
    conn.put("dropped", sums[2]);
    conn.put("peakOpenSumOfParts", sums[3]);
    ObjectNode votes = m.putObject("votes");
    votes.put("sent", sums[4]);
    votes.put("acked", sums[5]);
    votes.put("withoutAnswer", sums[6]);
    ObjectNode err = m.putObject("errors");
    err.set("byCode", mapper.valueToTree(errors));
    err.put("unexpected", sums[7]);

    ArrayNode nodes = m.putArray("nodes");
    JsonNode servers = leader == null ? mapper.createArrayNode() : leader.path("audience").path("servers");
    double rssDelta = 0;
    double liveDelta = 0;
    double heapDelta = 0;
    double fullGcDelta = 0;
    boolean fullGcAll = true;
    long viewersAtHold = 0;
    boolean rssAll = true;
    boolean liveAll = true;
    double cpuAll = 0;
    double cpuHoldToEnd = 0;
    for (Map.Entry<Integer, Long> e : viewersByNode.entrySet()) {
      int node = e.getKey();
      ObjectNode n = nodes.addObject();
      n.put("node", node);
      n.put("viewersJoined", e.getValue());
      ArrayNode pres = n.putArray("presence");
      for (Map.Entry<String, Long> pm : presenceMax.entrySet()) {
        if (!pm.getKey().startsWith(node + "/")) {
          continue;
        }
        long expected = presenceExpected.get(pm.getKey());
        // the viewers that never joined cannot be present
        long want = Math.max(0, expected - (planned - joined));
        pres.addObject().put("stageId", pm.getKey().substring(pm.getKey().indexOf('/') + 1))
            .put("maxSeenByModerators", pm.getValue()).put("expected", expected);
        if (pm.getValue() < want) {
          failures.add("node " + node + ": its moderators saw at most " + pm.getValue() + " viewers present, "
              + want + " had joined the stage (deployment-wide presence sum)");
        }
      }
      Histogram h = v2mByNode.get(node);
      if (h != null) {
        n.set("voteToModeratorMs", Report.latency(mapper, h));
      }
      for (JsonNode s : servers) {
        if (s.path("node").asInt() == node) {
          JsonNode d = s.path("derived");
          n.set("server", d);
          n.set("readings", s.path("readings"));
          JsonNode idle = reading(s, "idle");
          JsonNode hold = reading(s, "hold");
          long v = d.path("viewersAtHold").asLong();
          viewersAtHold += v;
          rssAll &= delta(idle, hold, "rssMiB") != null;
          liveAll &= d.has("liveDataKiBPerViewer"); // only when a collection ran between the readings
          rssDelta += orZero(delta(idle, hold, "rssMiB"));
          liveDelta += orZero(delta(idle, hold, "liveDataAfterGcMiB"));
          heapDelta += orZero(delta(idle, hold, "heapUsedMiB"));
          fullGcAll &= d.has("heapAfterFullGcKiBPerViewer");
          fullGcDelta += orZero(delta(idle, hold, "heapUsedMiB"));
          cpuAll += d.path("cpuSecondsIdleToEnd").asDouble();
          cpuHoldToEnd += d.path("cpuSecondsHoldToEnd").asDouble();
        }
      }
    }
    ObjectNode tot = m.putObject("servers");
    tot.put("nodes", viewersByNode.size());
    tot.put("viewersAtHold", viewersAtHold);
    if (viewersAtHold > 0) {
      if (rssAll) {
        tot.put("rssKiBPerViewer", Report.round(rssDelta * 1024 / viewersAtHold, 2));
      }
      if (liveAll) {
        tot.put("liveDataKiBPerViewer", Report.round(liveDelta * 1024 / viewersAtHold, 2));
      }
      tot.put("heapUsedKiBPerViewer", Report.round(heapDelta * 1024 / viewersAtHold, 2));
      if (fullGcAll) {
        tot.put("heapAfterFullGcKiBPerViewer", Report.round(fullGcDelta * 1024 / viewersAtHold, 2));
      }
    }
    tot.put("cpuSecondsIdleToEndAllNodes", Report.round(cpuAll, 2));
    tot.put("cpuSecondsHoldToEndAllNodes", Report.round(cpuHoldToEnd, 2));
    if (!viewersByNode.isEmpty()) {
      tot.put("cpuSecondsIdleToEndPerNode", Report.round(cpuAll / viewersByNode.size(), 2));
      tot.put("cpuSecondsHoldToEndPerNode", Report.round(cpuHoldToEnd / viewersByNode.size(), 2));
    }
    if (leader == null) {
      failures.add("no report of part 1 (it holds the servers' memory and CPU readings)");
    }
    ObjectNode gen = m.putObject("generators");
    gen.put("processes", reports.size());
    gen.put("cpuSeconds", Report.round(generatorCpu, 2));
    gen.put("wallSecondsLongest", Report.round(generatorWall, 1));
    m.set("failures", mapper.valueToTree(failures));
    m.put("result", failures.isEmpty() ? "PASS" : "FAIL");
    return m;
  }

  private static JsonNode reading(JsonNode server, String label) {
    for (JsonNode r : server.path("readings")) {
      if (label.equals(r.path("label").asText())) {
        return r;
      }
    }
    return null;
  }

  private static Double delta(JsonNode a, JsonNode b, String field) {
    if (a == null || b == null || !a.path(field).isNumber() || !b.path(field).isNumber()) {
      return null;
    }
    return b.path(field).asDouble() - a.path(field).asDouble();
  }

  private static double orZero(Double d) {
    return d == null ? 0 : d;
  }

  private static Histogram histogram() {
    return new Histogram(Measurements.MAX_MICROS, 3);
  }

  private static void add(Histogram into, JsonNode encoded) {
    if (encoded.isTextual() && !encoded.asText().isEmpty()) {
      into.add(Audience.decode(encoded.asText()));
    }
  }

  static String render(JsonNode m) {
    StringBuilder b = new StringBuilder();
    JsonNode v = m.path("viewers");
    b.append(String.format(Locale.ROOT, "Plenum scale-out run (%d generator processes, %d nodes)  =>  %s%n",
        m.path("generators").path("processes").asInt(), m.path("servers").path("nodes").asInt(),
        m.path("result").asText()));
    JsonNode ctx = m.path("context");
    if (!ctx.isMissingNode()) {
      ctx.fields().forEachRemaining(e -> b.append(String.format(Locale.ROOT, "%-14s %s%n", e.getKey(),
          e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString())));
    }
    b.append(String.format(Locale.ROOT, "viewers        %d of %d joined; longest part %.1f s; %.0f joins/s in all%n",
        v.path("joined").asLong(), v.path("planned").asLong(), v.path("joinSecondsLongestPart").asDouble(),
        v.path("joinsPerSecond").asDouble()));
    b.append(latencies(m.path("latencyMs")));
    JsonNode c = m.path("connections");
    b.append(String.format(Locale.ROOT, "connections    established %d, refused %d, dropped %d%n",
        c.path("established").asLong(), c.path("refused").asLong(), c.path("dropped").asLong()));
    JsonNode vo = m.path("votes");
    b.append(String.format(Locale.ROOT, "votes          sent %d, acked %d, no answer %d; errors %s (unexpected %d)%n",
        vo.path("sent").asLong(), vo.path("acked").asLong(), vo.path("withoutAnswer").asLong(),
        m.path("errors").path("byCode"), m.path("errors").path("unexpected").asLong()));
    for (JsonNode n : m.path("nodes")) {
      JsonNode l = n.path("voteToModeratorMs");
      JsonNode s = n.path("server");
      StringBuilder pres = new StringBuilder();
      for (JsonNode p : n.path("presence")) {
        pres.append(p.path("maxSeenByModerators").asLong()).append('/').append(p.path("expected").asLong()).append(' ');
      }
      b.append(String.format(Locale.ROOT, "node %d         viewers %d, presence seen %s, vote->moderator p50/p99 %s/%s ms; "
              + "at hold: %s viewers, RSS %s KiB/viewer, heap after full GC %s KiB/viewer; cpu idle->hold %s s, "
              + "hold->end %s s%n",
          n.path("node").asInt(), n.path("viewersJoined").asLong(), pres.toString().trim(), l.path("p50").asText("-"),
          l.path("p99").asText("-"), s.path("viewersAtHold").asText("-"), s.path("rssKiBPerViewer").asText("-"),
          s.path("heapAfterFullGcKiBPerViewer").asText("-"), s.path("cpuSecondsIdleToHold").asText("-"),
          s.path("cpuSecondsHoldToEnd").asText("-")));
    }
    JsonNode t = m.path("servers");
    b.append(String.format(Locale.ROOT, "all nodes      %s viewers at hold; RSS %s KiB/viewer, heap after full GC %s "
            + "KiB/viewer, heap used %s KiB/viewer; cpu %s s in all (%s s per node), of which polls phase %s s%n",
        t.path("viewersAtHold").asText("-"), t.path("rssKiBPerViewer").asText("-"),
        t.path("heapAfterFullGcKiBPerViewer").asText("-"), t.path("heapUsedKiBPerViewer").asText("-"),
        t.path("cpuSecondsIdleToEndAllNodes").asText("-"), t.path("cpuSecondsIdleToEndPerNode").asText("-"),
        t.path("cpuSecondsHoldToEndAllNodes").asText("-")));
    JsonNode g = m.path("generators");
    b.append(String.format(Locale.ROOT, "generators     cpu %s s in all over %s s%n", g.path("cpuSeconds").asText(),
        g.path("wallSecondsLongest").asText()));
    for (JsonNode p : m.path("parts")) {
      b.append(String.format(Locale.ROOT, "  part %d: %s, %d joined, %.0f joins/s, cpu %s s, heap at hold %s MiB, "
              + "event-loop lag p99 %s ms%n", p.path("part").asInt(), p.path("result").asText(),
          p.path("viewersJoined").asLong(), p.path("joinsPerSecond").asDouble(),
          p.path("generator").path("cpuSeconds").asText("-"), p.path("generator").path("heapUsedAtHoldMiB").asText("-"),
          p.path("generatorEventLoopLagMs").path("p99").asText("-")));
    }
    if (!m.path("failures").isEmpty()) {
      b.append("FAILURES:\n");
      m.path("failures").forEach(f -> b.append("  - ").append(f.asText()).append('\n'));
    }
    b.append("result: ").append(m.path("result").asText()).append('\n');
    return b.toString();
  }

  private static String latencies(JsonNode lat) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-18s %8s %9s %9s %9s %9s   (ms, all parts)%n", "latency", "count", "p50", "p95",
        "p99", "max"));
    lat.fields().forEachRemaining(e -> {
      JsonNode l = e.getValue();
      if (l.path("count").asLong() == 0) {
        b.append(String.format(Locale.ROOT, "%-18s %8d %9s %9s %9s %9s%n", e.getKey(), 0, "-", "-", "-", "-"));
      } else {
        b.append(String.format(Locale.ROOT, "%-18s %8d %9.1f %9.1f %9.1f %9.1f%n", e.getKey(), l.path("count").asLong(),
            l.path("p50").asDouble(), l.path("p95").asDouble(), l.path("p99").asDouble(), l.path("max").asDouble()));
      }
    });
    return b.toString();
  }
}
