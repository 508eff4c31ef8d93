package org.plenum.stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's quiz standings, pure (no I/O): each participant's points and correct answers over the
 * stage's quiz questions, the points each answer earned, the nicknames, and how many answers were
 * scored (the leaderboard's version). The memory engine keeps one per stage; the Redis engine
 * keeps the same data in a sorted set and hashes ({@code redis/quiz_answer.lua}).
 *
 * <p>Ranking: points descending, ties by participant id descending (what a Redis sorted set's
 * reverse range gives), so both engines list ties alike.
 */
public final class QuizScores {
  private final Map<String, Long> points = new HashMap<>();
  private final Map<String, Long> correct = new HashMap<>();
  /** Poll id -> participant -> points that answer earned. */
  private final Map<String, Map<String, Long>> answers = new HashMap<>();
  private final Map<String, Nickname> nicknames = new HashMap<>();
  private long scored;

  /** Whether the participant has answered this question. */
  public boolean answered(String pollId, String participantId) {
    return answers.getOrDefault(pollId, Map.of()).containsKey(participantId);
  }

  /** Scores one answer (the caller has checked it is the participant's first to this question). */
  public void score(String pollId, String participantId, long earned, boolean right) {
    answers.computeIfAbsent(pollId, k -> new HashMap<>()).put(participantId, earned);
    points.merge(participantId, earned, Long::sum);
    correct.merge(participantId, right ? 1L : 0L, Long::sum);
    scored++;
  }

  public void nickname(String participantId, Nickname nickname) {
    nicknames.put(participantId, nickname);
  }

  public Nickname nicknameOf(String participantId) {
    return nicknames.get(participantId);
  }

  /** A question's answers were removed (the poll was deleted): their points leave the totals. */
  public void forgetQuestion(String pollId) {
    Map<String, Long> gone = answers.remove(pollId);
    if (gone != null) {
      gone.forEach((p, earned) -> points.merge(p, -earned, Long::sum));
    }
  }

  public long scored() {
    return scored;
  }

  public void scored(long n) {
    scored = n;
  }

  /** The top {@code limit} listed participants (opted-out ones are left out, not counted as ranks). */
  public Leaderboard top(int limit) {
    List<Leaderboard.Entry> out = new ArrayList<>();
    int rank = 0;
    for (String p : ranking()) {
      Nickname n = nicknames.get(p);
      if (n != null && !n.listed()) {
        continue;
      }
      rank++;
      if (out.size() == limit) {
        break;
      }
      out.add(new Leaderboard.Entry(rank, n == null ? Nickname.generated(p) : n.name(), points.get(p), correct.get(p)));
    }
    return new Leaderboard(scored, points.size(), out);
  }

  /** One participant's standing: rank among everyone who answered (1-based, listed or not), 0 if none. */
  public Standing standing(String participantId) {
    Nickname n = nicknames.get(participantId);
    String name = n == null ? Nickname.generated(participantId) : n.name();
    boolean listed = n == null || n.listed();
    Map<String, Long> mine = new java.util.LinkedHashMap<>();
    answers.forEach((poll, byParticipant) -> {
      Long earned = byParticipant.get(participantId);
      if (earned != null) {
        mine.put(poll, earned);
      }
    });
    Long own = points.get(participantId);
    if (own == null) {
      return new Standing(name, listed, 0, 0, 0, points.size(), mine);
    }
    long rank = 1;
    for (Map.Entry<String, Long> e : points.entrySet()) {
      if (e.getValue() > own || (e.getValue().equals(own) && e.getKey().compareTo(participantId) > 0)) {
        rank++;
      }
    }
    return new Standing(name, listed, own, correct.get(participantId), rank, points.size(), mine);
  }

  /** Everyone who answered, best first. */
  public List<String> ranking() {
    List<String> ids = new ArrayList<>(points.keySet());
    ids.sort((a, b) -> {
      int byPoints = Long.compare(points.get(b), points.get(a));
      return byPoints != 0 ? byPoints : b.compareTo(a);
    });
    return ids;
  }

  public Map<String, Long> points() {
    return Collections.unmodifiableMap(points);
  }

  public Map<String, Long> correct() {
    return Collections.unmodifiableMap(correct);
  }

  public Map<String, Map<String, Long>> answers() {
    return Collections.unmodifiableMap(answers);
  }

  public Map<String, Nickname> nicknames() {
    return Collections.unmodifiableMap(nicknames);
  }

  /** Puts back one stored participant's totals. */
  public void restore(String participantId, long pts, long right) {
    points.put(participantId, pts);
    correct.put(participantId, right);
  }

  /** Puts back one stored answer's points (totals are restored on their own). */
  public void restoreAnswer(String pollId, String participantId, long earned) {
    answers.computeIfAbsent(pollId, k -> new HashMap<>()).put(participantId, earned);
  }
}
