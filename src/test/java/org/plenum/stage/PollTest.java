package org.plenum.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

class PollTest {
  private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");

  private static Poll single() {
    return new PollSpec(PollKind.SINGLE, "Which?", List.of("Ja", "Nein"), null, null, false, true).toPoll("pl1", "st1", NOW);
  }

  private static Poll multiple(int max) {
    return new PollSpec(PollKind.MULTIPLE, "Topics?", List.of("KI", "Cloud", "OZG", "eID"), max, null, false, true)
        .toPoll("pl2", "st1", NOW);
  }

  private static Poll rating(int scale) {
    return new PollSpec(PollKind.RATING, "How was it?", null, null, scale, true, false).toPoll("pl3", "st1", NOW);
  }

  private static void assertRefused(Runnable r, ErrorCode code, String messagePart) {
    assertThatThrownBy(r::run).isInstanceOf(PlenumException.class)
        .satisfies(e -> assertThat(((PlenumException) e).code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  @Test
  void optionsGetLetterIdsInOrder() {
    assertThat(single().options()).extracting(PollOption::id).containsExactly("a", "b");
    assertThat(single().choiceKeys()).containsExactly("a", "b");
    assertThat(single().state()).isEqualTo(Phase.OPEN);
  }

  @Test
  void ratingPollCountsUnderItsValues() {
    assertThat(rating(5).choiceKeys()).containsExactly("1", "2", "3", "4", "5");
    assertThat(rating(10).choiceKeys()).hasSize(10).endsWith("10");
    assertThat(rating(5).state()).isEqualTo(Phase.DRAFT);
  }

  @Test
  void specRulesAreEnforced() {
    assertRefused(() -> new PollSpec(PollKind.SINGLE, " ", List.of("a", "b"), null, null, false, false).toPoll("p", "s", NOW),
        ErrorCode.INVALID_FIELD, "question");
    assertRefused(() -> new PollSpec(PollKind.SINGLE, "Q", List.of("only"), null, null, false, false).toPoll("p", "s", NOW),
        ErrorCode.INVALID_FIELD, "2 to 20 options");
    assertRefused(() -> new PollSpec(PollKind.SINGLE, "Q", List.of("Ja", "ja"), null, null, false, false).toPoll("p", "s", NOW),
        ErrorCode.INVALID_FIELD, "listed twice");
    assertRefused(() -> new PollSpec(PollKind.MULTIPLE, "Q", List.of("a", "b"), 3, null, false, false).toPoll("p", "s", NOW),
        ErrorCode.INVALID_FIELD, "maxSelections");
    assertRefused(() -> new PollSpec(PollKind.RATING, "Q", null, null, 7, false, false).toPoll("p", "s", NOW),
        ErrorCode.INVALID_FIELD, "scale");
    assertRefused(() -> new PollSpec(PollKind.RATING, "Q", List.of("a", "b"), null, 5, false, false).toPoll("p", "s", NOW),
        ErrorCode.INVALID_FIELD, "options");
    assertRefused(() -> new PollSpec(PollKind.SINGLE, "Q", List.of("a", "b"), null, 5, false, false).toPoll("p", "s", NOW),
        ErrorCode.INVALID_FIELD, "scale");
    assertRefused(() -> new PollSpec(PollKind.SINGLE, "x".repeat(301), List.of("a", "b"), null, null, false, false).toPoll("p", "s", NOW),
        ErrorCode.INVALID_FIELD, "question");
  }

  @Test
  void singleChoiceBallotTakesExactlyOneKnownOption() {
    assertThat(single().ballot(List.of("b"), null).keys()).containsExactly("b");
    assertRefused(() -> single().ballot(List.of("a", "b"), null), ErrorCode.TOO_MANY_SELECTIONS, "at most 1 option");
    assertRefused(() -> single().ballot(List.of("z"), null), ErrorCode.INVALID_OPTION, "'z' is not an option");
    assertRefused(() -> single().ballot(List.of(), null), ErrorCode.INVALID_OPTION, "at least one");
    assertRefused(() -> single().ballot(null, 3), ErrorCode.INVALID_OPTION, "send choices");
  }

  @Test
  void multipleChoiceBallotIsSortedDistinctAndCapped() {
    assertThat(multiple(3).ballot(List.of("c", "a"), null).keys()).containsExactly("a", "c");
    assertRefused(() -> multiple(2).ballot(List.of("a", "b", "c"), null), ErrorCode.TOO_MANY_SELECTIONS, "at most 2");
    assertRefused(() -> multiple(3).ballot(List.of("a", "a"), null), ErrorCode.INVALID_OPTION, "chosen twice");
  }

  @Test
  void ratingBallotIsWithinScale() {
    assertThat(rating(5).ballot(null, 5).keys()).containsExactly("5");
    assertRefused(() -> rating(5).ballot(null, 6), ErrorCode.INVALID_OPTION, "1 to 5");
    assertRefused(() -> rating(5).ballot(null, 0), ErrorCode.INVALID_OPTION, "1 to 5");
    assertRefused(() -> rating(5).ballot(List.of("3"), null), ErrorCode.INVALID_OPTION, "rating poll");
  }

  @Test
  void lifecycleMovesDraftOpenClosedAndReopens() {
    Poll draft = rating(5);
    Poll open = draft.open(NOW);
    Poll closed = open.close(NOW.plusSeconds(60));
    assertThat(open.isOpen()).isTrue();
    assertThat(open.open(NOW)).isSameAs(open);
    assertThat(closed.state()).isEqualTo(Phase.CLOSED);
    assertThat(closed.closedAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(closed.open(NOW.plusSeconds(120)).closedAt()).isNull();
    assertThat(draft.isPublic()).isFalse();
    assertThat(closed.isPublic()).isTrue();
  }

  @Test
  void resultsListEveryKeyAndTheMeanOfRatings() {
    PollResults r = PollResults.of(rating(5), 7, 4, Map.of("5", 2L, "3", 1L, "1", 1L));
    assertThat(r.counts()).containsExactly(Map.entry("1", 1L), Map.entry("2", 0L), Map.entry("3", 1L),
        Map.entry("4", 0L), Map.entry("5", 2L));
    assertThat(r.mean()).isEqualTo(3.5);
    assertThat(PollResults.of(rating(5), 0, 0, Map.of()).mean()).isNull();
    assertThat(PollResults.of(single(), 1, 1, Map.of("a", 1L)).mean()).isNull();
  }

  @Test
  void ballotEncodingRoundTrips() {
    Ballot b = new Ballot(List.of("a", "c"));
    assertThat(Ballot.decode(b.encode())).isEqualTo(b);
  }
}
