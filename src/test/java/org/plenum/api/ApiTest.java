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

  // ---- talks and moderator access ---------------------------------------------------------

  private static JsonObject talk(String title, String startsAt, String endsAt) {
    return new JsonObject().put("title", title).put("startsAt", startsAt).put("endsAt", endsAt);
  }

  @Test
  void talksAreAStagesProgrammeInTimeOrder() {
    JsonObject stage = await(http.stage());
    String talks = "/api/v1/stages/" + stage.getString("id") + "/talks";
    assertThat((JsonArray) await(http.getAnonymous(talks)).any()).isEmpty();
    Http.Response late = await(http.post(talks, talk("Zum Schluss", "2026-11-22T11:00:00+01:00", "2026-11-22T11:30:00+01:00")));
    assertThat(late.status()).isEqualTo(201);
    JsonObject created = late.json();
    assertThat(created.getString("id")).startsWith("tk");
    assertThat(created.getString("stageId")).isEqualTo(stage.getString("id"));
    assertThat(created.getString("startsAt")).as("returned as UTC with 3 fraction digits").isEqualTo("2026-11-22T10:00:00.000Z");
    assertThat(created.getString("endsAt")).isEqualTo("2026-11-22T10:30:00.000Z");
    assertThat(created.containsKey("speakers")).isTrue();
    assertThat(created.getValue("speakers")).isNull();
    assertThat(created.getString("createdAt")).isNotNull();
    JsonObject b = await(http.post(talks, talk("B-Vortrag", "2026-11-22T09:00:00Z", "2026-11-22T09:45:00Z")
        .put("speakers", "Dr. A. Beispiel, B. Muster"))).json();
    JsonObject a = await(http.post(talks, talk("A-Vortrag", "2026-11-22T09:00:00Z", "2026-11-22T10:15:00Z"))).json();
    JsonArray listed = (JsonArray) await(http.getAnonymous(talks)).any();
    assertThat(listed.stream().map(t -> ((JsonObject) t).getString("title")))
        .as("by start, then title; overlaps are allowed").containsExactly("A-Vortrag", "B-Vortrag", "Zum Schluss");
    assertThat(listed.getJsonObject(1)).isEqualTo(b);
    assertThat(b.getString("speakers")).isEqualTo("Dr. A. Beispiel, B. Muster");

    Http.Response replaced = await(http.put(talks + "/" + late.json().getString("id"),
        talk("Eröffnung", "2026-11-22T08:00:00.000Z", "2026-11-22T08:30:00Z").put("speakers", "C. Dritte")));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().getString("id")).isEqualTo(created.getString("id"));
    assertThat(replaced.json().getString("createdAt")).isEqualTo(created.getString("createdAt"));
    assertThat(replaced.json().getString("title")).isEqualTo("Eröffnung");
    assertThat(((JsonArray) await(http.getAnonymous(talks)).any()).getJsonObject(0)).isEqualTo(replaced.json());

    assertThat(await(http.send(HttpMethod.DELETE, talks + "/" + a.getString("id"), null, TestServer.ORGANISER_TOKEN)).status()).isEqualTo(204);
    assertThat(((JsonArray) await(http.getAnonymous(talks)).any()).stream().map(t -> ((JsonObject) t).getString("title")))
        .containsExactly("Eröffnung", "B-Vortrag");
  }

  @Test
  void talkRequestsAreCheckedAndNeedAToken() {
    String stageId = await(http.stage()).getString("id");
    String talks = "/api/v1/stages/" + stageId + "/talks";
    String start = "2026-11-22T09:00:00Z";
    assertError(await(http.post(talks, new JsonObject().put("startsAt", start).put("endsAt", "2026-11-22T10:00:00Z"))), 400, "missing_field");
    assertError(await(http.post(talks, new JsonObject().put("title", "T").put("endsAt", "2026-11-22T10:00:00Z"))), 400, "missing_field");
    assertError(await(http.post(talks, new JsonObject().put("title", "T").put("startsAt", start))), 400, "missing_field");
    assertError(await(http.post(talks, talk("", start, "2026-11-22T10:00:00Z"))), 400, "invalid_field");
    assertError(await(http.post(talks, talk("x".repeat(201), start, "2026-11-22T10:00:00Z"))), 400, "invalid_field");
    assertError(await(http.post(talks, talk("T", start, "2026-11-22T10:00:00Z").put("speakers", "s".repeat(301)))), 400, "invalid_field");
    assertError(await(http.post(talks, talk("T", start, "2026-11-22T10:00:00Z").put("speakers", 7))), 400, "invalid_field");
    assertError(await(http.post(talks, talk("T", "morgen früh", "2026-11-22T10:00:00Z"))), 400, "invalid_field");
    assertError(await(http.post(talks, talk("T", "2026-11-22T09:00:00", "2026-11-22T10:00:00Z"))), 400, "invalid_field");
    assertError(await(http.post(talks, talk("T", start, start))), 400, "invalid_field");
    assertError(await(http.post(talks, talk("T", start, "2026-11-22T08:00:00Z"))), 400, "invalid_field");
    assertError(await(http.post(talks, talk("T", start, "2026-11-23T09:00:00.001Z"))), 400, "invalid_field");
    assertThat(await(http.post(talks, talk("Ganzer Tag", start, "2026-11-23T09:00:00Z"))).status()).as("exactly 24 h").isEqualTo(201);
    String talkId = ((JsonArray) await(http.getAnonymous(talks)).any()).getJsonObject(0).getString("id");
    assertError(await(http.send(HttpMethod.POST, talks, talk("T", start, "2026-11-22T10:00:00Z"), null)), 401, "unauthorized");
    assertError(await(http.send(HttpMethod.POST, talks, talk("T", start, "2026-11-22T10:00:00Z"), "wrong")), 401, "unauthorized");
    assertError(await(http.send(HttpMethod.PUT, talks + "/" + talkId, talk("T", start, "2026-11-22T10:00:00Z"), null)), 401, "unauthorized");
    assertError(await(http.send(HttpMethod.DELETE, talks + "/" + talkId, null, null)), 401, "unauthorized");
    assertError(await(http.send(HttpMethod.DELETE, talks + "/" + talkId, null, "pm_" + "x".repeat(43))), 401, "unauthorized");
    assertError(await(http.post("/api/v1/stages/stnothere000/talks", talk("T", start, "2026-11-22T10:00:00Z"))), 404, "unknown_stage");
    assertError(await(http.getAnonymous("/api/v1/stages/stnothere000/talks")), 404, "unknown_stage");
    assertError(await(http.put(talks + "/tknothere000", talk("T", start, "2026-11-22T10:00:00Z"))), 404, "unknown_talk");
    assertError(await(http.send(HttpMethod.DELETE, talks + "/tknothere000", null, TestServer.ORGANISER_TOKEN)), 404, "unknown_talk");
    assertError(await(http.put(talks + "/" + talkId, talk("T", start, "2026-11-22T08:00:00Z"))), 400, "invalid_field");
    assertThat((JsonArray) await(http.getAnonymous(talks)).any()).as("nothing changed").hasSize(1);
  }

  @Test
  void moderatorTokensAreIssuedListedAndRevoked() {
    JsonObject stage = await(http.stage());
    String eventId = stage.getString("eventId");
    String mods = "/api/v1/events/" + eventId + "/moderators";
    Http.Response created = await(http.post(mods, new JsonObject().put("label", "Moderation Saal 1")));
    assertThat(created.status()).isEqualTo(201);
    JsonObject access = created.json();
    assertThat(access.getString("id")).startsWith("md");
    assertThat(access.getString("eventId")).isEqualTo(eventId);
    assertThat(access.getString("label")).isEqualTo("Moderation Saal 1");
    assertThat(access.getString("createdAt")).isNotNull();
    assertThat(access.getString("token")).matches("pm_[A-Za-z0-9_-]{43}");
    JsonArray listed = (JsonArray) await(http.get(mods)).any();
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("id", "eventId", "label", "createdAt");
    assertThat(listed.encode()).doesNotContain(access.getString("token"));

    String token = access.getString("token");
    String talks = "/api/v1/stages/" + stage.getString("id") + "/talks";
    Http.Response byModerator = await(http.send(HttpMethod.POST, talks, talk("T", "2026-11-22T09:00:00Z", "2026-11-22T10:00:00Z"), token));
    assertThat(byModerator.status()).isEqualTo(201);

    assertError(await(http.post(mods, new JsonObject())), 400, "missing_field");
    assertError(await(http.post(mods, new JsonObject().put("label", " "))), 400, "invalid_field");
    assertError(await(http.post(mods, new JsonObject().put("label", "x".repeat(101)))), 400, "invalid_field");
    assertError(await(http.post("/api/v1/events/evnothere000/moderators", new JsonObject().put("label", "x"))), 404, "unknown_event");
    assertError(await(http.get("/api/v1/events/evnothere000/moderators")), 404, "unknown_event");
    assertError(await(http.send(HttpMethod.GET, mods, null, null)), 401, "unauthorized");
    assertError(await(http.send(HttpMethod.POST, mods, new JsonObject().put("label", "x"), null)), 401, "unauthorized");
    assertError(await(http.send(HttpMethod.DELETE, mods + "/" + access.getString("id"), null, null)), 401, "unauthorized");
    assertError(await(http.send(HttpMethod.DELETE, mods + "/mdnothere000", null, TestServer.ORGANISER_TOKEN)), 404, "unknown_moderator");

    assertThat(await(http.send(HttpMethod.DELETE, mods + "/" + access.getString("id"), null, TestServer.ORGANISER_TOKEN)).status()).isEqualTo(204);
    assertThat((JsonArray) await(http.get(mods)).any()).isEmpty();
    assertError(await(http.send(HttpMethod.POST, talks, talk("T", "2026-11-22T09:00:00Z", "2026-11-22T10:00:00Z"), token)),
        401, "unauthorized");
    assertError(await(http.send(HttpMethod.DELETE, mods + "/" + access.getString("id"), null, TestServer.ORGANISER_TOKEN)), 404, "unknown_moderator");
  }

  @Test
  void aModeratorTokenModeratesItsOwnEventOnly() {
    JsonObject stage = await(http.stage());
    String stageId = stage.getString("id");
    String eventId = stage.getString("eventId");
    String token = await(http.post("/api/v1/events/" + eventId + "/moderators", new JsonObject().put("label", "Saal 1")))
        .json().getString("token");
    JsonObject other = await(http.stage());
    String otherStage = "/api/v1/stages/" + other.getString("id");

    // moderation of its own event's stages, with the organiser's view
    JsonObject poll = await(http.send(HttpMethod.POST, "/api/v1/stages/" + stageId + "/polls",
        new JsonObject().put("kind", "rating").put("question", "Wie war's?"), token)).json().getJsonObject("poll");
    assertThat(poll.getString("state")).isEqualTo("draft");
    assertThat((JsonArray) await(http.send(HttpMethod.GET, "/api/v1/stages/" + stageId + "/polls", null, token)).any())
        .as("drafts are visible to a moderator").hasSize(1);
    assertThat(await(http.send(HttpMethod.POST, "/api/v1/stages/" + stageId + "/polls/" + poll.getString("id") + "/open", null, token))
        .status()).isEqualTo(200);
    assertThat(await(http.send(HttpMethod.POST, "/api/v1/stages/" + stageId + "/clouds", new JsonObject().put("prompt", "Wort?"), token))
        .status()).isEqualTo(201);
    assertThat(await(http.send(HttpMethod.PATCH, "/api/v1/stages/" + stageId + "/settings",
        new JsonObject().put("questionModeration", true), token)).status()).isEqualTo(200);
    assertThat(await(http.send(HttpMethod.GET, "/api/v1/events", null, token)).status()).as("public reads").isEqualTo(200);

    // organiser-only: 403
    assertError(await(http.send(HttpMethod.POST, "/api/v1/events", new JsonObject().put("name", "x"), token)), 403, "forbidden");
    assertError(await(http.send(HttpMethod.POST, "/api/v1/events/" + eventId + "/stages", new JsonObject().put("name", "x"), token)), 403, "forbidden");
    assertError(await(http.send(HttpMethod.GET, "/api/v1/events/" + eventId + "/blocklist", null, token)), 403, "forbidden");
    assertError(await(http.send(HttpMethod.PUT, "/api/v1/events/" + eventId + "/blocklist", new JsonObject().put("words", new JsonArray()), token)), 403, "forbidden");
    assertError(await(http.send(HttpMethod.GET, "/api/v1/events/" + eventId + "/moderators", null, token)), 403, "forbidden");
    assertError(await(http.send(HttpMethod.POST, "/api/v1/events/" + eventId + "/moderators", new JsonObject().put("label", "x"), token)), 403, "forbidden");
    assertError(await(http.send(HttpMethod.DELETE, "/api/v1/events/" + eventId + "/moderators/mdnothere000", null, token)), 403, "forbidden");

    // another event's stage: 403, reads included
    assertError(await(http.send(HttpMethod.POST, otherStage + "/talks", talk("T", "2026-11-22T09:00:00Z", "2026-11-22T10:00:00Z"), token)), 403, "forbidden");
    assertError(await(http.send(HttpMethod.POST, otherStage + "/polls", new JsonObject().put("kind", "rating").put("question", "q"), token)), 403, "forbidden");
    assertError(await(http.send(HttpMethod.GET, otherStage + "/polls", null, token)), 403, "forbidden");
    assertError(await(http.send(HttpMethod.PATCH, otherStage + "/settings", new JsonObject().put("questionModeration", true), token)), 403, "forbidden");
    assertThat((JsonArray) await(http.getAnonymous(otherStage + "/polls")).any()).isEmpty();
  }
}
