package org.plenum.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.plenum.stage.PollOption;
import org.plenum.stage.Survey;
import org.plenum.stage.SurveyQuestion;
import org.plenum.stage.SurveyResults;

/** The JSON shape of a talk's feedback survey and its results as clients see them (issue 12; docs/rest.md#feedback-surveys). */
public final class SurveyWire {
  private SurveyWire() {}

  public static JsonObject survey(Survey s) {
    JsonArray questions = new JsonArray();
    for (SurveyQuestion q : s.questions()) {
      JsonObject j = new JsonObject().put("id", q.id()).put("kind", q.kind().wire()).put("text", q.text())
          .put("required", q.required());
      if (q.rules() != null) {
        if (q.rules().scale() != null) {
          j.put("scale", q.rules().scale());
        } else {
          JsonArray options = new JsonArray();
          for (PollOption o : q.rules().options()) {
            options.add(new JsonObject().put("id", o.id()).put("label", o.label()));
          }
          j.put("options", options).put("maxSelections", q.rules().maxSelections());
        }
      }
      if (q.maxLength() != null) {
        j.put("maxLength", q.maxLength());
      }
      questions.add(j);
    }
    return new JsonObject().put("stageId", s.stageId()).put("talkId", s.talkId()).put("state", s.state().wire())
        .put("questions", questions).put("createdAt", Wire.time(s.createdAt())).put("openedAt", Wire.time(s.openedAt()))
        .put("closedAt", Wire.time(s.closedAt()));
  }

  /** The results; {@code texts} only where the caller may read open-text answers (moderators, organisers). */
  public static JsonObject results(SurveyResults r) {
    JsonArray questions = new JsonArray();
    for (SurveyResults.QuestionResult q : r.questions()) {
      JsonObject j = new JsonObject().put("questionId", q.questionId()).put("kind", q.kind().wire()).put("answered", q.answered());
      if (q.distribution() != null) {
        j.put("counts", new JsonObject(new java.util.LinkedHashMap<>(q.distribution().counts())));
        if (q.distribution().mean() != null) {
          j.put("mean", q.distribution().mean());
        }
      }
      if (q.texts() != null) {
        j.put("texts", new JsonArray(new java.util.ArrayList<>(q.texts())));
      }
      questions.add(j);
    }
    return new JsonObject().put("talkId", r.talkId()).put("version", r.version()).put("respondents", r.respondents())
        .put("questions", questions);
  }
}
