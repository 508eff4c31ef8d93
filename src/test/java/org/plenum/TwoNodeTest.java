package org.plenum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.plenum.testing.Http;
import org.plenum.testing.NodesExtension;
import org.plenum.testing.TestServer;
import org.plenum.testing.WsClient;

/** Two Plenum nodes (each its own Vert.x) sharing one real redis-server. */
class TwoNodeTest {
  @RegisterExtension
  static final NodesExtension nodes = NodesExtension.onRedis(2);

  @Test
  void revokingAModeratorThroughNodeAClosesItsSessionOnNodeBAndPreModerationIsInForceThereAtOnce() {
    Http httpA = nodes.node(0).http();
    Http httpB = nodes.node(1).http();
    JsonObject stage = await(httpA.stage());
    String stageId = stage.getString("id");
    String eventId = stage.getString("eventId");
    JsonObject access = await(httpA.post("/api/v1/events/" + eventId + "/moderators",
        new JsonObject().put("label", "Saal 2"))).json();
    WsClient moderatorOnB = await(WsClient.connect(nodes.clients(), nodes.node(1).port()));
    assertThat(await(moderatorOnB.joinAsModerator(stageId, access.getString("token"))).getString("type")).isEqualTo("joined");
    assertThat(await(httpA.send(io.vertx.core.http.HttpMethod.DELETE,
        "/api/v1/events/" + eventId + "/moderators/" + access.getString("id"), null, TestServer.ORGANISER_TOKEN)).status())
        .isEqualTo(204);
    assertThat(await(moderatorOnB.closed(), 10)).isEqualTo((short) 4403);

    WsClient viewerOnB = await(WsClient.connect(nodes.clients(), nodes.node(1).port()));
    await(viewerOnB.join(stageId));
    await(httpA.send(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/stages/" + stageId + "/settings",
        new JsonObject().put("questionModeration", true), TestServer.ORGANISER_TOKEN));
    String postId = await(viewerOnB.request(new JsonObject().put("type", "post").put("id", "q-after-patch")
        .put("kind", "question").put("text", "Gleich nach der Umstellung?"))).getString("postId");
    assertThat(await(httpB.get("/api/v1/stages/" + stageId + "/posts/" + postId)).json().getString("state"))
        .as("the settings are read from Redis, not from node B's cache").isEqualTo("pending");
  }

  @Test
  void aVoteOnNodeAReachesAModeratorOnNodeB() {
    Http httpA = nodes.node(0).http();
    String stageId = await(httpA.stage()).getString("id");
    String pollId = await(httpA.openPoll(stageId)).getJsonObject("poll").getString("id");

    WsClient moderatorOnB = await(WsClient.connect(nodes.clients(), nodes.node(1).port()));
    await(moderatorOnB.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    WsClient viewerOnA = await(WsClient.connect(nodes.clients(), nodes.node(0).port()));
    Future<JsonObject> presence = moderatorOnB.next(m -> "presence".equals(m.getString("type")) && m.getLong("viewers") == 1);
    await(viewerOnA.join(stageId));
    assertThat(await(presence).getLong("moderators")).isEqualTo(1);

    // results arrive as a `results` snapshot, or inside a `poll` push when the poll's own
    // announcement reaches node B after the vote (both carry versioned results)
    Future<JsonObject> pushed = moderatorOnB.next(m -> ("results".equals(m.getString("type")) || "poll".equals(m.getString("type")))
        && m.getJsonObject("results") != null && m.getJsonObject("results").getLong("voters") == 1);
    assertThat(await(viewerOnA.vote(pollId, "b")).getString("type")).isEqualTo("ack");
    JsonObject results = await(pushed).getJsonObject("results");
    assertThat(results.getJsonObject("counts").getMap()).containsEntry("b", 1);
  }

  @Test
  void aPollOpenedThroughNodeBIsPushedToViewersOnNodeAAndTheTokenWorksOnBoth() {
    Http httpA = nodes.node(0).http();
    Http httpB = nodes.node(1).http();
    String stageId = await(httpA.stage()).getString("id");
    String pollId = await(httpA.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "single")
        .put("question", "Ja oder nein?").put("options", new io.vertx.core.json.JsonArray().add("Ja").add("Nein"))))
        .json().getJsonObject("poll").getString("id");

    WsClient viewerOnA = await(WsClient.connect(nodes.clients(), nodes.node(0).port()));
    await(viewerOnA.join(stageId));
    Future<JsonObject> opened = viewerOnA.next(m -> "poll".equals(m.getString("type"))
        && "open".equals(m.getJsonObject("poll").getString("state")));
    await(httpB.post("/api/v1/stages/" + stageId + "/polls/" + pollId + "/open", null));
    await(opened);
    await(viewerOnA.vote("cross-1", pollId, "a"));

