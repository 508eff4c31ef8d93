package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * Issue 12, the optional passcode of a closed event, over real WebSockets and HTTP: the organiser
 * sets, changes and clears it (create and PATCH, kept across a restart); viewers and presenters
 * joining without it, or with a wrong one, are refused {@code passcode_required} /
 * {@code wrong_passcode} and shown nothing, the right one admits them; moderators and audience
 * joins carrying a staff token are exempt; the audience's REST reads of the event are guarded the
 * same way (X-Plenum-Passcode); wrong attempts are limited per address, WebSocket and REST
 * together, and a limited address is refused even the right passcode. Memory engine with a data
 * directory; {@link EventPasscodeOnRedisTest} runs the same on Redis.
 */
class EventPasscodeTest {
  @TempDir
  Path dataDir;

  Vertx serverVertx;
  Vertx clientVertx;
  PlenumServer server;
  Http http;
  String eventId;
  String stageId;
  String code;

  Map<String, String> engine() {
    return Map.of("PLENUM_DATA_DIR", dataDir.toString());
  }

  void start(Map<String, String> overrides) {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    boot(overrides);
    JsonObject event = await(http.post("/api/v1/events", new JsonObject().put("name", "Verwaltungskongress")
        .put("passcode", " Amt2026 "))).json();
    assertThat(event.getString("passcode")).as("the organiser reads it back, cleaned").isEqualTo("Amt2026");
    assertThat(event.getBoolean("passcodeRequired")).isTrue();
    eventId = event.getString("id");
    JsonObject stage = await(http.post("/api/v1/events/" + eventId + "/stages", new JsonObject().put("name", "Saal Berlin"))).json();
    stageId = stage.getString("id");
    code = stage.getString("code");
  }

  private void boot(Map<String, String> overrides) {
    Map<String, String> config = new HashMap<>(engine());
    config.putAll(overrides);
    server = await(TestServer.start(serverVertx, config));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      await(server.stop());
    }
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  @Test
  void viewersJoinOnlyWithTheRightPasscodeAndStaffAreExempt() {
    start(Map.of());
    await(http.openPoll(stageId));
    WsClient viewer = await(WsClient.connect(clientVertx, server.port()));
    refused(await(viewer.request(join(stageId, null))), "passcode_required");
    refused(await(viewer.request(join(stageId, "amt2026"))), "wrong_passcode"); // letters count as typed
    refused(await(viewer.request(join(stageId, "x".repeat(600)))), "invalid_field"); // bounded before any work
    refused(await(viewer.request(new JsonObject().put("type", "join").put("id", WsClient.nextId("j"))
        .put("code", code))), "passcode_required"); // by join code too
    // still usable after the refusals: nothing was joined, no participant issued
    assertThat(await(viewer.vote(WsClient.nextId("v"), "p", "a")).getString("code")).isEqualTo("not_joined");
    JsonObject joined = await(viewer.request(join(stageId, " Amt2026")));
    assertThat(joined.getString("type")).isEqualTo("joined");
    assertThat(joined.getJsonArray("polls")).hasSize(1);
    String token = joined.getJsonObject("participant").getString("token");

    // The participant token alone does not let a viewer back in: the page resends the passcode
    // it keeps for the tab (sessionStorage), so a changed passcode holds for every new join.
    WsClient again = await(WsClient.connect(clientVertx, server.port()));
    refused(await(again.request(join(stageId, null).put("token", token))), "passcode_required");
    JsonObject rejoined = await(again.request(join(stageId, "Amt2026").put("token", token)));
    assertThat(rejoined.getJsonObject("participant").getString("token")).isEqualTo(token);
    assertThat(rejoined.getJsonObject("participant").getBoolean("renewed")).isFalse();

    // Moderators, and a presenter page opened with a staff token, need no passcode.
    String moderatorToken = moderatorToken(eventId);
    WsClient moderator = await(WsClient.connect(clientVertx, server.port()));
    assertThat(await(moderator.joinAsModerator(stageId, moderatorToken)).getString("type")).isEqualTo("joined");
    WsClient projector = await(WsClient.connect(clientVertx, server.port()));
    refused(await(projector.request(join(stageId, null).put("role", "presenter"))), "passcode_required");
    assertThat(await(projector.request(join(stageId, null).put("role", "presenter").put("auth", moderatorToken)))
        .getString("type")).isEqualTo("joined");
    WsClient organiserProjector = await(WsClient.connect(clientVertx, server.port()));
    assertThat(await(organiserProjector.request(join(stageId, null).put("role", "presenter")
        .put("auth", TestServer.ORGANISER_TOKEN))).getString("type")).isEqualTo("joined");
    // another event's moderator token is no exemption
    String foreign = moderatorToken(await(http.stage()).getString("eventId"));
    WsClient stranger = await(WsClient.connect(clientVertx, server.port()));
    refused(await(stranger.request(join(stageId, null).put("role", "presenter").put("auth", foreign))), "passcode_required");
  }

