package org.plenum.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reactions are counted per emoji and per minute bucket (the Redis twin is react.lua). */
class ReactionTallyTest {

  @Test
  void aReactionCountsInTheMinuteItHappenedIn() {
    assertThat(ReactionTally.minuteOf(Instant.parse("2026-11-22T09:00:59.999Z")))
        .isEqualTo(Instant.parse("2026-11-22T09:00:00Z").getEpochSecond());
    assertThat(ReactionTally.minuteOf(Instant.parse("2026-11-22T09:01:00Z")))
        .isEqualTo(Instant.parse("2026-11-22T09:01:00Z").getEpochSecond());
  }

  @Test
  void totalsAndTimelineInTimeOrder() {
    ReactionTally tally = new ReactionTally();
    long nine = Instant.parse("2026-11-22T09:00:00Z").getEpochSecond();
    tally.add("👏", nine + 60);
    tally.add("👏", nine);
    tally.add("❤️", nine);
    assertThat(tally.totals().totals()).containsExactlyInAnyOrderEntriesOf(Map.of("👏", 2L, "❤️", 1L));
    assertThat(tally.totals().version()).isEqualTo(3);
    assertThat(tally.timeline()).extracting(ReactionMinute::minute)
        .containsExactly(Instant.ofEpochSecond(nine), Instant.ofEpochSecond(nine + 60));
    assertThat(tally.timeline().get(0).counts()).containsEntry("👏", 1L).containsEntry("❤️", 1L);
  }
}
