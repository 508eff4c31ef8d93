package org.plenum.stage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * The feedback survey of one talk (issue 12: "multi-question feedback survey per talk, rating +
 * choice + open text, self-paced", the standard way to evaluate a congress talk). One per talk,
 * named by the talk's id. Lifecycle as a poll's: draft → open → closed, a closed one may be
 * opened again; its questions may be changed only while nobody has answered (the caller checks
 * the response count). Immutable: each change returns a new Survey.
 */
public record Survey(String stageId, String talkId, List<SurveyQuestion> questions, Phase state,
                     Instant createdAt, Instant openedAt, Instant closedAt) {
  public static final int MAX_QUESTIONS = 20;

  /** A draft survey with {@code specs}, every rule checked; bad input is invalid_field and builds nothing. */
  public static Survey define(String stageId, String talkId, List<SurveyQuestion.Spec> specs, Instant now) {
    if (specs == null || specs.isEmpty() || specs.size() > MAX_QUESTIONS) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "questions: 1 to " + MAX_QUESTIONS + " questions");
    }
    List<SurveyQuestion> questions = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      questions.add(specs.get(i).toQuestion("q" + (i + 1), stageId, now));
    }
    return new Survey(stageId, talkId, List.copyOf(questions), Phase.DRAFT, now, null, null);
  }

  public boolean isOpen() {
    return state == Phase.OPEN;
  }

  public Survey open(Instant now) {
    return isOpen() ? this : new Survey(stageId, talkId, questions, Phase.OPEN, createdAt, now, null);
  }

  public Survey close(Instant now) {
    return state == Phase.CLOSED ? this : new Survey(stageId, talkId, questions, Phase.CLOSED, createdAt, openedAt, now);
  }

  /** The same survey with new questions (a redefinition), keeping its state and times. */
  public Survey withQuestions(List<SurveyQuestion> newQuestions) {
    return new Survey(stageId, talkId, List.copyOf(newQuestions), state, createdAt, openedAt, closedAt);
  }

  public SurveyQuestion question(String id) {
    for (SurveyQuestion q : questions) {
      if (q.id().equals(id)) {
        return q;
      }
    }
    return null;
  }

  /** One answer as a client sends it: {@code choices} or {@code rating} or {@code text}, by question kind. */
  public record Answer(List<String> choices, Integer rating, String text) {}

  /**
   * A participant's response, every answer checked by its question's rules (rating and choice
   * through {@link Poll#ballot}, text by size and shape); a required question left out, an unknown
   * question or a bad answer is refused with its code and the question's id, and nothing is kept.
   */
  public SurveyResponse response(Map<String, Answer> answers) {
    if (answers == null || answers.isEmpty()) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "answers: answer at least one question");
    }
    for (String id : answers.keySet()) {
      if (question(id) == null) {
        throw new PlenumException(ErrorCode.INVALID_OPTION, "answers: '" + abbreviate(id) + "' is not a question of this survey");
      }
    }
    List<String> keys = new ArrayList<>();
    Map<String, String> texts = new LinkedHashMap<>();
    for (SurveyQuestion q : questions) {
      Answer a = answers.get(q.id());
      if (a == null || a.choices() == null && a.rating() == null && (a.text() == null || a.text().isBlank())) {
        if (q.required()) {
          throw new PlenumException(ErrorCode.MISSING_FIELD, "answers." + q.id() + ": this question needs an answer");
        }
        continue;
      }
      if (q.kind() == SurveyQuestion.Kind.TEXT) {
        if (a.choices() != null || a.rating() != null) {
          throw new PlenumException(ErrorCode.INVALID_OPTION, "answers." + q.id() + ": an open-text question takes text");
        }
        String field = "answers." + q.id() + ".text";
        TextShape.check(a.text(), field, 4 * q.maxLength());
        String cleaned = TextRules.clean(a.text(), field);
        if (cleaned.codePointCount(0, cleaned.length()) > q.maxLength()) {
          throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": at most " + q.maxLength() + " characters");
        }
        if (cleaned.isEmpty()) {
          if (q.required()) {
            throw new PlenumException(ErrorCode.MISSING_FIELD, "answers." + q.id() + ": this question needs an answer");
          }
          continue;
        }
        texts.put(q.id(), cleaned);
        keys.add(q.id());
        continue;
      }
      if (a.text() != null) {
        throw new PlenumException(ErrorCode.INVALID_OPTION, "answers." + q.id() + ": text is only for open-text questions");
      }
      Ballot ballot;
      try {
        ballot = q.rules().ballot(a.choices(), a.rating());
      } catch (PlenumException e) {
        throw new PlenumException(e.code(), "answers." + q.id() + "." + e.getMessage());
      }
      keys.add(q.id());
      for (String k : ballot.keys()) {
        keys.add(q.id() + ":" + k);
      }
    }
    if (keys.isEmpty()) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "answers: answer at least one question");
    }
    return new SurveyResponse(new Ballot(List.copyOf(keys)), texts);
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
