package org.plenum.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plenum.stage.Survey;

/**
 * The {@code survey} client message (issue 12): a viewer's response to a talk's feedback survey,
 * {@code {"type":"survey","id":…,"talkId":…,"answers":{"q1":{"rating":4},"q2":{"choices":["a"]},
 * "q3":{"text":"…"}}}}. Shape only, bounded before anything else: at most
 * {@link Survey#MAX_QUESTIONS} answers, 100 choices each, text at most 8,000 characters as sent;
 * the survey's own rules are {@link Survey#response}'s.
 */
final class SurveyAnswersCodec {
  static final int MAX_RAW_TEXT = 8000;

  private SurveyAnswersCodec() {}

  static ClientMessage.SurveyAnswers decode(JsonObject json, String id) {
    Object talk = json.getValue("talkId");
    if (talk == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "talkId: required");
    }
    if (!(talk instanceof String talkId)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "talkId: must be a string");
    }
    Object raw = json.getValue("answers");
    if (raw == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "answers: required");
    }
    if (!(raw instanceof JsonObject answers) || answers.size() > Survey.MAX_QUESTIONS) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "answers: an object of at most " + Survey.MAX_QUESTIONS
          + " answers by question id");
    }
    Map<String, Survey.Answer> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : answers) {
      String field = "answers." + (e.getKey().length() > 20 ? e.getKey().substring(0, 20) + "…" : e.getKey());
      if (!(e.getValue() instanceof JsonObject a)) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": an object with choices, rating or text");
      }
      List<String> choices = null;
      Object c = a.getValue("choices");
      if (c != null) {
        if (!(c instanceof JsonArray array) || array.size() > 100) {
          throw new PlenumException(ErrorCode.INVALID_FIELD, field + ".choices: an array of option ids");
        }
        choices = new ArrayList<>(array.size());
        for (Object o : array) {
          if (!(o instanceof String s)) {
            throw new PlenumException(ErrorCode.INVALID_FIELD, field + ".choices: an array of option ids (strings)");
          }
          choices.add(s);
        }
      }
      Integer rating = null;
      Object r = a.getValue("rating");
      if (r != null) {
        if (!(r instanceof Integer || r instanceof Long)) {
          throw new PlenumException(ErrorCode.INVALID_FIELD, field + ".rating: a whole number");
        }
        rating = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, ((Number) r).longValue()));
      }
      String text = null;
      Object t = a.getValue("text");
      if (t != null) {
        if (!(t instanceof String s) || s.length() > MAX_RAW_TEXT) {
          throw new PlenumException(ErrorCode.INVALID_FIELD, field + ".text: a string of at most "
              + org.plenum.stage.SurveyQuestion.MAX_TEXT_ANSWER + " characters");
        }
        text = s;
      }
      int given = (choices == null ? 0 : 1) + (rating == null ? 0 : 1) + (text == null ? 0 : 1);
      if (given > 1) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": send only one of choices, rating or text");
      }
      out.put(e.getKey(), new Survey.Answer(choices, rating, text));
    }
    return new ClientMessage.SurveyAnswers(id, talkId, out);
  }
}
