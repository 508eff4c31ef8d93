package org.plenum.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.plenum.engine.Engine;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.protocol.SurveyWire;
import org.plenum.stage.Ids;
import org.plenum.stage.Survey;
import org.plenum.stage.SurveyQuestion;
import org.plenum.stage.Times;

/**
 * REST of the talks' feedback surveys (issue 12; docs/rest.md#feedback-surveys): a moderator or
 * the organiser defines a talk's survey ({@code PUT}, while nobody has answered), opens and closes
 * it; {@code GET} shows an open or closed survey to anyone (a draft only to moderators) and its
 * results to moderators only, open-text answers included. Viewers answer over the WebSocket
 * ({@code survey} message).
 */
final class SurveyRoutes {
  private final Engine engine;

  SurveyRoutes(Engine engine) {
    this.engine = engine;
  }

  void define(RoutingContext ctx) {
    String stageId = ctx.pathParam("stageId");
    String talkId = ctx.pathParam("talkId");
    List<SurveyQuestion.Spec> specs = specs(body(ctx));
    Survey fresh = Survey.define(stageId, talkId, specs, Times.now()); // every rule checked before anything is read
    reply(ctx, 200, engine.survey(stageId, talkId).compose(found -> {
      if (found.isEmpty()) {
        return engine.saveSurvey(fresh);
      }
      return engine.surveyResults(found.get()).compose(r -> r.respondents() > 0
          ? Future.<Survey>failedFuture(new PlenumException(ErrorCode.INVALID_STATE,
              "questions: this survey has responses; its questions can no longer change"))
          : engine.saveSurvey(found.get().withQuestions(fresh.questions())));
    }).map(s -> new JsonObject().put("survey", SurveyWire.survey(s))));
  }

  void open(RoutingContext ctx) {
    step(ctx, s -> s.open(Times.now()));
  }

  void close(RoutingContext ctx) {
    step(ctx, s -> s.close(Times.now()));
  }

  private void step(RoutingContext ctx, UnaryOperator<Survey> change) {
    reply(ctx, 200, find(ctx, true).compose(s -> engine.saveSurvey(change.apply(s)))
        .compose(s -> engine.surveyResults(s).map(r -> new JsonObject().put("survey", SurveyWire.survey(s))
            .put("results", SurveyWire.results(r)))));
  }

  /** {@code {survey, results}}: results (with texts) for moderators, null for everyone else. */
  void get(RoutingContext ctx, boolean moderator) {
    reply(ctx, 200, find(ctx, moderator).compose(s -> moderator
        ? engine.surveyResults(s).map(r -> new JsonObject().put("survey", SurveyWire.survey(s)).put("results", SurveyWire.results(r)))
        : Future.succeededFuture(new JsonObject().put("survey", SurveyWire.survey(s)).putNull("results"))));
  }

  private Future<Survey> find(RoutingContext ctx, boolean moderator) {
    String stageId = ctx.pathParam("stageId");
    String talkId = ctx.pathParam("talkId");
    if (!Ids.isSafeId(talkId)) {
      return Future.failedFuture(unknown(talkId));
    }
    return engine.survey(stageId, talkId).compose(found -> found.isEmpty() || !moderator && found.get().state() == org.plenum.stage.Phase.DRAFT
        ? Future.failedFuture(unknown(talkId)) : Future.succeededFuture(found.get()));
  }

  private static PlenumException unknown(String talkId) {
    return new PlenumException(ErrorCode.UNKNOWN_SURVEY, "No feedback survey for talk " + talkId + " on this stage.");
  }

  private static List<SurveyQuestion.Spec> specs(JsonObject body) {
    Object raw = body.getValue("questions");
    if (raw == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "questions: required");
    }
    if (!(raw instanceof JsonArray array) || array.size() > Survey.MAX_QUESTIONS) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "questions: an array of 1 to " + Survey.MAX_QUESTIONS + " questions");
    }
    List<SurveyQuestion.Spec> specs = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String field = "questions[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject q)) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": an object");
      }
      Object kind = q.getValue("kind");
      if (!(kind instanceof String k)) {
        throw new PlenumException(kind == null ? ErrorCode.MISSING_FIELD : ErrorCode.INVALID_FIELD, field + ".kind: rating, single, multiple or text");
      }
      Object text = q.getValue("text");
      if (!(text instanceof String t)) {
        throw new PlenumException(text == null ? ErrorCode.MISSING_FIELD : ErrorCode.INVALID_FIELD, field + ".text: a string");
      }
      List<String> options = null;
      if (q.getValue("options") != null) {
        if (!(q.getValue("options") instanceof JsonArray o) || o.size() > 100) {
          throw new PlenumException(ErrorCode.INVALID_FIELD, field + ".options: an array of labels");
        }
        options = new ArrayList<>();
        for (Object label : o) {
          if (!(label instanceof String l)) {
            throw new PlenumException(ErrorCode.INVALID_FIELD, field + ".options: every label a string");
          }
          options.add(l);
        }
      }
      Object required = q.getValue("required");
      if (required != null && !(required instanceof Boolean)) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, field + ".required: true or false");
      }
      specs.add(new SurveyQuestion.Spec(SurveyQuestion.Kind.parse(k), t, options, whole(q, "maxSelections", field),
          whole(q, "scale", field), whole(q, "maxLength", field), Boolean.TRUE.equals(required)));
    }
    return specs;
  }

  private static Integer whole(JsonObject q, String name, String field) {
    Object v = q.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long) || Math.abs(((Number) v).longValue()) > 100_000) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + "." + name + ": a whole number");
    }
    return ((Number) v).intValue();
  }

  private static JsonObject body(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      throw new PlenumException(ErrorCode.BAD_JSON, "The request needs a JSON object body.");
    }
    try {
      return new JsonObject(raw);
    } catch (DecodeException | ClassCastException e) {
      throw new PlenumException(ErrorCode.BAD_JSON, "The body is not a JSON object.");
    }
  }

  private static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(ar.result().toBuffer());
      } else {
        ApiRoutes.fail(ctx, ar.cause());
      }
    });
  }
}