  @Test
  void theOrganiserChangesAndClearsThePasscodeAndItSurvivesARestart() {
    start(Map.of());
    // bad input changes nothing
    error(patch(new JsonObject().put("passcode", "abc")), 400, "invalid_field");
    error(patch(new JsonObject().put("passcode", 1234)), 400, "invalid_field");
    error(patch(new JsonObject().put("passcode", "x".repeat(65))), 400, "invalid_field");
    error(await(http.send(HttpMethod.PATCH, "/api/v1/events/" + eventId, new JsonObject().put("passcode", "Neu-2026"),
        moderatorToken(eventId))), 403, "forbidden");
    assertThat(organiserEvent().getString("passcode")).isEqualTo("Amt2026");

    Http.Response changed = patch(new JsonObject().put("passcode", "Neu-2026"));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().getString("passcode")).isEqualTo("Neu-2026");
    assertThat(changed.json().getString("name")).isEqualTo("Verwaltungskongress");
    WsClient viewer = await(WsClient.connect(clientVertx, server.port()));
    refused(await(viewer.request(join(stageId, "Amt2026"))), "wrong_passcode");
    assertThat(await(viewer.request(join(stageId, "Neu-2026"))).getString("type")).isEqualTo("joined");

    // renaming keeps it; a restart keeps it
    patch(new JsonObject().put("name", "Kongress"));
    restart();
    assertThat(organiserEvent().getString("passcode")).isEqualTo("Neu-2026");
    WsClient after = await(WsClient.connect(clientVertx, server.port()));
    refused(await(after.request(join(stageId, null))), "passcode_required");
    assertThat(await(after.request(join(stageId, "Neu-2026"))).getString("type")).isEqualTo("joined");

