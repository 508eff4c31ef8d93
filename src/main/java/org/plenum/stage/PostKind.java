package org.plenum.stage;

import java.util.Locale;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/** What the audience posts: questions (Q&amp;A, with upvotes) and messages (comments, feedback). */
public enum PostKind {
  QUESTION, COMMENT, FEEDBACK,
  /** A written answer to an open-text poll ({@link PollKind#TEXT}); it carries the poll's id. */
  ANSWER;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PostKind parse(String s) {
    for (PostKind k : values()) {
      if (k.wire().equals(s)) {
        return k;
      }
    }
    throw new PlenumException(ErrorCode.INVALID_FIELD, "kind: must be question, comment, feedback or answer");
  }
}
