package org.plenum.stage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one poll's counts. {@code version} grows with every applied change, on every
 * node, so clients can drop stale snapshots. For a ranking poll {@code counts} are the options'
 * Borda points and {@code ranking} holds the distribution and mean ranks ({@link BordaResults});
 * for every other kind {@code ranking} is null.
 */
public record PollResults(String pollId, long version, long voters, Map<String, Long> counts, Double mean,
                          BordaResults ranking) {

  /** Results of a poll that is not a ranking. */
  public PollResults(String pollId, long version, long voters, Map<String, Long> counts, Double mean) {
    this(pollId, version, voters, counts, mean, null);
  }

  /** Builds results with every choice key present (zeros included) and the mean for ratings. */
  public static PollResults of(Poll poll, long version, long voters, Map<String, Long> raw) {
    if (poll.kind() == PollKind.RANKING) {
      BordaResults borda = BordaResults.of(poll, voters, raw);
      return new PollResults(poll.id(), version, voters, borda.points(), null, borda);
    }
    List<String> keys = poll.choiceKeys();
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String k : keys) {
      counts.put(k, raw.getOrDefault(k, 0L));
    }
    Double mean = null;
    if (poll.kind() == PollKind.RATING && voters > 0) {
      double sum = 0;
      long n = 0;
      for (Map.Entry<String, Long> e : counts.entrySet()) {
        sum += Integer.parseInt(e.getKey()) * (double) e.getValue();
        n += e.getValue();
      }
      mean = n == 0 ? null : Math.round(sum / n * 100) / 100.0;
    }
    return new PollResults(poll.id(), version, voters, counts, mean);
  }
}
