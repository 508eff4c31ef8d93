package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/** A stage's programme (talks) and moderator tokens over real WebSocket connections. */
class TalksAndModeratorsTest {
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private String stageId;
  private String eventId;

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    server = await(TestServer.start(serverVertx));
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

  private String moderatorToken(String event) {
    return await(http.post("/api/v1/events/" + event + "/moderators", new JsonObject().put("label", "Saal 1"))).json().getString("token");
  }

  private static JsonObject talk(String title, String startsAt, String endsAt) {
    return new JsonObject().put("title", title).put("startsAt", startsAt).put("endsAt", endsAt);
  }

  private static void error(JsonObject reply, String code) {
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("error");
    assertThat(reply.getString("code")).isEqualTo(code);
  }

  @Test
  void joinedCarriesTheProgrammeAndEveryChangeIsPushedAsTalks() {
    String talks = "/api/v1/stages/" + stageId + "/talks";
    JsonObject keynote = await(http.post(talks, talk("Keynote", "2026-11-22T09:00:00Z", "2026-11-22T09:45:00Z"))).json();
    WsClient viewer = await(WsClient.connect(clientVertx, server.port()));
    JsonObject joined = await(viewer.join(stageId));
    assertThat(joined.getJsonArray("talks")).containsExactly(keynote);
    WsClient moderator = await(WsClient.connect(clientVertx, server.port()));
    assertThat(await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN)).getJsonArray("talks")).containsExactly(keynote);

    JsonObject early = await(http.post(talks, talk("Begrüßung", "2026-11-22T08:30:00Z", "2026-11-22T09:00:00Z"))).json();
    for (WsClient client : new WsClient[] {viewer, moderator}) {
      JsonObject pushed = await(client.next(m -> "talks".equals(m.getString("type")) && m.getJsonArray("talks").size() == 2));
      assertThat(pushed.getString("stageId")).isEqualTo(stageId);
      assertThat(pushed.getJsonArray("talks")).containsExactly(early, keynote);
    }
    assertThat(await(http.send(HttpMethod.DELETE, talks + "/" + early.getString("id"), null, TestServer.ORGANISER_TOKEN)).status())
        .isEqualTo(204);
    JsonObject afterDelete = await(viewer.next(m -> "talks".equals(m.getString("type")) && m.getJsonArray("talks").size() == 1));
    assertThat(afterDelete.getJsonArray("talks")).containsExactly(keynote);
  }

  @Test
  void aModeratorTokenJoinsAsModeratorOnItsOwnEventOnly() {
    String token = moderatorToken(eventId);
    WsClient moderator = await(WsClient.connect(clientVertx, server.port()));
    JsonObject joined = await(moderator.joinAsModerator(stageId, token));
    assertThat(joined.getString("type")).as(joined.encode()).isEqualTo("joined");
    assertThat(joined.getString("role")).isEqualTo("moderator");
    assertThat(joined.getJsonObject("presence")).isNotNull();

    // it moderates: a talk it adds over REST is pushed to its own session
    JsonObject added = await(http.send(HttpMethod.POST, "/api/v1/stages/" + stageId + "/talks",
        talk("Panel", "2026-11-22T13:00:00Z", "2026-11-22T14:00:00Z"), token)).json();
    JsonObject pushed = await(moderator.nextOfType("talks"));
    assertThat(pushed.getJsonArray("talks")).containsExactly(added);

    JsonObject other = await(http.stage());
    WsClient elsewhere = await(WsClient.connect(clientVertx, server.port()));
    error(await(elsewhere.joinAsModerator(other.getString("id"), token)), "unauthorized");
    error(await(elsewhere.joinAsModerator(stageId, "pm_" + "A".repeat(43))), "unauthorized");
    error(await(elsewhere.joinAsModerator(stageId, "not-a-token")), "unauthorized");
    assertThat(await(elsewhere.joinAsModerator(other.getString("id"), moderatorToken(other.getString("eventId")))).getString("type"))
        .isEqualTo("joined");

    // revoked: new joins are refused at once
    String id = ((io.vertx.core.json.JsonArray) await(http.get("/api/v1/events/" + eventId + "/moderators")).any())
        .getJsonObject(0).getString("id");
    assertThat(await(http.send(HttpMethod.DELETE, "/api/v1/events/" + eventId + "/moderators/" + id, null, TestServer.ORGANISER_TOKEN))
        .status()).isEqualTo(204);
    WsClient late = await(WsClient.connect(clientVertx, server.port()));
    error(await(late.joinAsModerator(stageId, token)), "unauthorized");
  }
}
