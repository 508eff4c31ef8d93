package org.plenum.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plenum.protocol.ErrorCode;

/** The poll's aggregate rules, without an engine (their Redis twin is vote.lua). */
class PollTallyTest {
  private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");

  private static Poll multiple(boolean open) {
    return new PollSpec(PollKind.MULTIPLE, "Topics?", List.of("KI", "Cloud", "OZG"), 2, null, false, open)
        .toPoll("pl1", "st1", NOW);
  }

  private static Poll rating() {
    return new PollSpec(PollKind.RATING, "How was it?", null, null, 5, true, true).toPoll("pl2", "st1", NOW);
  }

  @Test
  void onlyAnOpenPollTakesBallots() {
    assertThat(PollTally.refusal(multiple(true))).isNull();
    assertThat(PollTally.refusal(null)).isEqualTo(ErrorCode.UNKNOWN_POLL);
    assertThat(PollTally.refusal(multiple(false))).isEqualTo(ErrorCode.POLL_NOT_OPEN);
    assertThat(PollTally.refusal(multiple(true).close(NOW))).isEqualTo(ErrorCode.POLL_NOT_OPEN);
  }

  @Test
  void aChangeOfVoteMovesTheParticipantsBallot() {
    Poll poll = multiple(true);
    PollTally tally = new PollTally();
    tally.apply("alice", poll.ballot(List.of("a", "b"), null));
    tally.apply("bob", poll.ballot(List.of("b"), null));
    tally.apply("alice", poll.ballot(List.of("c"), null));
    PollResults results = tally.results(poll);
    assertThat(results.counts()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 0L, "b", 1L, "c", 1L));
    assertThat(results.voters()).isEqualTo(2);
    assertThat(results.version()).isEqualTo(3);
  }

  @Test
  void aRatingCountsUnderItsValue() {
    Poll poll = rating();
    PollTally tally = new PollTally();
    tally.apply("alice", poll.ballot(null, 4));
    tally.apply("bob", poll.ballot(null, 4));
    tally.apply("bob", poll.ballot(null, 2));
    assertThat(tally.counts()).containsEntry("4", 1L).containsEntry("2", 1L);
    assertThat(tally.results(poll).voters()).isEqualTo(2);
  }

  @Test
  void aRestoredTallyGoesOnWhereTheStoredOneStopped() {
    Poll poll = multiple(true);
    PollTally first = new PollTally();
    first.apply("alice", poll.ballot(List.of("a"), null));
    PollTally second = new PollTally();
    second.restore(first.version(), first.counts(), first.ballots());
    second.apply("alice", poll.ballot(List.of("b"), null));
    assertThat(second.counts()).containsEntry("a", 0L).containsEntry("b", 1L);
    assertThat(second.version()).isEqualTo(2);
  }
}
