package org.plenum.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

class RankingBallotTest {
  private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");

  private static Poll ranking() {
    return new PollSpec(PollKind.RANKING, "What first?", List.of("OZG", "KI", "Cloud"), null, null, true, true)
        .toPoll("pl1", "st1", NOW);
  }

  private static void assertRefused(Runnable r, ErrorCode code, String messagePart) {
    assertThatThrownBy(r::run).isInstanceOf(PlenumException.class)
        .satisfies(e -> assertThat(((PlenumException) e).code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  @Test
  void aRankingPollRanksEveryOptionAndTakesNoScaleOrOtherMaximum() {
    Poll p = ranking();
    assertThat(p.kind().wire()).isEqualTo("ranking");
    assertThat(p.maxSelections()).isEqualTo(3);
    assertThat(p.choiceKeys()).containsExactly("a", "b", "c");
    assertThat(PollKind.parse("ranking")).isEqualTo(PollKind.RANKING);
    assertRefused(() -> new PollSpec(PollKind.RANKING, "Q", List.of("A", "B"), 1, null, true, true).toPoll("p", "s", NOW),
        ErrorCode.INVALID_FIELD, "maxSelections");
    assertRefused(() -> new PollSpec(PollKind.RANKING, "Q", List.of("A"), null, null, true, true).toPoll("p", "s", NOW),
        ErrorCode.INVALID_FIELD, "2 to 20");
    assertRefused(() -> new PollSpec(PollKind.RANKING, "Q", List.of("A", "B"), null, 5, true, true).toPoll("p", "s", NOW),
        ErrorCode.INVALID_FIELD, "scale");
  }

  @Test
  void anOrderBecomesKeysOfOptionAndPosition() {
    Ballot b = ranking().ballot(List.of("c", "a", "b"), null);
    assertThat(b.keys()).containsExactly("a@2", "b@3", "c@1");
    assertThat(Ballot.decode(b.encode())).isEqualTo(b);
    assertThat(RankingBallot.order(b)).containsExactly("c", "a", "b");
    for (PollOption o : ranking().options()) {
      assertThat(o.id()).as("option ids never hold the separators").doesNotContain("@", ",");
    }
  }

  @Test
  void anIncompleteRepeatedOrForeignOrderIsRefused() {
    Poll p = ranking();
    assertRefused(() -> p.ballot(List.of("a", "b"), null), ErrorCode.INVALID_OPTION, "2 of 3 options ranked");
    assertRefused(() -> p.ballot(List.of("a", "b", "a"), null), ErrorCode.INVALID_OPTION, "'a' is ranked twice");
    assertRefused(() -> p.ballot(List.of("a", "b", "z"), null), ErrorCode.INVALID_OPTION, "'z' is not an option");
    assertRefused(() -> p.ballot(List.of("a", "b", "c", "d"), null), ErrorCode.TOO_MANY_SELECTIONS, "4 entries");
    assertRefused(() -> p.ballot(List.of(), null), ErrorCode.INVALID_OPTION, "0 of 3");
    assertRefused(() -> p.ballot(null, 3), ErrorCode.INVALID_OPTION, "ranking poll");
    assertRefused(() -> p.ballot(List.of("a@1", "b", "c"), null), ErrorCode.INVALID_OPTION, "not an option");
  }

  @Test
  void bordaGivesNMinusOnePointsForFirstDownToZeroForLast() {
    Poll p = ranking();
    PollTally tally = new PollTally();
    tally.apply("alice", p.ballot(List.of("b", "a", "c"), null));
    tally.apply("bob", p.ballot(List.of("b", "c", "a"), null));
    PollResults r = tally.results(p);
    assertThat(r.counts()).containsExactly(Map.entry("a", 1L), Map.entry("b", 4L), Map.entry("c", 1L));
    assertThat(r.ranking().distribution().get("b")).containsExactly(2L, 0L, 0L);
    assertThat(r.ranking().meanRank()).containsEntry("a", 2.5).containsEntry("b", 1.0).containsEntry("c", 2.5);
    assertThat(r.ranking().maxPoints()).isEqualTo(4);
    assertThat(tally.remove("alice")).isTrue();
    assertThat(tally.remove("alice")).isFalse();
    PollResults after = tally.results(p);
    assertThat(after.counts()).containsExactly(Map.entry("a", 0L), Map.entry("b", 2L), Map.entry("c", 1L));
    assertThat(after.voters()).isEqualTo(1);
    assertThat(after.version()).isEqualTo(3);
  }

  @Test
  void withoutVotersMeanRanksAreNull() {
    PollResults r = new PollTally().results(ranking());
    assertThat(r.counts()).containsExactly(Map.entry("a", 0L), Map.entry("b", 0L), Map.entry("c", 0L));
    assertThat(r.ranking().meanRank()).containsEntry("a", null);
    assertThat(r.ranking().maxPoints()).isZero();
  }
}
