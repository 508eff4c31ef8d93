package org.plenum.gateway;

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
import org.plenum.testing.WsClient;

/**
 * "Present this": a moderator chooses over REST what the stage's projector and overlay show; every
 * session on the stage gets it pushed at once and in {@code joined}; bad choices change nothing.
 */
class PresentationTest {
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private String stageId;
  private String eventId;
  private String path;

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create(2); // the projector and the moderator may sit on different event loops
    clientVertx = TestVertx.create();
    server = await(TestServer.start(serverVertx));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    JsonObject stage = await(http.stage());
    stageId = stage.getString("id");
    eventId = stage.getString("eventId");
    path = "/api/v1/stages/" + stageId + "/presentation";
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private WsClient presenter() {
    WsClient projector = await(WsClient.connect(clientVertx, server.port()));
    JsonObject joined = await(projector.request(new JsonObject().put("type", "join").put("id", WsClient.nextId("j"))
        .put("stageId", stageId).put("role", "presenter")));
    assertThat(joined.getString("type")).as(joined.encode()).isEqualTo("joined");
    return projector;
  }

  private JsonObject put(JsonObject body, int status) {
    Http.Response r = await(http.put(path, body));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
    return r.json();
  }

  private JsonObject hiddenPoll(boolean open) {
    return await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "single")
        .put("question", "Wer?").put("options", new JsonArray().add("A").add("B")).put("open", open))).json();
  }

  @Test
  void everySessionOnTheStageFollowsWhatTheModeratorPresents() {
    WsClient projector = presenter();
    WsClient viewer = await(WsClient.connect(clientVertx, server.port()));
    assertThat(await(viewer.join(stageId)).getJsonObject("presentation"))
        .isEqualTo(new JsonObject().put("kind", "auto").putNull("target").putNull("since"));
    JsonObject poll = hiddenPoll(true).getJsonObject("poll");
    String pollId = poll.getString("id");
    assertThat(poll.getBoolean("resultsVisible")).isFalse();

    JsonObject chosen = put(new JsonObject().put("kind", "results").put("target", pollId), 200);
    assertThat(chosen.getString("kind")).isEqualTo("results");
    assertThat(chosen.getString("target")).isEqualTo(pollId);
    assertThat(chosen.getString("since")).isNotNull();
    for (WsClient client : new WsClient[] {projector, viewer}) {
      JsonObject pushed = await(client.nextOfType("presentation"));
      assertThat(pushed.getString("stageId")).isEqualTo(stageId);
      assertThat(pushed.getJsonObject("presentation")).isEqualTo(chosen);
    }
    // presenting results reveals them: the projector gets the poll with its results
    JsonObject revealed = await(projector.next(m -> "poll".equals(m.getString("type"))
        && m.getJsonObject("poll").getBoolean("resultsVisible")));
    assertThat(revealed.getJsonObject("results")).isNotNull();
    assertThat(await(http.get(path)).json()).isEqualTo(chosen);

    // a late projector gets it in joined; back to auto is pushed too
    WsClient late = await(WsClient.connect(clientVertx, server.port()));
    assertThat(await(late.request(new JsonObject().put("type", "join").put("id", "j-late").put("stageId", stageId)
        .put("role", "presenter"))).getJsonObject("presentation")).isEqualTo(chosen);
    put(new JsonObject().put("kind", "auto"), 200);
    assertThat(await(late.nextOfType("presentation")).getJsonObject("presentation").getString("kind")).isEqualTo("auto");
  }

  @Test
  void badChoicesAreRefusedClearlyAndChangeNothing() {
    String draft = hiddenPoll(false).getJsonObject("poll").getString("id");
    JsonObject shown = put(new JsonObject().put("kind", "nothing"), 200);
    record Bad(JsonObject body, int status, String code, String says) {}
    Bad[] cases = {
      new Bad(new JsonObject(), 400, "missing_field", "kind"),
      new Bad(new JsonObject().put("kind", "slides"), 400, "invalid_field", "kind: must be auto, nothing, poll"),
      new Bad(new JsonObject().put("kind", 3), 400, "invalid_field", "kind: must be a string"),
      new Bad(new JsonObject().put("kind", "poll"), 400, "missing_field", "target"),
      new Bad(new JsonObject().put("kind", "questions").put("target", draft), 400, "invalid_field", "leave target out"),
      new Bad(new JsonObject().put("kind", "poll").put("target", draft), 409, "invalid_state", "draft"),
      new Bad(new JsonObject().put("kind", "poll").put("target", "po-nope"), 404, "unknown_poll", "No poll"),
      new Bad(new JsonObject().put("kind", "cloud").put("target", "wc-nope"), 404, "unknown_cloud", "No word cloud"),
      new Bad(new JsonObject().put("kind", "question").put("target", "ps-nope"), 404, "unknown_post", "No post"),
    };
    for (Bad bad : cases) {
      JsonObject error = put(bad.body(), bad.status()).getJsonObject("error");
      assertThat(error.getString("code")).as(bad.body().encode()).isEqualTo(bad.code());
      assertThat(error.getString("message")).as(bad.body().encode()).contains(bad.says());
    }
    assertThat(await(http.get(path)).json()).as("nothing changed").isEqualTo(shown);
    assertThat(await(http.get("/api/v1/stages/" + stageId + "/polls/" + draft)).json().getJsonObject("poll").getString("state"))
        .isEqualTo("draft");

    // only the event's moderators choose: no token, a viewer's token, another event's moderator
    JsonObject body = new JsonObject().put("kind", "auto");
    assertThat(await(http.send(HttpMethod.PUT, path, body, null)).status()).isEqualTo(401);
    WsClient viewer = await(WsClient.connect(clientVertx, server.port()));
    String viewerToken = await(viewer.join(stageId)).getJsonObject("participant").getString("token");
    assertThat(await(http.send(HttpMethod.PUT, path, body, viewerToken)).status()).isEqualTo(401);
    String otherEvent = await(http.stage()).getString("eventId");
    assertThat(otherEvent).isNotEqualTo(eventId);
    String otherModerator = await(http.post("/api/v1/events/" + otherEvent + "/moderators",
        new JsonObject().put("label", "Saal 9"))).json().getString("token");
    assertThat(await(http.send(HttpMethod.PUT, path, body, otherModerator)).status()).isIn(401, 403);
    assertThat(await(http.get(path)).json()).as("nothing changed").isEqualTo(shown);
  }
}
