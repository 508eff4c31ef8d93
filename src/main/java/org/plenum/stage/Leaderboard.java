package org.plenum.stage;

import java.util.List;

/**
 * A stage's quiz leaderboard: the top listed participants by points.
 *
 * @param scored       how many answers have been scored on the stage (grows by one with each, never
 *                     falls except by a reset): clients and load tests can tell which answers a
 *                     board counts
 * @param participants how many participants have answered at least once
 */
public record Leaderboard(long scored, long participants, List<Entry> entries) {
  public static final int TOP = 10;

  public Leaderboard {
    entries = List.copyOf(entries);
  }

  /** One row: rank (1-based), nickname, points, correct answers. */
  public record Entry(long rank, String nickname, long points, long correct) {}
}
