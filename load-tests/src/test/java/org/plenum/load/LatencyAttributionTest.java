package org.plenum.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyAttributionTest {

  private static final long MS = 1_000_000L;
  private final Histogram h = new Histogram(Measurements.MAX_MICROS, 3);

  @Test
  void eachVoteIsPairedWithThePushThatFirstReachedItsRank() {
    long[] sends = {0, 10 * MS, 20 * MS};
    ResultsTimeline t = new ResultsTimeline();
    t.observe(50 * MS, 1, 2); // votes 1 and 2 seen at 50 ms
    t.observe(100 * MS, 2, 3); // vote 3 seen at 100 ms

    LatencyAttribution.Result r = LatencyAttribution.attribute(sends, t, h);

    assertThat(r.recorded()).isEqualTo(3);
    assertThat(r.unobserved()).isZero();
    assertThat(h.getMaxValue()).isBetween(79_900L, 80_100L); // 100 - 20 ms
    assertThat(h.getMinValue()).isBetween(39_900L, 40_100L); // 50 - 10 ms
    assertThat(h.getMean()).isBetween(56_600.0, 56_700.0); // (50 + 40 + 80) / 3
  }

  @Test
  void stalePushesAreDroppedAndCountsNeverGoBack() {
    long[] sends = {0, 0, 0};
    ResultsTimeline t = new ResultsTimeline();
    t.observe(10 * MS, 5, 2);
    assertThat(t.observe(20 * MS, 4, 3)).isFalse(); // older version: dropped
    t.observe(30 * MS, 6, 1); // newer version with fewer voters: max so far stays 2
    t.observe(40 * MS, 7, 3);

    LatencyAttribution.attribute(sends, t, h);

    assertThat(t.staleDropped()).isEqualTo(1);
    assertThat(h.getTotalCount()).isEqualTo(3);
    assertThat(h.getMaxValue()).isBetween(39_900L, 40_100L);
  }

  @Test
  void votesNeverSeenAreCountedUnobserved() {
    long[] sends = {0, MS, 2 * MS, 3 * MS};
    ResultsTimeline t = new ResultsTimeline();
    t.observe(10 * MS, 1, 2);

    LatencyAttribution.Result r = LatencyAttribution.attribute(sends, t, h);

    assertThat(r.recorded()).isEqualTo(2);
    assertThat(r.unobserved()).isEqualTo(2);
  }

  @Test
  void moreVotersThanAcknowledgedVotesAreIgnored() {
    long[] sends = {0};
    ResultsTimeline t = new ResultsTimeline();
    t.observe(10 * MS, 1, 5);

    LatencyAttribution.Result r = LatencyAttribution.attribute(sends, t, h);

    assertThat(r.recorded()).isEqualTo(1);
    assertThat(r.unobserved()).isZero();
  }

  @Test
  void emptyTimelineSeesNothing() {
    LatencyAttribution.Result r = LatencyAttribution.attribute(new long[] {0, 1}, new ResultsTimeline(), h);
    assertThat(r.recorded()).isZero();
    assertThat(r.unobserved()).isEqualTo(2);
  }
}
