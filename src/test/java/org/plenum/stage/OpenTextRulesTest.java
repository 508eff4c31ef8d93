package org.plenum.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

class OpenTextRulesTest {
  private static final Instant NOW = Instant.parse("2026-05-05T10:00:00Z");

  private static PollSpec text(List<String> options, Integer max, Integer scale) {
    return new PollSpec(PollKind.TEXT, "Was nehmen Sie mit?", options, max, scale, true, true);
  }

  private static ErrorCode code(Runnable r) {
    try {
      r.run();
    } catch (PlenumException e) {
      return e.code();
    }
    return null;
  }

  @Test
  void aTextPollHasNoOptionsNoScaleAndNoMaximum() {
    Poll poll = text(null, null, null).toPoll("pl1", "st1", NOW);
    assertThat(poll.kind()).isEqualTo(PollKind.TEXT);
    assertThat(poll.options()).isEmpty();
    assertThat(poll.isOpen()).isTrue();
    assertThat(code(() -> text(List.of("a", "b"), null, null).toPoll("pl1", "st1", NOW))).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(code(() -> text(null, 2, null).toPoll("pl1", "st1", NOW))).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(code(() -> text(null, null, 5).toPoll("pl1", "st1", NOW))).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(PollKind.parse("text")).isEqualTo(PollKind.TEXT);
  }

  @Test
  void aTextPollTakesNoVoteAndAChoicePollNoAnswer() {
    Poll textPoll = text(null, null, null).toPoll("pl1", "st1", NOW);
    assertThatThrownBy(() -> textPoll.ballot(List.of("a"), null)).isInstanceOf(PlenumException.class)
        .extracting(e -> ((PlenumException) e).code()).isEqualTo(ErrorCode.WRONG_POLL_KIND);
    Poll choice = new PollSpec(PollKind.SINGLE, "Welche?", List.of("A", "B"), null, null, true, true).toPoll("pl2", "st1", NOW);
    assertThat(code(() -> OpenTextRules.requireTextPoll(choice))).isEqualTo(ErrorCode.WRONG_POLL_KIND);
    assertThat(code(() -> OpenTextRules.requireTextPoll(textPoll))).isNull();
  }

  @Test
  void anAnswerIsAPostThatCarriesItsPollThroughEveryStep() {
    StageSettings moderated = new StageSettings(true, false, true);
    Post answer = Post.answer("qa1", "st1", "pl1", "alice", null, "  Offene Standards  ", moderated, NOW);
    assertThat(answer.kind()).isEqualTo(PostKind.ANSWER);
    assertThat(answer.text()).isEqualTo("Offene Standards");
    assertThat(answer.state()).as("answers follow the comment moderation").isEqualTo(PostState.PENDING);
    assertThat(answer.approve().pollId()).isEqualTo("pl1");
    assertThat(answer.reject().pollId()).isEqualTo("pl1");
    assertThat(answer.fromMutedAuthor().pollId()).isEqualTo("pl1");
    assertThat(answer.deleteByAuthor("alice").pollId()).isEqualTo("pl1");
    assertThat(Post.answer("qa2", "st1", "pl1", "bob", null, "x", StageSettings.DEFAULT, NOW).state())
        .isEqualTo(PostState.PUBLISHED);
    assertThat(code(() -> Post.answer("qa3", "st1", "pl1", "bob", null, "x".repeat(OpenTextRules.MAX_ANSWER + 1),
        StageSettings.DEFAULT, NOW))).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(code(() -> answer.markAnswered(true))).isEqualTo(ErrorCode.INVALID_STATE);
  }
}