    // cleared: anyone with the link joins, and the event says it is open (also after a restart)
    Http.Response cleared = patch(new JsonObject().putNull("passcode"));
    assertThat(cleared.json().containsKey("passcode")).isFalse();
    assertThat(cleared.json().getBoolean("passcodeRequired")).isFalse();
    restart();
    WsClient open = await(WsClient.connect(clientVertx, server.port()));
    assertThat(await(open.request(join(stageId, null))).getString("type")).isEqualTo("joined");
    assertThat(await(http.getAnonymous("/api/v1/stages/" + stageId)).status()).isEqualTo(200);
  }

  @Test
  void theAudiencesRestReadsNeedThePasscodeAndRevealNothingWithout() {
    start(Map.of());
    await(http.openPoll(stageId));
    String[] reads = {
        "/api/v1/events/" + eventId,
        "/api/v1/stages/" + stageId,
        "/api/v1/join/" + code,
        "/api/v1/stages/" + stageId + "/polls",
        "/api/v1/stages/" + stageId + "/posts",
        "/api/v1/stages/" + stageId + "/talks",
        "/api/v1/stages/" + stageId + "/presentation",
    };
    String mine = moderatorToken(eventId);
    for (String read : reads) {
      Http.Response none = audience(read, null);
      error(none, 403, "passcode_required");
      assertThat(none.body().toString()).doesNotContain("Saal Berlin").doesNotContain(stageId + "\"");
      error(audience(read, "falsch1"), 403, "wrong_passcode");
      assertThat(audience(read, "Amt2026").status()).as(read).isEqualTo(200);
      assertThat(await(http.send(HttpMethod.GET, read, null, mine)).status()).as(read).isEqualTo(200);
      assertThat(await(http.get(read)).status()).as(read).isEqualTo(200);
    }
    assertThat(audience("/api/v1/events/" + eventId, "Amt2026").json().containsKey("passcode"))
        .as("only the organiser reads the passcode").isFalse();
    // the list of events names a closed event but not its stages
    JsonObject listed = null;
    for (Object o : new io.vertx.core.json.JsonArray(await(http.getAnonymous("/api/v1/events")).body())) {
      JsonObject e = (JsonObject) o;
      if (e.getString("id").equals(eventId)) {
        listed = e;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.getBoolean("passcodeRequired")).isTrue();
    assertThat(listed.getJsonArray("stages")).isEmpty();
    assertThat(listed.containsKey("passcode")).isFalse();
    // an export without a token still says 401, not passcode_required
    assertThat(audience("/api/v1/stages/" + stageId + "/export", null).status()).isEqualTo(401);
  }

  @Test
  void wrongAttemptsAreLimitedPerAddressOverWebSocketsAndRestTogether() {
    start(Map.of("PLENUM_LIMIT_PASSCODE_FAILURES_PER_ADDRESS", "3/60s"));
    WebSocketClient from2 = WsClient.clientFrom(clientVertx, "127.0.0.2");
    WsClient guesser = await(WsClient.connect(clientVertx, from2, server.port()));
    // right attempts cost nothing: the venue's shared address is not locked out by people who type it right
    for (int i = 0; i < 5; i++) {
      assertThat(await(guesser.request(join(stageId, "Amt2026"))).getString("type")).isEqualTo("joined");
    }
    refused(await(guesser.request(join(stageId, "guess-1"))), "wrong_passcode");
    refused(await(guesser.request(join(stageId, "guess-2"))), "wrong_passcode");
    refused(await(guesser.request(join(stageId, "guess-3"))), "wrong_passcode");
    JsonObject limited = await(guesser.request(join(stageId, "guess-4")));
    refused(limited, "rate_limited");
    assertThat(limited.getLong("retryAfterMs")).isPositive();
    // blocked: even the right passcode is refused unchecked, so guessing learns nothing
    refused(await(guesser.request(join(stageId, "Amt2026"))), "rate_limited");
    // other addresses are not affected (the HTTP client here comes from 127.0.0.1)
    WsClient other = await(WsClient.connect(clientVertx, server.port()));
    assertThat(await(other.request(join(stageId, "Amt2026"))).getString("type")).isEqualTo("joined");
    refused(await(other.request(join(stageId, "guess-5"))), "wrong_passcode");
    assertThat(audience("/api/v1/stages/" + stageId, "guess-6").json().getJsonObject("error").getString("code"))
        .isEqualTo("wrong_passcode");
    error(audience("/api/v1/stages/" + stageId, "guess-7"), 403, "wrong_passcode");
    Http.Response restLimited = audience("/api/v1/stages/" + stageId, "Amt2026");
    error(restLimited, 429, "rate_limited");
    refused(await(other.request(join(stageId, "Amt2026"))), "rate_limited");
    // staff are never limited
    assertThat(await(http.get("/api/v1/stages/" + stageId)).status()).isEqualTo(200);
  }

  private static JsonObject join(String stage, String passcode) {
    JsonObject join = new JsonObject().put("type", "join").put("id", WsClient.nextId("j")).put("stageId", stage);
    return passcode == null ? join : join.put("passcode", passcode);
  }

  private static void refused(JsonObject reply, String code) {
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("error");
    assertThat(reply.getString("code")).as(reply.encode()).isEqualTo(code);
    assertThat(reply.encode()).doesNotContain("Saal Berlin");
  }

  private Http.Response audience(String path, String passcode) {
    return await(http.send(HttpMethod.GET, path, null, null,
        passcode == null ? Map.of() : Map.of("X-Plenum-Passcode", passcode)));
  }

  private Http.Response patch(JsonObject body) {
    return await(http.send(HttpMethod.PATCH, "/api/v1/events/" + eventId, body, TestServer.ORGANISER_TOKEN));
  }

  private JsonObject organiserEvent() {
    return await(http.get("/api/v1/events/" + eventId)).json();
  }

  private void restart() {
    await(server.stop());
    boot(Map.of());
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
