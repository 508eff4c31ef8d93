package org.plenum.stage;

import java.time.Instant;
import java.util.List;

/**
 * What makes a poll a quiz question: which options are correct, what a correct answer is worth,
 * and whether a fast answer is worth more. Kept apart from the options, so the correct ones are
 * never part of what a poll's definition shows until the moderator reveals them.
 *
 * <p>Scoring ({@link #points}): an answer is correct when it chooses exactly the correct options.
 * A correct answer earns {@code points}; with {@code speedBonus} and a timer, the points fall
 * linearly from 100 % (answered at the opening) to 50 % (answered at the deadline), in whole
 * points, computed from the engine's clock. Twin: {@code redis/quiz_answer.lua} computes the same
 * integers; change both together.
 *
 * @param correct the ids of the correct options, sorted, at least one
 */
public record QuizRules(List<String> correct, int points, boolean speedBonus) {
  public static final int DEFAULT_POINTS = 1000;
  public static final int MAX_POINTS = 100_000;

  public QuizRules {
    correct = List.copyOf(correct);
  }

  /** Whether {@code ballot} (sorted keys) is exactly the correct options. */
  public boolean isCorrect(Ballot ballot) {
    return ballot.keys().equals(correct);
  }

  /**
   * The points an answer earns at {@code nowMillis}: 0 if it is wrong; {@code points} if correct
   * without speed bonus (or without a timer); else {@code points - points * elapsed / (2 * duration)}
   * in integer arithmetic, elapsed clamped to 0..duration.
   */
  public long points(Ballot ballot, Instant openedAt, Instant closesAt, long nowMillis) {
    if (!isCorrect(ballot)) {
      return 0;
    }
    if (!speedBonus || openedAt == null || closesAt == null) {
      return points;
    }
    long duration = closesAt.toEpochMilli() - openedAt.toEpochMilli();
    if (duration <= 0) {
      return points;
    }
    long elapsed = Math.max(0, Math.min(duration, nowMillis - openedAt.toEpochMilli()));
    return points - (points * elapsed) / (2 * duration);
  }
}
