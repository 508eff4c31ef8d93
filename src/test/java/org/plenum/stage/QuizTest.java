package org.plenum.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/** The quiz's rules, pure: the key, scoring with and without speed bonus, nicknames, standings. */
class QuizTest {
  private static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");

  private static PollSpec spec(List<Integer> correct, Integer points, Boolean bonus) {
    return new PollSpec(PollKind.QUIZ, "Q?", List.of("A", "B", "C"), null, null, false, true, 20, correct, points, bonus);
  }

  @Test
  void aQuizQuestionNeedsAKeyThatLeavesAWrongOption() {
    Poll quiz = spec(List.of(2, 0), null, null).toPoll("po1", "st1", T0);
    assertThat(quiz.quiz()).isEqualTo(new QuizRules(List.of("a", "c"), 1000, false));
    assertThat(quiz.maxSelections()).as("as many choices as correct options").isEqualTo(2);
    for (List<Integer> bad : List.of(List.<Integer>of(), List.of(3), List.of(0, 0), List.of(0, 1, 2))) {
      assertThatThrownBy(() -> spec(bad, null, null).toPoll("po1", "st1", T0))
          .isInstanceOf(PlenumException.class).extracting(e -> ((PlenumException) e).code()).isEqualTo(ErrorCode.INVALID_FIELD);
    }
    assertThatThrownBy(() -> spec(List.of(0), 0, null).toPoll("po1", "st1", T0)).isInstanceOf(PlenumException.class);
    assertThatThrownBy(() -> new PollSpec(PollKind.SINGLE, "Q?", List.of("A", "B"), null, null, false, true, null,
        List.of(0), null, null).toPoll("po1", "st1", T0)).as("a key on a poll").isInstanceOf(PlenumException.class);
  }

  @Test
  void aCorrectAnswerEarnsItsPointsAndTheSpeedBonusFallsToHalfAtTheDeadline() {
    QuizRules rules = new QuizRules(List.of("a"), 1000, true);
    Instant closes = T0.plusSeconds(20);
    Ballot right = new Ballot(List.of("a"));
    assertThat(rules.points(right, T0, closes, T0.toEpochMilli())).isEqualTo(1000);
    assertThat(rules.points(right, T0, closes, T0.plusSeconds(10).toEpochMilli())).isEqualTo(750);
    assertThat(rules.points(right, T0, closes, closes.toEpochMilli())).isEqualTo(500);
    assertThat(rules.points(right, T0, closes, closes.plusSeconds(5).toEpochMilli())).as("clamped").isEqualTo(500);
    assertThat(rules.points(new Ballot(List.of("b")), T0, closes, T0.toEpochMilli())).isZero();
    assertThat(new QuizRules(List.of("a"), 1000, false).points(right, T0, closes, closes.toEpochMilli()))
        .as("no bonus: full points").isEqualTo(1000);
    assertThat(rules.points(right, T0, null, T0.plusSeconds(99).toEpochMilli())).as("no timer: full points").isEqualTo(1000);
    assertThat(new QuizRules(List.of("a"), 1, true).points(right, T0, closes, closes.toEpochMilli()))
        .as("a correct answer always earns at least one point").isEqualTo(1);
  }

  @Test
  void nicknamesAreCheckedBeforeAnythingIsStored() {
    Blocklist blocklist = new Blocklist(List.of("Bürokratiemonster"));
    assertThat(Nickname.chosen("  Ada Lovelace ", true, blocklist)).isEqualTo(new Nickname("Ada Lovelace", true));
    for (String bad : List.of("A", "x".repeat(25), "Ada\u0007", "Ada\u200BL", "Ada  L")) {
      assertThatThrownBy(() -> Nickname.chosen(bad, true, blocklist)).extracting(e -> ((PlenumException) e).code())
          .isEqualTo(ErrorCode.INVALID_NICKNAME);
    }
    assertThatThrownBy(() -> Nickname.chosen("Bürokratiemonster", true, blocklist))
        .extracting(e -> ((PlenumException) e).code()).isEqualTo(ErrorCode.BLOCKED_WORD);
    assertThat(Nickname.generated("p-1")).isEqualTo(Nickname.generated("p-1")).matches("[A-Z][a-z]+ [A-Z][a-z]+ \\d{1,2}");
    assertThat(Nickname.decode(new Nickname("Ada: L", false).encode())).isEqualTo(new Nickname("Ada: L", false));
  }

  @Test
  void standingsRankByPointsWithTiesByIdAndLeaveOptedOutParticipantsOffTheBoard() {
    QuizScores s = new QuizScores();
    s.score("q1", "p-a", 900, true);
    s.score("q1", "p-b", 900, true);
    s.score("q1", "p-c", 0, false);
    s.nickname("p-b", new Nickname("Bea", false));
    assertThat(s.answered("q1", "p-a")).isTrue();
    Leaderboard board = s.top(10);
    assertThat(board.scored()).isEqualTo(3);
    assertThat(board.entries()).extracting(Leaderboard.Entry::nickname).containsExactly(Nickname.generated("p-a"), Nickname.generated("p-c"));
    assertThat(s.standing("p-b").rank()).as("p-b before p-a on a tie").isEqualTo(1);
    assertThat(s.standing("p-a").rank()).isEqualTo(2);
    assertThat(s.standing("p-z").rank()).isZero();
  }
}
