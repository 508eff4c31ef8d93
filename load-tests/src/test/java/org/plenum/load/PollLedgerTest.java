package org.plenum.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plenum.load.PollLedger.Outcome;

class PollLedgerTest {

  private final PollLedger ledger = new PollLedger("p1", List.of("a", "b", "c"), true);

  @Test
  void acknowledgedVotesGiveExactExpectedCounts() {
    ledger.sent(1, "x1", List.of("a"), 10);
    ledger.sent(2, "x2", List.of("b"), 20);
    ledger.sent(3, "x3", List.of("a"), 30);
    ledger.outcome(1, "x1", Outcome.APPLIED);
    ledger.outcome(2, "x2", Outcome.APPLIED);
    ledger.outcome(3, "x3", Outcome.APPLIED);

    PollLedger.Check ok = ledger.check(Map.of("a", 2L, "b", 1L, "c", 0L), 3);
    assertThat(ok.passed()).isTrue();
    assertThat(ok.expected().counts().get("a")).isEqualTo(new PollLedger.Range(2, 2));
  }

  @Test
  void aVoteCountedTwiceFailsTheCheck() {
    ledger.sent(1, "x1", List.of("a"), 10);
    ledger.outcome(1, "x1", Outcome.APPLIED);

    PollLedger.Check bad = ledger.check(Map.of("a", 2L, "b", 0L, "c", 0L), 2);
    assertThat(bad.passed()).isFalse();
    assertThat(bad.mismatches()).anyMatch(s -> s.startsWith("option a"))
        .anyMatch(s -> s.startsWith("voters"));
  }

  @Test
  void changedVoteCountsOnlyTheFinalChoice() {
    ledger.sent(1, "x1", List.of("a"), 10);
    ledger.outcome(1, "x1", Outcome.APPLIED);
    ledger.sent(1, "x2", List.of("c"), 20);
    ledger.outcome(1, "x2", Outcome.APPLIED);

    assertThat(ledger.check(Map.of("a", 0L, "b", 0L, "c", 1L), 1).passed()).isTrue();
    assertThat(ledger.check(Map.of("a", 1L, "b", 0L, "c", 1L), 1).passed()).isFalse();
  }

  @Test
  void resentIdAnsweredDuplicateChangesNothing() {
    ledger.sent(1, "x1", List.of("a"), 10);
    ledger.outcome(1, "x1", Outcome.APPLIED);
    ledger.sent(1, "x2", List.of("b"), 20);
    ledger.outcome(1, "x2", Outcome.APPLIED);
    // the first id is resent after a reconnect and answered duplicate: still "b"
    ledger.sent(1, "x1", List.of("a"), 30);
    ledger.outcome(1, "x1", Outcome.DUPLICATE);

    assertThat(ledger.check(Map.of("a", 0L, "b", 1L, "c", 0L), 1).passed()).isTrue();
    assertThat(ledger.duplicates()).isEqualTo(1);
  }

  @Test
  void duplicateOfAVoteWhoseAckWasLostCountsAsApplied() {
    ledger.sent(1, "x1", List.of("b"), 10);
    ledger.outcome(1, "x1", Outcome.DUPLICATE);

    assertThat(ledger.check(Map.of("a", 0L, "b", 1L, "c", 0L), 1).passed()).isTrue();
    assertThat(ledger.firstAppliedSendTimes()).containsExactly(10);
  }

  @Test
  void rejectedVoteChangesNothing() {
    ledger.sent(1, "x1", List.of("a"), 10);
    ledger.outcome(1, "x1", Outcome.REJECTED);

    assertThat(ledger.check(Map.of("a", 0L, "b", 0L, "c", 0L), 0).passed()).isTrue();
    assertThat(ledger.firstAppliedSendTimes()).isEmpty();
  }

  @Test
  void unansweredVoteWidensTheExpectedRange() {
    ledger.sent(1, "x1", List.of("a"), 10);
    ledger.outcome(1, "x1", Outcome.APPLIED);
    ledger.sent(1, "x2", List.of("b"), 20); // change, never answered
    ledger.sent(2, "y1", List.of("b"), 30); // first vote, never answered
    assertThat(ledger.settleInFlight()).isEqualTo(2);

    PollLedger.Expected e = ledger.expected();
    assertThat(e.counts().get("a")).isEqualTo(new PollLedger.Range(0, 1));
    assertThat(e.counts().get("b")).isEqualTo(new PollLedger.Range(0, 2));
    assertThat(e.voters()).isEqualTo(new PollLedger.Range(1, 2));
    assertThat(ledger.check(Map.of("a", 0L, "b", 2L, "c", 0L), 2).passed()).isTrue();
    assertThat(ledger.check(Map.of("a", 1L, "b", 0L, "c", 0L), 1).passed()).isTrue();
    assertThat(ledger.check(Map.of("a", 1L, "b", 2L, "c", 0L), 2).passed()).isFalse();
  }

  @Test
  void multipleChoiceCountsEveryChoice() {
    PollLedger ledger = new PollLedger("p2", List.of("a", "b", "c"), false);
    ledger.sent(1, "x1", List.of("a", "c"), 10);
    ledger.sent(2, "x2", List.of("a"), 11);
    ledger.outcome(1, "x1", Outcome.APPLIED);
    ledger.outcome(2, "x2", Outcome.APPLIED);

    assertThat(ledger.check(Map.of("a", 2L, "b", 0L, "c", 1L), 2).passed()).isTrue();
  }

  @Test
  void missingOptionInServerCountsIsReported() {
    ledger.sent(1, "x1", List.of("a"), 10);
    ledger.outcome(1, "x1", Outcome.APPLIED);

    PollLedger.Check c = ledger.check(Map.of("a", 1L), 1);
    assertThat(c.passed()).isFalse();
    assertThat(c.mismatches()).anyMatch(s -> s.contains("missing"));
  }

  @Test
  void firstAppliedSendTimesAreSortedAndIgnoreChanges() {
    ledger.sent(2, "b1", List.of("a"), 50);
    ledger.sent(1, "a1", List.of("a"), 40);
    ledger.outcome(2, "b1", Outcome.APPLIED);
    ledger.outcome(1, "a1", Outcome.APPLIED);
    ledger.sent(1, "a2", List.of("b"), 60);
    ledger.outcome(1, "a2", Outcome.APPLIED);

    assertThat(ledger.firstAppliedSendTimes()).containsExactly(40, 50);
  }
}
