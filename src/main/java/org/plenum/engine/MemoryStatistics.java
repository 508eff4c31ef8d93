package org.plenum.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.plenum.stage.ActivityKind;
import org.plenum.stage.ActivityMinute;
import org.plenum.stage.Interaction;
import org.plenum.stage.Presence;
import org.plenum.stage.PresenceSample;

/**
 * The memory engine's statistics ({@link StatisticsStore}), one {@link Stats} per stage, kept on the
 * engine's context. The counters, participants and log are derived from the action records (vote, word,
 * post, upvote, react) the engine journals anyway, so replaying the journal rebuilds them and no record
 * of their own is written; samples are journalled ({@code sample}). A snapshot holds each stage's
 * statistics as one {@code s-stats} line with the sequence number of its last record, like the other
 * aggregates. Participants are an exact set.
 */
final class MemoryStatistics {

  /** One stage's statistics and the sequence number of the last journal record applied. */
  static final class Stats {
    long lsn = -1;
    final TreeMap<Long, Presence> samples = new TreeMap<>();
    final TreeMap<Long, long[]> minutes = new TreeMap<>();
    final Set<String> participants = new HashSet<>();
    final ArrayDeque<Interaction> log = new ArrayDeque<>();

    /** Counts an accepted interaction at {@code atMillis}, in the minute it falls in. */
    void count(Interaction i) {
      long minute = Math.floorDiv(i.at().getEpochSecond(), 60) * 60;
      if (i.kind() != ActivityKind.UPVOTES || "up".equals(i.detail())) {
        minutes.computeIfAbsent(minute, k -> new long[ActivityKind.values().length])[i.kind().ordinal()]++;
        if (minutes.size() > StatisticsStore.MAX_MINUTES) {
          minutes.pollFirstEntry();
        }
      }
      participants.add(i.participantId());
      log.addLast(i);
      if (log.size() > StatisticsStore.MAX_LOG) {
        log.removeFirst();
      }
    }

    /** True if recorded (no sample for the interval yet). */
    boolean sample(long atMillis, Presence p) {
      if (samples.putIfAbsent(atMillis, p) != null) {
        return false;
      }
      while (samples.size() > StatisticsStore.MAX_SAMPLES) {
        samples.pollFirstEntry();
      }
      return true;
    }
  }

  private final Map<String, Stats> byStage = new HashMap<>();

  Stats of(String stageId) {
    return byStage.computeIfAbsent(stageId, k -> new Stats());
  }

  Stats find(String stageId) {
    return byStage.get(stageId);
  }

  List<String> stages() {
    return List.copyOf(byStage.keySet());
  }

  void clear() {
    byStage.clear();
  }

  /** Forgets a stage's statistics (for a stage's deletion or a rehearsal's reset). */
  void forget(String stageId) {
    byStage.remove(stageId);
  }

  List<PresenceSample> samples(String stageId) {
    Stats s = byStage.get(stageId);
    List<PresenceSample> out = new ArrayList<>();
    if (s != null) {
      s.samples.forEach((at, p) -> out.add(new PresenceSample(Instant.ofEpochMilli(at), p)));
    }
    return out;
  }

  List<ActivityMinute> activity(String stageId) {
    Stats s = byStage.get(stageId);
    List<ActivityMinute> out = new ArrayList<>();
    if (s != null) {
      s.minutes.forEach((m, c) -> out.add(new ActivityMinute(Instant.ofEpochSecond(m), c.clone())));
    }
    return out;
  }

  long distinct(List<String> stageIds) {
    if (stageIds.size() == 1) {
      Stats s = byStage.get(stageIds.get(0));
      return s == null ? 0 : s.participants.size();
    }
    Set<String> all = new HashSet<>();
    for (String id : stageIds) {
      Stats s = byStage.get(id);
      if (s != null) {
        all.addAll(s.participants);
      }
    }
    return all.size();
  }

  List<Interaction> interactions(String stageId, long offset, int limit) {
    Stats s = byStage.get(stageId);
    List<Interaction> out = new ArrayList<>();
    if (s == null || offset >= s.log.size()) {
      return out;
    }
    Iterator<Interaction> it = s.log.iterator();
    for (long skip = 0; skip < offset; skip++) {
      it.next();
    }
    while (it.hasNext() && out.size() < limit) {
      out.add(it.next());
    }
    return out;
  }

  // ---- storage ------------------------------------------------------------------------------

  static JsonObject sampleRecord(String stageId, long atMillis, Presence p) {
    return new JsonObject().put("op", "sample").put("stage", stageId).put("at", atMillis).put("n", counts(p));
  }

  private static JsonArray counts(Presence p) {
    return new JsonArray().add(p.viewers()).add(p.moderators()).add(p.presenters()).add(p.viewersHall())
        .add(p.viewersStream());
  }

  private static Presence presence(JsonArray a) {
    return new Presence(a.getLong(0), a.getLong(1), a.getLong(2), a.getLong(3), a.getLong(4));
  }