    WsClient sameViewerOnB = await(WsClient.connect(nodes.clients(), nodes.node(1).port()));
    sameViewerOnB.token = viewerOnA.token;
    JsonObject joined = await(sameViewerOnB.join(stageId));
    assertThat(joined.getJsonObject("participant").getString("id")).isEqualTo(viewerOnA.participantId);
    assertThat(await(sameViewerOnB.vote("cross-1", pollId, "a")).getBoolean("duplicate")).isTrue();
    await(sameViewerOnB.vote("cross-2", pollId, "b"));
    JsonObject results = await(httpA.get("/api/v1/stages/" + stageId + "/polls/" + pollId)).json().getJsonObject("results");
    assertThat(results.getJsonObject("counts").getMap()).containsEntry("a", 0).containsEntry("b", 1);
    assertThat(results.getLong("voters")).isEqualTo(1);
  }

  @Test
  void aQuestionAskedOnNodeAIsApprovedOnNodeBAndAppearsOnBoth() {
    Http httpA = nodes.node(0).http();
    Http httpB = nodes.node(1).http();
    String stageId = await(httpA.stage()).getString("id");
    await(httpB.send(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/stages/" + stageId + "/settings",
        new JsonObject().put("questionModeration", true), TestServer.ORGANISER_TOKEN));

    WsClient askerOnA = await(WsClient.connect(nodes.clients(), nodes.node(0).port()));
    await(askerOnA.join(stageId));
    WsClient viewerOnB = await(WsClient.connect(nodes.clients(), nodes.node(1).port()));
    await(viewerOnB.join(stageId));
    WsClient moderatorOnB = await(WsClient.connect(nodes.clients(), nodes.node(1).port()));
    await(moderatorOnB.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));

    Future<JsonObject> pending = moderatorOnB.next(m -> "post".equals(m.getString("type"))
        && "pending".equals(m.getJsonObject("post").getString("state")));
    String postId = await(askerOnA.request(new JsonObject().put("type", "post").put("id", "ask-1")
        .put("kind", "question").put("text", "Wie sicher ist die Cloud?"))).getString("postId");
    assertThat(await(pending).getJsonObject("post").getString("id")).isEqualTo(postId);

    Future<JsonObject> onA = askerOnA.next(m -> "post".equals(m.getString("type"))
        && "published".equals(m.getJsonObject("post").getString("state")));
    Future<JsonObject> onB = viewerOnB.next(m -> "post".equals(m.getString("type"))
        && "published".equals(m.getJsonObject("post").getString("state")));
    await(httpB.post("/api/v1/stages/" + stageId + "/posts/" + postId + "/approve", null));
    assertThat(await(onA).getJsonObject("post").getBoolean("mine")).isTrue();
    assertThat(await(onB).getJsonObject("post").getString("text")).isEqualTo("Wie sicher ist die Cloud?");

    Future<JsonObject> upvoted = askerOnA.next(m -> "post".equals(m.getString("type"))
        && m.getJsonObject("post").getLong("upvotes") == 1);
    await(viewerOnB.request(new JsonObject().put("type", "upvote").put("id", "up-1").put("postId", postId)));
    assertThat(await(upvoted).getJsonObject("post").getString("id")).isEqualTo(postId);
  }

  @Test
  void aWordSubmittedOnNodeAReachesAModeratorOnNodeB() {
    Http httpA = nodes.node(0).http();
    String stageId = await(httpA.stage()).getString("id");
    String cloudId = await(httpA.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
    WsClient moderatorOnB = await(WsClient.connect(nodes.clients(), nodes.node(1).port()));
    await(moderatorOnB.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    WsClient viewerOnA = await(WsClient.connect(nodes.clients(), nodes.node(0).port()));
    await(viewerOnA.join(stageId));
    // the entry arrives as a `words` snapshot, or inside a `cloud` push if the cloud's own
    // announcement reaches node B after the entry (both carry versioned results)
    Future<JsonObject> words = moderatorOnB.next(m -> ("words".equals(m.getString("type")) || "cloud".equals(m.getString("type")))
        && m.getJsonObject("results") != null && m.getJsonObject("results").getLong("entries") == 1);
    assertThat(await(viewerOnA.request(new JsonObject().put("type", "word").put("id", "w-1").put("cloudId", cloudId)
        .put("text", "Souveränität"))).getString("type")).isEqualTo("ack");
    try {
      assertThat(await(words, 5).getJsonObject("results").getJsonArray("words").getJsonObject(0).getString("text"))
          .isEqualTo("Souveränität");
    } catch (AssertionError e) {
      throw new AssertionError("moderator on B got: " + moderatorOnB.inbox(), e);
    }
    WsClient sameViewerOnB = await(WsClient.connect(nodes.clients(), nodes.node(1).port()));
    sameViewerOnB.token = viewerOnA.token;
    assertThat(await(sameViewerOnB.join(stageId)).getJsonArray("clouds").getJsonObject(0).getJsonArray("mine"))
        .containsExactly("souveränität");
  }
}
