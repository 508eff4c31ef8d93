package org.plenum.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;

/** The REST API over real HTTP. */
class ApiTest {
  private Vertx vertx;
  private PlenumServer server;
  private Http http;

  @BeforeEach
  void start() {
    vertx = TestVertx.create();
    server = await(TestServer.start(vertx));
    http = new Http(vertx, server.port(), TestServer.ORGANISER_TOKEN);
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(vertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private static void assertError(Http.Response r, int status, String code) {
    assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
    assertThat(r.json().getJsonObject("error").getString("code")).isEqualTo(code);
    assertThat(r.json().getJsonObject("error").getString("message")).isNotBlank();
  }

  @Test
  void organiserCreatesEventStagesAndPollsThatAnyoneCanRead() {
    JsonObject event = await(http.post("/api/v1/events", new JsonObject().put("name", "Digitalkongress"))).json();
    assertThat(event.getString("id")).startsWith("ev");
    String eventId = event.getString("id");
    for (String name : new String[] {"Hauptbühne", "Bühne 2", "Bühne 3"}) {
      Http.Response stage = await(http.post("/api/v1/events/" + eventId + "/stages", new JsonObject().put("name", name)));
      assertThat(stage.status()).isEqualTo(201);
      assertThat(stage.json().getString("code")).matches("[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}");
    }
    JsonObject read = await(http.getAnonymous("/api/v1/events/" + eventId)).json();
    assertThat(read.getJsonArray("stages")).hasSize(3);
    JsonObject stage = read.getJsonArray("stages").getJsonObject(0);
    assertThat(await(http.getAnonymous("/api/v1/join/" + stage.getString("code").toLowerCase())).json().getString("id"))
        .isEqualTo(stage.getString("id"));
    assertThat((JsonArray) await(http.getAnonymous("/api/v1/events")).any()).hasSize(1);
  }

  @Test
  void pollLifecycleAndVisibilityRules() {
    String stageId = await(http.stage()).getString("id");
    JsonObject created = await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "rating")
        .put("question", "Wie war der Vortrag?").put("scale", 10))).json();
    JsonObject poll = created.getJsonObject("poll");
    String path = "/api/v1/stages/" + stageId + "/polls/" + poll.getString("id");
    assertThat(poll.getString("state")).isEqualTo("draft");
    assertThat(created.getJsonObject("results").getJsonObject("counts")).hasSize(10);

    assertThat(await(http.getAnonymous(path)).status()).isEqualTo(404);
    assertThat((JsonArray) await(http.getAnonymous("/api/v1/stages/" + stageId + "/polls")).any()).isEmpty();
    assertThat((JsonArray) await(http.get("/api/v1/stages/" + stageId + "/polls")).any()).hasSize(1);

