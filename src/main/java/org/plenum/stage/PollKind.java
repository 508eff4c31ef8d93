package org.plenum.stage;

import java.util.Locale;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

public enum PollKind {
  SINGLE, MULTIPLE, RATING,
  /** Viewers order every option; results are Borda points ({@link BordaResults}). */
  RANKING,
  /** An open-text question: it takes written answers (posts of kind answer), no votes. */
  TEXT,
  /** A quiz question: choices like a choice poll, some of them correct ({@link QuizRules}), answered once, scored. */
  QUIZ;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PollKind parse(String s) {
    for (PollKind k : values()) {
      if (k.wire().equals(s)) {
        return k;
      }
    }
    throw new PlenumException(ErrorCode.INVALID_FIELD, "kind: must be single, multiple, rating, ranking, text or quiz");
  }
}
