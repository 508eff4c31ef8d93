package org.plenum.load;

import org.HdrHistogram.AbstractHistogram;

/**
 * Attributes "vote reached an observer" latencies without per-vote identity in the pushes.
 *
 * <p>A results push carries only counts: {@code voters = S} says that S participants' first votes
 * are in, not which ones. We pair by rank: the k-th applied first vote (ordered by send time) is
 * taken as reflected by the first push whose voters count reached k. This pairing is exact for the
 * mean and never yields a negative latency (when S votes are reflected, at least S were sent
 * before); when the server applies votes out of send order, individual pairs are swapped, which
 * narrows the spread a little - the percentiles are those of the best-case ordering of the same
 * sends and arrivals. See load-tests/README.md.
 */
public final class LatencyAttribution {

  private LatencyAttribution() {
  }

  /** What came out of one observer's timeline. */
  public record Result(long recorded, long unobserved) {
  }

  /**
   * @param sortedSendNanos send times of the applied first votes of one poll, ascending
   * @param timeline        one observer's view of that poll, which started before the poll opened
   * @param histogram       receives latencies in microseconds
   */
  public static Result attribute(long[] sortedSendNanos, ResultsTimeline timeline, AbstractHistogram histogram) {
    long[] times = timeline.times();
    long[] seen = timeline.votersSoFar();
    int n = sortedSendNanos.length;
    int next = 0; // index of the next vote waiting to be seen
    long recorded = 0;
    for (int i = 0; i < times.length && next < n; i++) {
      long reflected = Math.min(seen[i], n);
      while (next < reflected) {
        long micros = Math.max(0, (times[i] - sortedSendNanos[next]) / 1000);
        histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
        recorded++;
        next++;
      }
    }
    return new Result(recorded, n - next);
  }
}