    assertThat(await(http.post(path + "/open", null)).json().getJsonObject("poll").getString("state")).isEqualTo("open");
    assertThat(await(http.post(path + "/open", null)).status()).isEqualTo(200);
    assertThat(await(http.getAnonymous(path)).json().getValue("results")).isNull();
    await(http.post(path + "/reveal", null));
    assertThat(await(http.getAnonymous(path)).json().getJsonObject("results").getLong("version")).isZero();
    JsonObject closed = await(http.post(path + "/close", null)).json().getJsonObject("poll");
    assertThat(closed.getString("state")).isEqualTo("closed");
    assertThat(closed.getString("closedAt")).isNotNull();
    await(http.post(path + "/hide", null));
    assertThat(await(http.getAnonymous(path)).json().getValue("results")).isNull();
  }

  @Test
  void writesNeedTheOrganiserToken() {
    assertError(await(http.send(HttpMethod.POST, "/api/v1/events", new JsonObject().put("name", "x"), null)), 401, "unauthorized");
    assertError(await(http.send(HttpMethod.POST, "/api/v1/events", new JsonObject().put("name", "x"), "wrong-token")), 401, "unauthorized");
    assertThat((JsonArray) await(http.get("/api/v1/events")).any()).isEmpty();
  }

  @Test
  void badRequestsGetCodesAndChangeNothing() {
    String stageId = await(http.stage()).getString("id");
    String polls = "/api/v1/stages/" + stageId + "/polls";
    assertError(await(http.post("/api/v1/events", "{oops")), 400, "bad_json");
    assertError(await(http.post("/api/v1/events", "")), 400, "bad_json");
    assertError(await(http.post("/api/v1/events", new JsonObject())), 400, "invalid_field");
    assertError(await(http.post("/api/v1/events/evnothere000/stages", new JsonObject().put("name", "x"))), 404, "unknown_event");
    assertError(await(http.post(polls, new JsonObject().put("kind", "poll").put("question", "q"))), 400, "invalid_field");
    assertError(await(http.post(polls, new JsonObject().put("kind", "single"))), 400, "missing_field");
    assertError(await(http.post(polls, new JsonObject().put("kind", "single").put("question", "q").put("options", new JsonArray().add("one")))), 400, "invalid_field");
    assertError(await(http.post(polls, new JsonObject().put("kind", "single").put("question", "q").put("options", "a,b"))), 400, "invalid_field");
    assertError(await(http.post(polls, new JsonObject().put("kind", "rating").put("question", "q").put("scale", "5"))), 400, "invalid_field");
    assertError(await(http.post("/api/v1/stages/stnothere000/polls", new JsonObject().put("kind", "rating").put("question", "q"))), 404, "unknown_stage");
    assertError(await(http.post(polls + "/plnothere000/open", null)), 404, "unknown_poll");
    assertError(await(http.get("/api/v1/join/ZZZZZZ")), 404, "unknown_stage");
    assertError(await(http.get("/api/v1/nothing")), 404, "not_found");
    assertError(await(http.post("/api/v1/events", "{\"name\":\"" + "x".repeat(70_000) + "\"}")), 413, "body_too_large");
    assertThat((JsonArray) await(http.get(polls)).any()).isEmpty();
  }

  @Test
  void openApiHealthAndMetricsAreServed() {
    JsonObject openApi = await(http.get("/api/v1/openapi.json")).json();
    assertThat(openApi.getString("openapi")).startsWith("3.");
    assertThat(openApi.getJsonObject("paths").fieldNames()).contains("/api/v1/events", "/api/v1/stages/{stageId}/polls");
    assertThat(await(http.get("/health/live")).status()).isEqualTo(200);
    assertThat(await(http.get("/health/ready")).json().getString("status")).isEqualTo("UP");
    String metrics = await(http.get("/metrics")).body().toString();
    assertThat(metrics).contains("plenum_votes_applied_total");
  }

  @Test
  void wordCloudAndPostModerationRefuseBadRequests() {
    JsonObject stage = await(http.stage());
    String stageId = stage.getString("id");
    String clouds = "/api/v1/stages/" + stageId + "/clouds";
    assertError(await(http.post(clouds, new JsonObject().put("prompt", ""))), 400, "invalid_field");
    assertError(await(http.post(clouds, new JsonObject().put("prompt", "Wort?").put("maxEntries", 11))), 400, "invalid_field");
    assertError(await(http.post(clouds, new JsonObject())), 400, "missing_field");
    String cloudId = await(http.post(clouds, new JsonObject().put("prompt", "Wort?"))).json().getJsonObject("cloud").getString("id");
    assertThat(await(http.getAnonymous(clouds + "/" + cloudId)).status()).isEqualTo(404);
    assertError(await(http.post(clouds + "/" + cloudId + "/hide-word", new JsonObject().put("key", "niemand"))), 404, "unknown_word");
    assertError(await(http.post(clouds + "/" + cloudId + "/merge", new JsonObject().put("from", "a").put("into", "b"))), 404, "unknown_word");
    assertError(await(http.post(clouds + "/wcnothere000/open", null)), 404, "unknown_cloud");
    assertError(await(http.post("/api/v1/stages/" + stageId + "/posts/qanothere000/approve", null)), 404, "unknown_post");
    assertError(await(http.getAnonymous("/api/v1/stages/" + stageId + "/posts?sort=random")), 400, "invalid_field");
    assertError(await(http.put("/api/v1/events/" + stage.getString("eventId") + "/blocklist", new JsonObject().put("words", "x"))), 400, "invalid_field");
    assertError(await(http.send(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/stages/" + stageId + "/settings",
        new JsonObject().put("questionModeration", "yes"), TestServer.ORGANISER_TOKEN)), 400, "invalid_field");
    assertError(await(http.send(HttpMethod.GET, "/api/v1/events", null, "a-wrong-token")), 401, "unauthorized");
    JsonObject blocklist = await(http.put("/api/v1/events/" + stage.getString("eventId") + "/blocklist",
        new JsonObject().put("words", new JsonArray().add("Bürokratiemonster")))).json();
    assertThat(blocklist.getJsonArray("words")).containsExactly("Bürokratiemonster");
    assertThat(await(http.getAnonymous("/api/v1/events/" + stage.getString("eventId"))).json().containsKey("blockedWords")).isFalse();
  }
}
