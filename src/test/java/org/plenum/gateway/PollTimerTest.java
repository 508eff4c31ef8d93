package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * Poll timers (issue 12) over real connections: REST sets them (with clear refusals), the poll
 * closes by itself at the deadline and every session gets the closed poll pushed. On Redis a second
 * node serves a viewer too: both nodes' timers try the close, one applies it, both push it.
 */
class PollTimerTest {
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private PlenumServer second;
  private Http http;
  private String stageId;
  private String pollId;

  /** The engine settings; the Redis subclass points both nodes at one Redis. */
  Map<String, String> engine() {
    return Map.of();
  }

  /** Whether a second node can share the first one's state (only on Redis). */
  boolean shared() {
    return false;
  }

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    server = await(TestServer.start(serverVertx, engine()));
    if (shared()) {
      second = await(TestServer.start(serverVertx, engine()));
    }
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    stageId = await(http.stage()).getString("id");
    pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
  }

  @AfterEach
  void stop() {
    if (second != null) {
      await(second.stop());
    }
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private String poll(String action) {
    return "/api/v1/stages/" + stageId + "/polls/" + pollId + "/" + action;
  }

  private JsonObject refused(Http.Response r, int status, String code) {
    assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
    JsonObject body = r.json();
    assertThat(body.getJsonObject("error") == null ? body.getString("code") : body.getJsonObject("error").getString("code"))
        .isEqualTo(code);
    return body;
  }

  private JsonObject stored() {
    return await(http.get("/api/v1/stages/" + stageId + "/polls/" + pollId)).json().getJsonObject("poll");
  }

  @Test
  void badTimersAreRefusedWithTheRangeAndChangeNothing() {
    JsonObject before = stored();
    assertThat(before.containsKey("closesAt")).isTrue();
    assertThat(before.getValue("closesAt")).isNull();
    assertThat(refused(await(http.post(poll("open"), new JsonObject().put("seconds", 5))), 400, "invalid_field").encode())
        .contains("10 to 86400");
    refused(await(http.post(poll("open"), new JsonObject().put("seconds", 86_401))), 400, "invalid_field");
    refused(await(http.post(poll("open"), new JsonObject().put("seconds", "30"))), 400, "invalid_field");
    refused(await(http.post(poll("timer"), new JsonObject().put("seconds", 9))), 400, "invalid_field");
    refused(await(http.post(poll("timer"), new JsonObject())), 400, "missing_field");
    refused(await(http.post(poll("timer"), new JsonObject().put("seconds", 30).put("addSeconds", 30))), 400, "invalid_field");
    refused(await(http.post(poll("timer"), new JsonObject().put("addSeconds", 0))), 400, "invalid_field");
    refused(await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "single")
        .put("question", "Timed draft?").put("options", new io.vertx.core.json.JsonArray().add("A").add("B"))
        .put("seconds", 60))), 400, "invalid_field");
    assertThat(stored()).isEqualTo(before);

    await(http.post(poll("close"), null));
    assertThat(refused(await(http.post(poll("timer"), new JsonObject().put("seconds", 60))), 409, "poll_not_open").encode())
        .contains("only while the poll is open");
  }

  @Test
  void theTimerIsSetExtendedAndCleared() {
    Instant now = Instant.now();
    JsonObject set = await(http.post(poll("timer"), new JsonObject().put("seconds", 120))).json().getJsonObject("poll");
    Instant deadline = Instant.parse(set.getString("closesAt"));
    assertThat(Duration.between(now, deadline).toSeconds()).isBetween(118L, 121L);
    JsonObject extended = await(http.post(poll("timer"), new JsonObject().put("addSeconds", 30))).json().getJsonObject("poll");
    assertThat(Instant.parse(extended.getString("closesAt"))).isEqualTo(deadline.plusSeconds(30));
    JsonObject cleared = await(http.post(poll("timer"), new JsonObject().putNull("seconds"))).json().getJsonObject("poll");
    assertThat(cleared.getValue("closesAt")).isNull();
    assertThat(cleared.getString("state")).isEqualTo("open");
    // a poll created open with a timer
    JsonObject created = await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "single")
        .put("question", "Timed?").put("options", new io.vertx.core.json.JsonArray().add("A").add("B"))
        .put("open", true).put("seconds", 600))).json().getJsonObject("poll");
    assertThat(Duration.between(Instant.now(), Instant.parse(created.getString("closesAt"))).toSeconds()).isBetween(590L, 601L);
  }

  @Test
  void aTimedPollClosesByItselfAndEverySessionIsToldSoWithTheServerTimeToCountDownBy() {
    WsClient moderator = await(WsClient.connect(clientVertx, server.port()));
    await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    WsClient viewer = await(WsClient.connect(clientVertx, (second != null ? second : server).port()));
    JsonObject joined = await(viewer.join(stageId));
    Instant serverTime = Instant.parse(joined.getString("serverTime"));
    assertThat(Duration.between(serverTime, Instant.now()).abs().toSeconds()).isLessThan(5);

    Future<JsonObject> timedPush = viewer.next(m -> "poll".equals(m.getString("type"))
        && m.getJsonObject("poll").getValue("closesAt") != null);
    Future<JsonObject> closedForViewer = viewer.next(m -> "poll".equals(m.getString("type"))
        && "closed".equals(m.getJsonObject("poll").getString("state")));
    Future<JsonObject> closedForModerator = moderator.next(m -> "poll".equals(m.getString("type"))
        && "closed".equals(m.getJsonObject("poll").getString("state")));
    JsonObject opened = await(http.post(poll("open"), new JsonObject().put("seconds", 10))).json().getJsonObject("poll");
    Instant deadline = Instant.parse(opened.getString("closesAt"));
    assertThat(await(timedPush).getJsonObject("poll").getString("closesAt")).isEqualTo(opened.getString("closesAt"));

    JsonObject ack = await(viewer.vote("in-time", pollId, "a"));
    assertThat(ack.getString("type")).isEqualTo("ack");

    JsonObject closed = await(closedForViewer, 30).getJsonObject("poll");
    assertThat(Instant.parse(closed.getString("closedAt"))).isEqualTo(deadline);
    assertThat(closed.getValue("closesAt")).isNull();
    assertThat(Instant.now()).isAfterOrEqualTo(deadline.minusMillis(50));
    assertThat(await(closedForModerator, 30).getJsonObject("poll").getString("closedAt")).isEqualTo(closed.getString("closedAt"));

    JsonObject late = await(viewer.vote("too-late", pollId, "b"));
    assertThat(late.getString("type")).isEqualTo("error");
    assertThat(late.getString("code")).isIn("poll_not_open", "poll_closed");
    JsonObject retry = await(viewer.vote("in-time", pollId, "a"));
    assertThat(retry.getString("type")).as("a retry of the vote accepted in time").isEqualTo("ack");
    assertThat(retry.getBoolean("duplicate")).isTrue();
    JsonObject counts = await(http.get("/api/v1/stages/" + stageId + "/polls/" + pollId)).json()
        .getJsonObject("results").getJsonObject("counts");
    assertThat(counts.getMap()).containsEntry("a", 1).containsEntry("b", 0);
  }
}
