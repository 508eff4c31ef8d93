package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * Issue 12, a talk's feedback survey over real HTTP and WebSockets: a moderator defines it
 * (bad questions refused), opens and closes it; viewers answer with the {@code survey} message
 * (bad answers refused with their code, nothing counted; a resubmission replaces; a retried id
 * counts once); moderators read the aggregated results with the open texts, the audience never
 * the texts; the survey survives a restart and goes with its talk. Memory engine with a data
 * directory; {@link TalkSurveyOnRedisTest} runs the same on Redis.
 */
class TalkSurveyTest {
  @TempDir
  Path dataDir;

  Vertx serverVertx;
  Vertx clientVertx;
  PlenumServer server;
  Http http;
  String stageId;
  String talkId;

  Map<String, String> engine() {
    return Map.of("PLENUM_DATA_DIR", dataDir.toString());
  }

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    boot();
    stageId = await(http.stage()).getString("id");
    talkId = await(http.post("/api/v1/stages/" + stageId + "/talks", new JsonObject().put("title", "Digitale Verwaltung")
        .put("speakers", "Dr. A. Beispiel").put("startsAt", "2026-12-04T09:00:00Z").put("endsAt", "2026-12-04T10:00:00Z")))
        .json().getString("id");
  }

  private void boot() {
    server = await(TestServer.start(serverVertx, new HashMap<>(engine())));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private String survey() {
    return "/api/v1/stages/" + stageId + "/talks/" + talkId + "/survey";
  }

  private static JsonObject questions() {
    return new JsonObject().put("questions", new JsonArray()
        .add(new JsonObject().put("kind", "rating").put("text", "Wie fanden Sie den Vortrag?").put("scale", 5).put("required", true))
        .add(new JsonObject().put("kind", "multiple").put("text", "Was war gut?").put("options", new JsonArray().add("Inhalt").add("Folien").add("Vortrag")).put("maxSelections", 2))
        .add(new JsonObject().put("kind", "text").put("text", "Was sollten wir ändern?").put("maxLength", 50)));
  }

  @Test
  void viewersAnswerAnOpenSurveyAndModeratorsSeeTheResults() {
    // bad definitions change nothing
    error(await(http.send(HttpMethod.PUT, survey(), new JsonObject().put("questions", new JsonArray()
        .add(new JsonObject().put("kind", "rating").put("text", "?").put("scale", 7))), TestServer.ORGANISER_TOKEN)), 400, "invalid_field");
    error(await(http.send(HttpMethod.PUT, "/api/v1/stages/" + stageId + "/talks/tk-nope/survey", questions(), TestServer.ORGANISER_TOKEN)),
        404, "unknown_talk");
    assertThat(await(http.send(HttpMethod.PUT, survey(), questions(), null)).status()).isEqualTo(401);
    JsonObject defined = await(http.send(HttpMethod.PUT, survey(), questions(), TestServer.ORGANISER_TOKEN)).json();
    assertThat(defined.getJsonObject("survey").getString("state")).isEqualTo("draft");
    assertThat(defined.getJsonObject("survey").getJsonArray("questions")).hasSize(3);
    error(await(http.getAnonymous(survey())), 404, "unknown_survey"); // a draft is unknown to the audience

    WsClient viewer = await(WsClient.connect(clientVertx, server.port()));
    assertThat(await(viewer.join(stageId)).getString("type")).isEqualTo("joined");
    refused(await(viewer.request(answer("s0", 4, null, null))), "unknown_survey");
    await(http.post(survey() + "/open", null));
    assertThat(await(http.getAnonymous(survey())).json().getJsonObject("survey").getString("state")).isEqualTo("open");

    // bad answers: their own codes, nothing counted
    refused(await(viewer.request(answer("s1", 9, null, null))), "invalid_option");
    refused(await(viewer.request(answer("s2", null, null, "nur Text"))), "missing_field"); // q1 is required
    refused(await(viewer.request(answer("s3", 4, new JsonArray().add("a").add("b").add("c"), null))), "too_many_selections");
    refused(await(viewer.request(answer("s4", 4, null, "x".repeat(51)))), "invalid_field");
    refused(await(viewer.request(new JsonObject().put("type", "survey").put("id", "s5").put("talkId", talkId))), "missing_field");

    ack(await(viewer.request(answer("s6", 5, new JsonArray().add("a"), "Mehr Pausen"))), false);
    ack(await(viewer.request(answer("s6", 5, new JsonArray().add("a"), "Mehr Pausen"))), true); // retried: once
    WsClient other = await(WsClient.connect(clientVertx, server.port()));
    await(other.join(stageId));
    ack(await(other.request(answer("s7", 3, new JsonArray().add("b").add("c"), "Gut"))), false);
    ack(await(viewer.request(answer("s8", 4, null, "Mehr Beispiele"))), false); // replaces the first response

    JsonObject results = await(http.get(survey())).json().getJsonObject("results");
    assertThat(results.getLong("respondents")).isEqualTo(2);
    JsonArray q = results.getJsonArray("questions");
    assertThat(q.getJsonObject(0).getDouble("mean")).isEqualTo(3.5);
    assertThat(q.getJsonObject(0).getJsonObject("counts").getLong("4")).isEqualTo(1);
    assertThat(q.getJsonObject(1).getJsonObject("counts").getLong("a")).isZero();
    assertThat(q.getJsonObject(2).getJsonArray("texts")).containsExactly("Gut", "Mehr Beispiele");
    // the audience: the survey, never the results or texts
    JsonObject publicView = await(http.getAnonymous(survey())).json();
    assertThat(publicView.getValue("results")).isNull();
    assertThat(publicView.encode()).doesNotContain("Mehr Beispiele");
    // with responses the questions can no longer change
    error(await(http.send(HttpMethod.PUT, survey(), questions(), TestServer.ORGANISER_TOKEN)), 409, "invalid_state");

    // closed: no more responses
    await(http.post(survey() + "/close", null));
    refused(await(other.request(answer("s9", 1, null, null))), "survey_not_open");
    // a moderator or presenter does not answer
    WsClient moderator = await(WsClient.connect(clientVertx, server.port()));
    await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    refused(await(moderator.request(answer("s10", 1, null, null))), "forbidden");

    // durable: after a restart the survey and its results are there
    await(server.stop());
    boot();
    JsonObject after = await(http.get(survey())).json();
    assertThat(after.getJsonObject("survey").getString("state")).isEqualTo("closed");
    assertThat(after.getJsonObject("results").getLong("respondents")).isEqualTo(2);

    // the survey goes with its talk
    assertThat(await(http.send(HttpMethod.DELETE, "/api/v1/stages/" + stageId + "/talks/" + talkId, null,
        TestServer.ORGANISER_TOKEN)).status()).isEqualTo(204);
    error(await(http.get(survey())), 404, "unknown_survey");
  }

  private JsonObject answer(String id, Integer rating, JsonArray choices, String text) {
    JsonObject answers = new JsonObject();
    if (rating != null) {
      answers.put("q1", new JsonObject().put("rating", rating));
    }
    if (choices != null) {
      answers.put("q2", new JsonObject().put("choices", choices));
    }
    if (text != null) {
      answers.put("q3", new JsonObject().put("text", text));
    }
    return new JsonObject().put("type", "survey").put("id", id).put("talkId", talkId).put("answers", answers);
  }

  private static void refused(JsonObject reply, String code) {
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("error");
    assertThat(reply.getString("code")).as(reply.encode()).isEqualTo(code);
  }

  private static void ack(JsonObject reply, boolean duplicate) {
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("ack");
    assertThat(reply.getBoolean("duplicate", false)).as(reply.encode()).isEqualTo(duplicate);
  }

  private static void error(Http.Response r, int status, String code) {
    assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
    assertThat(r.json().getJsonObject("error").getString("code")).isEqualTo(code);
  }
}
