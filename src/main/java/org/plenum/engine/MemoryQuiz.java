package org.plenum.engine;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.plenum.stage.Leaderboard;
import org.plenum.stage.Nickname;
import org.plenum.stage.QuizScore;
import org.plenum.stage.QuizScores;
import org.plenum.stage.Standing;

/**
 * The memory engine's quiz standings: one {@link QuizScores} per stage with the sequence number of
 * the last journal record applied to it (so a replayed record the snapshot already holds is skipped),
 * and their snapshot lines ({@code s-quiz}). Touched only on the memory engine's context.
 */
final class MemoryQuiz {
  static final class Entry {
    final QuizScores scores = new QuizScores();
    long lsn;
  }

  private final Map<String, Entry> byStage = new HashMap<>();

  Entry of(String stageId) {
    return byStage.computeIfAbsent(stageId, k -> new Entry());
  }

  QuizScores peek(String stageId) {
    Entry e = byStage.get(stageId);
    return e == null ? new QuizScores() : e.scores;
  }

  void drop(String stageId) {
    byStage.remove(stageId);
  }

  /** A stage reset: the standings and nicknames go (in replay only if the snapshot's are older than the reset). */
  void reset(String stageId, long lsn, boolean replaying) {
    Entry old = byStage.get(stageId);
    if (old != null && (!replaying || lsn > old.lsn)) {
      Entry fresh = new Entry();
      fresh.lsn = lsn;
      byStage.put(stageId, fresh);
    }
  }

  void clear() {
    byStage.clear();
  }

  Set<String> stages() {
    return Set.copyOf(byStage.keySet());
  }

  Leaderboard leaderboard(String stageId, int limit) {
    return peek(stageId).top(limit);
  }

  Standing standing(String stageId, String participantId, List<String> quizIds) {
    Standing all = peek(stageId).standing(participantId);
    Map<String, Long> mine = new java.util.LinkedHashMap<>();
    for (String id : quizIds) {
      Long earned = all.answers().get(id);
      if (earned != null) {
        mine.put(id, earned);
      }
    }
    return new Standing(all.nickname(), all.listed(), all.points(), all.correct(), all.rank(), all.participants(), mine);
  }

  List<QuizScore> scores(String stageId) {
    QuizScores s = peek(stageId);
    List<QuizScore> out = new java.util.ArrayList<>();
    long rank = 0;
    for (String p : s.ranking()) {
      Nickname n = s.nicknameOf(p);
      out.add(new QuizScore(++rank, p, n == null ? Nickname.generated(p) : n.name(), n == null || n.listed(),
          s.points().get(p), s.correct().get(p)));
    }
    return out;
  }

  /** The stage's snapshot line: totals, answers per question, nicknames, the scored count. */
  JsonObject snapshotOf(String stageId) {
    Entry e = byStage.get(stageId);
    if (e == null) {
      return null;
    }
    JsonObject totals = new JsonObject();
    e.scores.points().forEach((p, pts) -> totals.put(p, new io.vertx.core.json.JsonArray()
        .add(pts).add(e.scores.correct().get(p))));
    JsonObject answers = new JsonObject();
    e.scores.answers().forEach((poll, byP) -> answers.put(poll, new JsonObject(new HashMap<>(byP))));
    JsonObject nicks = new JsonObject();
    e.scores.nicknames().forEach((p, n) -> nicks.put(p, n.encode()));
    return new JsonObject().put("op", "s-quiz").put("stage", stageId).put("lsn", e.lsn).put("n", e.scores.scored())
        .put("totals", totals).put("answers", answers).put("nicks", nicks);
  }

  void restore(JsonObject r) {
    Entry e = of(r.getString("stage"));
    e.lsn = r.getLong("lsn");
    e.scores.scored(r.getLong("n"));
    r.getJsonObject("totals").forEach(t -> {
      io.vertx.core.json.JsonArray v = (io.vertx.core.json.JsonArray) t.getValue();
      e.scores.restore(t.getKey(), v.getLong(0), v.getLong(1));
    });
    r.getJsonObject("answers").forEach(a -> ((JsonObject) a.getValue())
        .forEach(p -> e.scores.restoreAnswer(a.getKey(), p.getKey(), ((Number) p.getValue()).longValue())));
    r.getJsonObject("nicks").forEach(n -> e.scores.nickname(n.getKey(), Nickname.decode((String) n.getValue())));
  }
}
