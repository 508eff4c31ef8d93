package org.plenum.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plenum.engine.EngineRefusal;

/**
 * The engines refuse by code and facts; the edge words the refusal. The texts are the ones clients
 * read when the engines still wrote them, so what clients see did not change.
 */
class RefusalTextsTest {

  private static String text(ErrorCode code, Object... facts) {
    EngineRefusal refusal = EngineRefusal.of(code, facts);
    assertThat(refusal.worded()).isFalse();
    assertThat(refusal.code()).isEqualTo(code);
    return RefusalTexts.message(refusal);
  }

  @Test
  void theEnginesRefusalsReadAsBefore() {
    assertThat(text(ErrorCode.UNKNOWN_POLL, RefusalTexts.POLL, "po1")).isEqualTo("No poll po1 on this stage.");
    assertThat(text(ErrorCode.POLL_NOT_OPEN, RefusalTexts.POLL, "po1", RefusalTexts.PHASE, "closed"))
        .isEqualTo("Poll po1 is closed.");
    assertThat(text(ErrorCode.UNKNOWN_EVENT, RefusalTexts.EVENT, "ev1")).isEqualTo("No event ev1.");
    assertThat(text(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, "st1")).isEqualTo("No stage st1.");
    assertThat(text(ErrorCode.UNKNOWN_CLOUD, RefusalTexts.CLOUD, "wc1")).isEqualTo("No word cloud wc1 on this stage.");
    assertThat(text(ErrorCode.CLOUD_NOT_OPEN, RefusalTexts.CLOUD, "wc1", RefusalTexts.PHASE, "draft"))
        .isEqualTo("Word cloud wc1 is draft.");
    assertThat(text(ErrorCode.ALREADY_SUBMITTED)).isEqualTo("You have already submitted this word.");
    assertThat(text(ErrorCode.TOO_MANY_ENTRIES, RefusalTexts.MAX_ENTRIES, 1))
        .isEqualTo("You have submitted 1 entry, the most this cloud takes.");
    assertThat(text(ErrorCode.TOO_MANY_ENTRIES, RefusalTexts.MAX_ENTRIES, 3))
        .isEqualTo("You have submitted 3 entries, the most this cloud takes.");
    assertThat(text(ErrorCode.UNKNOWN_WORD, RefusalTexts.KEY, "ki")).isEqualTo("Nobody submitted 'ki' to this cloud.");
    assertThat(text(ErrorCode.UNKNOWN_WORD)).isEqualTo("Nobody submitted that word to this cloud.");
    assertThat(text(ErrorCode.INVALID_FIELD, RefusalTexts.KEY, "ki")).isEqualTo("into: a word cannot be merged into itself.");
    assertThat(text(ErrorCode.UNKNOWN_POST, RefusalTexts.POST, "qu1")).isEqualTo("No post qu1 on this stage.");
    assertThat(text(ErrorCode.UNKNOWN_TALK, RefusalTexts.TALK, "tk1", RefusalTexts.STAGE, "st1"))
        .isEqualTo("No talk tk1 on stage st1.");
    assertThat(text(ErrorCode.UNKNOWN_MODERATOR, RefusalTexts.MODERATOR, "md1", RefusalTexts.EVENT, "ev1"))
        .isEqualTo("No moderator access md1 on event ev1.");
    assertThat(text(ErrorCode.UNAVAILABLE)).isEqualTo("The server cannot store changes right now; retry with the same id.");
    assertThat(text(ErrorCode.UNAVAILABLE, RefusalTexts.CAUSE, "No space left on device"))
        .isEqualTo("The server could not store this change (No space left on device); nothing was kept: retry with the same id.");
    assertThat(text(ErrorCode.UNAVAILABLE, RefusalTexts.WRITE_FAILED, true))
        .isEqualTo("The server could not store this change; retry with the same id.");
    assertThat(text(ErrorCode.OUTCOME_UNKNOWN)).isEqualTo("Redis did not answer in time; the action may or may not have been"
        + " applied. Resend it with the same id: it is applied at most once.");
  }

  @Test
  void aWordedRefusalKeepsItsOwnText() {
    PlenumException worded = new PlenumException(ErrorCode.INVALID_OPTION, "choices: choose at least one option");
    assertThat(worded.worded()).isTrue();
    assertThat(worded.facts()).isEmpty();
    assertThat(RefusalTexts.message(worded)).isEqualTo("choices: choose at least one option");
  }

  @Test
  void bothEdgesWordTheRefusal() {
    EngineRefusal refusal = EngineRefusal.of(ErrorCode.UNKNOWN_POLL, RefusalTexts.POLL, "po1");
    assertThat(ServerMessages.error("a1", refusal).getString("message")).isEqualTo("No poll po1 on this stage.");
    assertThat(refusal.facts()).isEqualTo(Map.of(RefusalTexts.POLL, "po1"));
  }
}
