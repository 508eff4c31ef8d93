package org.plenum.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;

/**
 * Issue 8, "exports: organiser, or an event moderator where the organiser allows it", over real
 * HTTP: the per-event setting {@code moderatorsMayExport} (PATCH events/{id}, default false, kept
 * across a restart), an event's moderator refused 403 until it is allowed and served after, another
 * event's moderator always refused, bad input changing nothing. Memory engine with a data
 * directory here; {@link ModeratorExportOnRedisTest} runs the same on Redis.
 */
class ModeratorExportTest {
  @TempDir
  Path dataDir;

  Vertx serverVertx;
  Vertx clientVertx;
  PlenumServer server;
  Http http;
  String stageId;
  String eventId;

  Map<String, String> engine() {
    return Map.of("PLENUM_DATA_DIR", dataDir.toString());
  }

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    server = await(TestServer.start(serverVertx, engine()));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    JsonObject stage = await(http.stage());
    stageId = stage.getString("id");
    eventId = stage.getString("eventId");
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  @Test
  void anEventsModeratorExportsOnlyWhereTheOrganiserAllowsIt() {
    String talkId = await(http.post("/api/v1/stages/" + stageId + "/talks", new JsonObject().put("title", "Eröffnung")
        .put("speakers", "").put("startsAt", "2026-12-04T09:00:00Z").put("endsAt", "2026-12-04T10:00:00Z"))).json()
        .getString("id");
    String mine = moderatorToken(eventId);
    String otherEvent = await(http.stage()).getString("eventId");
    String foreign = moderatorToken(otherEvent);
    String[] routes = {
        "/api/v1/events/" + eventId + "/export",
        "/api/v1/stages/" + stageId + "/export?format=csv&kind=polls",
        "/api/v1/stages/" + stageId + "/talks/" + talkId + "/export?format=jsonl",
    };

    // Default: not allowed; the event says so.
    assertThat(event().getBoolean("moderatorsMayExport")).isFalse();
    for (String route : routes) {
      Http.Response refused = get(route, mine);
      error(refused, 403, "forbidden");
      assertThat(refused.json().getJsonObject("error").getString("message")).contains("has not allowed");
      assertThat(get(route, TestServer.ORGANISER_TOKEN).status()).isEqualTo(200);
    }

    // A moderator may not change the setting; bad input is refused and changes nothing.
    error(send(HttpMethod.PATCH, "/api/v1/events/" + eventId, new JsonObject().put("moderatorsMayExport", true), mine), 403,
        "forbidden");
    error(send(HttpMethod.PATCH, "/api/v1/events/" + eventId, new JsonObject().put("moderatorsMayExport", "yes"),
        TestServer.ORGANISER_TOKEN), 400, "invalid_field");
    error(send(HttpMethod.PATCH, "/api/v1/events/" + eventId, new JsonObject(), TestServer.ORGANISER_TOKEN), 400,
        "missing_field");
    error(send(HttpMethod.PATCH, "/api/v1/events/" + eventId,
        new JsonObject().put("name", "").put("moderatorsMayExport", true), TestServer.ORGANISER_TOKEN), 400, "invalid_field");
    assertThat(event().getBoolean("moderatorsMayExport")).isFalse();

    // Allowed: the event's moderator exports every route; another event's moderator still may not.
    Http.Response allowed = send(HttpMethod.PATCH, "/api/v1/events/" + eventId,
        new JsonObject().put("moderatorsMayExport", true), TestServer.ORGANISER_TOKEN);
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.json().getBoolean("moderatorsMayExport")).isTrue();
    assertThat(allowed.json().getString("name")).isEqualTo("Test event");
    for (String route : routes) {
      Http.Response served = get(route, mine);
      assertThat(served.status()).as(route + ": " + served.body()).isEqualTo(200);
      error(get(route, foreign), 403, "forbidden");
    }
    assertThat(get(routes[0] + "?format=json", mine).json().getJsonObject("event").getString("id")).isEqualTo(eventId);

    // Renaming keeps the setting; the setting survives a restart (stored in the event).
    assertThat(send(HttpMethod.PATCH, "/api/v1/events/" + eventId, new JsonObject().put("name", "Kongress"),
        TestServer.ORGANISER_TOKEN).json().getBoolean("moderatorsMayExport")).isTrue();
    restart();
    assertThat(event().getBoolean("moderatorsMayExport")).isTrue();
    assertThat(event().getString("name")).isEqualTo("Kongress");
    assertThat(get(routes[1], mine).status()).isEqualTo(200);

    // Withdrawn: refused again at once.
    send(HttpMethod.PATCH, "/api/v1/events/" + eventId, new JsonObject().put("moderatorsMayExport", false),
        TestServer.ORGANISER_TOKEN);
    error(get(routes[0], mine), 403, "forbidden");
    // No token at all: 401 as before.
    assertThat(await(http.send(HttpMethod.GET, routes[0], null, null)).status()).isEqualTo(401);
  }

  private void restart() {
    await(server.stop());
    server = await(TestServer.start(serverVertx, engine()));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
  }

  private JsonObject event() {
    return await(http.get("/api/v1/events/" + eventId)).json();
  }

  private Http.Response get(String path, String token) {
    return send(HttpMethod.GET, path, null, token);
  }

  private Http.Response send(HttpMethod method, String path, Object body, String token) {
    return await(http.send(method, path, body, token));
  }

  private String moderatorToken(String event) {
    return await(http.post("/api/v1/events/" + event + "/moderators", new JsonObject().put("label", "Saal 1"))).json()
        .getString("token");
  }

  private static void error(Http.Response r, int status, String code) {
    assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
    assertThat(r.json().getJsonObject("error").getString("code")).isEqualTo(code);
  }
}
