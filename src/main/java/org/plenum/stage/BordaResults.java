package org.plenum.stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ranking poll's results by Borda count. With n options, a voter's first choice gets n−1 points,
 * the second n−2, … the last 0; an option's points are the sum over all voters. Also: the full
 * distribution (how many voters put the option at position 1, 2, … n) and the mean rank (1 = first).
 *
 * @param points       option id -> Borda points, in option order
 * @param distribution option id -> counts per position (index 0 = first place), in option order
 * @param meanRank     option id -> mean position (1 = best; 2 decimals), null while nobody voted
 * @param maxPoints    the points one option would get if every voter put it first: voters × (n−1)
 */
public record BordaResults(Map<String, Long> points, Map<String, List<Long>> distribution,
                           Map<String, Double> meanRank, long maxPoints) {

  /** From the raw counts under {@link RankingBallot} keys ({@code "a@1"} -> voters who put a first). */
  public static BordaResults of(Poll poll, long voters, Map<String, Long> raw) {
    int n = poll.options().size();
    Map<String, Long> points = new LinkedHashMap<>();
    Map<String, List<Long>> distribution = new LinkedHashMap<>();
    Map<String, Double> meanRank = new LinkedHashMap<>();
    for (PollOption o : poll.options()) {
      List<Long> perPosition = new ArrayList<>(n);
      long sum = 0;
      long ranked = 0;
      long weighted = 0;
      for (int pos = 1; pos <= n; pos++) {
        long c = Math.max(0, raw.getOrDefault(RankingBallot.key(o.id(), pos), 0L));
        perPosition.add(c);
        sum += c * (n - pos);
        ranked += c;
        weighted += c * pos;
      }
      points.put(o.id(), sum);
      distribution.put(o.id(), Collections.unmodifiableList(perPosition));
      meanRank.put(o.id(), ranked == 0 ? null : Math.round(weighted * 100.0 / ranked) / 100.0);
    }
    return new BordaResults(Collections.unmodifiableMap(points), Collections.unmodifiableMap(distribution),
        Collections.unmodifiableMap(meanRank), voters * Math.max(0, n - 1));
  }
}
