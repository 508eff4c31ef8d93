package org.plenum.stage;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * One question of a talk's feedback survey (issue 12): a rating, a single or multiple choice, or
 * an open text. A rating or choice question keeps its rules as a {@link Poll} ({@code rules}),
 * built and checked by {@link PollSpec} and answered through {@link Poll#ballot}: the survey uses
 * exactly the poll's rules for options, scales and selections, not a second copy of them.
 *
 * @param id        {@code q1}, {@code q2}, … in the survey's order
 * @param rules     the poll rules of a rating or choice question; null for text
 * @param maxLength the most characters an open-text answer may have; null for the others
 * @param required  whether a response must answer it
 */
public record SurveyQuestion(String id, Kind kind, String text, Poll rules, Integer maxLength, boolean required) {
  public static final int MAX_TEXT_ANSWER = 2000;
  public static final int DEFAULT_TEXT_ANSWER = 500;

  /** What kind of answer a question takes. */
  public enum Kind {
    RATING, SINGLE, MULTIPLE, TEXT;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.wire().equals(s)) {
          return k;
        }
      }
      throw new PlenumException(ErrorCode.INVALID_FIELD, "kind: must be rating, single, multiple or text");
    }

    PollKind pollKind() {
      return switch (this) {
        case RATING -> PollKind.RATING;
        case SINGLE -> PollKind.SINGLE;
        case MULTIPLE -> PollKind.MULTIPLE;
        case TEXT -> throw new IllegalStateException("an open-text question has no poll rules");
      };
    }
  }

  /** What an organiser or moderator asks for; {@link #toQuestion} checks every rule. */
  public record Spec(Kind kind, String text, List<String> options, Integer maxSelections, Integer scale,
                     Integer maxLength, boolean required) {

    SurveyQuestion toQuestion(String id, String stageId, Instant now) {
      String field = "questions[" + (Integer.parseInt(id.substring(1)) - 1) + "]";
      if (kind == null) {
        throw new PlenumException(ErrorCode.MISSING_FIELD, field + ".kind: required");
      }
      if (kind == Kind.TEXT) {
        if (options != null || maxSelections != null || scale != null) {
          throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": an open-text question has no options or scale");
        }
        String q = text == null ? "" : text.strip();
        if (q.isEmpty() || q.length() > PollSpec.MAX_QUESTION) {
          throw new PlenumException(ErrorCode.INVALID_FIELD, field + ".text: 1-" + PollSpec.MAX_QUESTION + " characters");
        }
        int max = maxLength == null ? DEFAULT_TEXT_ANSWER : maxLength;
        if (max < 1 || max > MAX_TEXT_ANSWER) {
          throw new PlenumException(ErrorCode.INVALID_FIELD, field + ".maxLength: 1-" + MAX_TEXT_ANSWER);
        }
        return new SurveyQuestion(id, kind, q, null, max, required);
      }
      if (maxLength != null) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, field + ".maxLength: only for open-text questions");
      }
      Poll rules;
      try {
        rules = new PollSpec(kind.pollKind(), text, options, maxSelections, scale, false, true).toPoll(id, stageId, now);
      } catch (PlenumException e) {
        throw new PlenumException(e.code(), field + "." + e.getMessage()); // the poll's own rule, named by question
      }
      return new SurveyQuestion(id, kind, rules.question(), rules, null, required);
    }
  }
}
