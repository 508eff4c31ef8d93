package org.plenum.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What one server node uses, read at a few moments of a run: its own /metrics (heap, live data
 * after the last collection, CPU time, connections by role) and, when the script gave its pid,
 * /proc/PID (resident memory now and at its peak, CPU time). Both, because /metrics is what an
 * operator has, and /proc counts what the JVM does not (thread stacks, direct buffers, code).
 */
final class NodeProbe {

  /** Linux reports utime and stime in clock ticks of USER_HZ, which is 100 on every current kernel. */
  static final double CLOCK_TICKS_PER_SECOND = 100;

  /** One reading of a node; any field may be null when its source did not answer. */
  record Reading(String label, double atSeconds, boolean afterFullGc, Double heapUsedBytes, Double liveDataBytes, Double cpuSecondsMetric,
                 Double viewers, Double moderators, Long rssBytes, Long peakRssBytes, Double cpuSecondsProc) {

    /** Server CPU seconds: /proc when there, else the server's own process_cpu_time_ns_total. */
    Double cpuSeconds() {
      return cpuSecondsProc != null ? cpuSecondsProc : cpuSecondsMetric;
    }
  }

  final int index;
  final URI url;
  final Integer pid;
  private final PlenumRest rest;

  NodeProbe(Vertx vertx, int index, URI url, Integer pid, ObjectMapper mapper) {
    this.index = index;
    this.url = url;
    this.pid = pid;
    this.rest = new PlenumRest(vertx, url, "unused-for-metrics", mapper);
  }

  /** Reads the node now; never throws (missing parts are null). */
  Reading read(String label, double atSeconds) {
    return read(label, atSeconds, false);
  }

  Reading read(String label, double atSeconds, boolean afterFullGc) {
    Double heap = null;
    Double live = null;
    Double cpu = null;
    Double viewers = null;
    Double mods = null;
    try {
      String text = rest.metricsText().await(10, TimeUnit.SECONDS);
      PrometheusText p = PrometheusText.parse(text);
      heap = p.sum("jvm_memory_used_bytes", l -> "heap".equals(l.get("area")));
      live = p.sum("jvm_gc_live_data_size_bytes");
      Double ns = p.sum("process_cpu_time_ns_total");
      cpu = ns == null ? null : ns / 1e9;
      viewers = p.sum("plenum_connections", l -> "viewer".equals(l.get("role")));
      mods = p.sum("plenum_connections", l -> "moderator".equals(l.get("role")));
    } catch (Exception e) {
      // the reading says null
    }
    Long rss = null;
    Long peak = null;
    Double procCpu = null;
    if (pid != null) {
      rss = statusKiB(pid, "VmRSS:");
      peak = statusKiB(pid, "VmHWM:");
      rss = rss == null ? null : rss * 1024;
      peak = peak == null ? null : peak * 1024;
      procCpu = procCpuSeconds(pid);
    }
    return new Reading(label, atSeconds, afterFullGc, heap, live, cpu, viewers, mods, rss, peak, procCpu);
  }

  /**
   * Asks the node's JVM for a full collection ({@code jcmd PID GC.run}, at most 30 s), so that the
   * heap read right after is the live data: the figure memory per viewer wants. False if it failed.
   */
  boolean forceFullGc() {
    if (pid == null) {
      return false;
    }
    try {
      Process p = new ProcessBuilder("jcmd", Integer.toString(pid), "GC.run").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  Future<Void> close() {
    return rest.close();
  }

  /** A field of /proc/PID/status in KiB ("VmRSS:  123456 kB"), or null. */
  static Long statusKiB(int pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          String[] parts = line.substring(field.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /** utime + stime of a process from /proc/PID/stat, in seconds, or null. */
  static Double procCpuSeconds(int pid) {
    try {
      return parseStatCpuSeconds(Files.readString(Path.of("/proc", Integer.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Fields 14 and 15 (utime, stime) of a stat line; the command name in parentheses may hold spaces. */
  static double parseStatCpuSeconds(String stat) {
    String rest = stat.substring(stat.lastIndexOf(')') + 2);
    String[] f = rest.trim().split("\\s+");
    // rest starts at field 3 (state): utime is field 14, so index 11; stime index 12
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS_PER_SECOND;
  }

  static ObjectNode json(ObjectMapper mapper, Reading r) {
    ObjectNode n = mapper.createObjectNode();
    n.put("label", r.label());
    n.put("atSeconds", Report.round(r.atSeconds(), 1));
    n.put("afterFullGc", r.afterFullGc());
    putMiB(n, "heapUsedMiB", r.heapUsedBytes());
    putMiB(n, "liveDataAfterGcMiB", r.liveDataBytes());
    putMiB(n, "rssMiB", r.rssBytes() == null ? null : r.rssBytes().doubleValue());
    putMiB(n, "peakRssMiB", r.peakRssBytes() == null ? null : r.peakRssBytes().doubleValue());
    putNum(n, "cpuSeconds", r.cpuSeconds(), 2);
    putNum(n, "cpuSecondsMetric", r.cpuSecondsMetric(), 2);
    putNum(n, "viewerConnections", r.viewers(), 0);
    putNum(n, "moderatorConnections", r.moderators(), 0);
    return n;
  }

  private static void putMiB(ObjectNode n, String name, Double bytes) {
    putNum(n, name, bytes == null ? null : bytes / (1024 * 1024), 1);
  }

  static void putNum(ObjectNode n, String name, Double v, int decimals) {
    if (v == null) {
      n.putNull(name);
    } else {
      n.put(name, Report.round(v, decimals));
    }
  }
}