  void replaySample(JsonObject r) {
    of(r.getString("stage")).sample(r.getLong("at"), presence(r.getJsonArray("n")));
  }

  /** Entries per snapshot line of a stage's samples, participants or log. */
  static final int SNAPSHOT_CHUNK = 5_000;

  /**
   * One stage's statistics as snapshot lines: the header ({@code s-stats}: the sequence number and the
   * per-minute counters) and parts ({@code s-stats-part}) of at most {@link #SNAPSHOT_CHUNK} samples,
   * participants or log entries each. Everything is copied now (references to immutable values: cheap),
   * in the same turn as the sequence number, so the lines hold exactly the state of that number; the
   * parts' JSON is built later, one part per call of the returned suppliers, so no turn of the event
   * loop builds more than a chunk. Empty if the stage has no statistics.
   */
  List<java.util.function.Supplier<JsonObject>> snapshotOf(String stageId) {
    Stats s = byStage.get(stageId);
    if (s == null) {
      return List.of();
    }
    long lsn = s.lsn;
    JsonArray minutes = new JsonArray();
    s.minutes.forEach((m, c) -> {
      JsonArray row = new JsonArray().add(m);
      for (long n : c) {
        row.add(n);
      }
      minutes.add(row);
    });
    List<Map.Entry<Long, Presence>> samples = new ArrayList<>(s.samples.entrySet());
    List<String> who = new ArrayList<>(s.participants);
    List<Interaction> log = new ArrayList<>(s.log);
    List<java.util.function.Supplier<JsonObject>> lines = new ArrayList<>();
    JsonObject header = new JsonObject().put("op", "s-stats").put("stage", stageId).put("lsn", lsn).put("min", minutes);
    lines.add(() -> header);
    for (int from = 0; from < samples.size(); from += SNAPSHOT_CHUNK) {
      List<Map.Entry<Long, Presence>> chunk = samples.subList(from, Math.min(samples.size(), from + SNAPSHOT_CHUNK));
      lines.add(() -> {
        JsonArray a = new JsonArray();
        chunk.forEach(e -> a.add(new JsonArray().add(e.getKey()).add(counts(e.getValue()))));
        return part(stageId, "samples", a);
      });
    }
    for (int from = 0; from < who.size(); from += SNAPSHOT_CHUNK) {
      List<String> chunk = who.subList(from, Math.min(who.size(), from + SNAPSHOT_CHUNK));
      lines.add(() -> part(stageId, "who", new JsonArray(new ArrayList<>(chunk))));
    }
    for (int from = 0; from < log.size(); from += SNAPSHOT_CHUNK) {
      List<Interaction> chunk = log.subList(from, Math.min(log.size(), from + SNAPSHOT_CHUNK));
      lines.add(() -> {
        JsonArray a = new JsonArray();
        for (Interaction i : chunk) {
          a.add(new JsonArray().add(i.at().toEpochMilli()).add(i.kind().wire()).add(i.targetId()).add(i.detail())
              .add(i.participantId()));
        }
        return part(stageId, "log", a);
      });
    }
    return lines;
  }

  private static JsonObject part(String stageId, String field, JsonArray entries) {
    return new JsonObject().put("op", "s-stats-part").put("stage", stageId).put(field, entries);
  }

  static int weight(JsonObject line) {
    int n = 1;
    for (String field : List.of("min", "samples", "who", "log")) {
      JsonArray a = line.getJsonArray(field);
      n += a == null ? 0 : a.size();
    }
    return n;
  }

  /** Applies an {@code s-stats} line (which comes before its stage's parts). */
  void restore(JsonObject r) {
    Stats s = of(r.getString("stage"));
    s.lsn = r.getLong("lsn");
    for (Object o : r.getJsonArray("min")) {
      JsonArray a = (JsonArray) o;
      long[] c = new long[ActivityKind.values().length];
      for (int k = 0; k < c.length && k + 1 < a.size(); k++) {
        c[k] = a.getLong(k + 1);
      }
      s.minutes.put(a.getLong(0), c);
    }
  }

  /** Applies an {@code s-stats-part} line. */
  void restorePart(JsonObject r) {
    Stats s = of(r.getString("stage"));
    for (Object o : r.getJsonArray("samples", new JsonArray())) {
      JsonArray a = (JsonArray) o;
      s.samples.put(a.getLong(0), presence(a.getJsonArray(1)));
    }
    r.getJsonArray("who", new JsonArray()).forEach(p -> s.participants.add((String) p));
    for (Object o : r.getJsonArray("log", new JsonArray())) {
      JsonArray a = (JsonArray) o;
      s.log.addLast(new Interaction(Instant.ofEpochMilli(a.getLong(0)), ActivityKind.parse(a.getString(1)),
          a.getString(2), a.getString(3), a.getString(4)));
    }
  }
}
