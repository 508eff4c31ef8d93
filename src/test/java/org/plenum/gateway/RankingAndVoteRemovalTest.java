package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/** Ranking polls and a moderator's removal of a participant's votes, over real WebSocket connections. */
class RankingAndVoteRemovalTest {
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private String stageId;

  /** The server's engine settings; {@link RankingAndVoteRemovalOnRedisTest} runs the same on Redis. */
  java.util.Map<String, String> engine() {
    return java.util.Map.of();
  }

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    server = await(TestServer.start(serverVertx, engine()));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    stageId = await(http.stage()).getString("id");
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private WsClient viewer() {
    WsClient v = await(WsClient.connect(clientVertx, server.port()));
    await(v.join(stageId));
    return v;
  }

  private WsClient moderator() {
    WsClient m = await(WsClient.connect(clientVertx, server.port()));
    await(m.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    return m;
  }

  private String rankingPoll() {
    Http.Response created = await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "ranking")
        .put("question", "Was zuerst?").put("options", new JsonArray().add("OZG").add("KI").add("Cloud"))
        .put("resultsVisible", true).put("open", true)));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    JsonObject poll = created.json().getJsonObject("poll");
    assertThat(poll.getString("kind")).isEqualTo("ranking");
    assertThat(poll.getInteger("maxSelections")).isEqualTo(3);
    return poll.getString("id");
  }

  private static JsonObject rank(String pollId, String... order) {
    return new JsonObject().put("type", "vote").put("id", WsClient.nextId("r")).put("pollId", pollId)
        .put("choices", new JsonArray(List.of((Object[]) order)));
  }

  private static void error(JsonObject reply, String code, String messagePart) {
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("error");
    assertThat(reply.getString("code")).isEqualTo(code);
    assertThat(reply.getString("message")).contains(messagePart);
  }

  private JsonObject results(String pollId) {
    return await(http.get("/api/v1/stages/" + stageId + "/polls/" + pollId)).json().getJsonObject("results");
  }

  private Future<JsonObject> resultsWith(WsClient c, String pollId, long version) {
    return c.next(m -> "results".equals(m.getString("type")) && pollId.equals(m.getJsonObject("results").getString("pollId"))
        && m.getJsonObject("results").getLong("version") == version);
  }

  @Test
  void aRankingIsCountedByBordaAndTheModeratorSeesPointsAndDistribution() {
    String pollId = rankingPoll();
    WsClient m = moderator();
    WsClient alice = viewer();
    WsClient bob = viewer();
    assertThat(await(alice.request(rank(pollId, "b", "a", "c"))).getString("type")).isEqualTo("ack");
    Future<JsonObject> pushed = resultsWith(m, pollId, 2);
    assertThat(await(bob.request(rank(pollId, "b", "c", "a"))).getString("type")).isEqualTo("ack");
    JsonObject r = await(pushed).getJsonObject("results");
    assertThat(r.getJsonObject("counts")).isEqualTo(new JsonObject().put("a", 1).put("b", 4).put("c", 1));
    JsonObject ranking = r.getJsonObject("ranking");
    assertThat(ranking.getJsonObject("distribution")).isEqualTo(new JsonObject()
        .put("a", new JsonArray().add(0).add(1).add(1)).put("b", new JsonArray().add(2).add(0).add(0))
        .put("c", new JsonArray().add(0).add(1).add(1)));
    assertThat(ranking.getJsonObject("meanRank").getDouble("b")).isEqualTo(1.0);
    assertThat(ranking.getLong("maxPoints")).isEqualTo(4);

    // a changed order replaces the first one
    Future<JsonObject> changed = resultsWith(m, pollId, 3);
    assertThat(await(alice.request(rank(pollId, "c", "a", "b"))).getString("type")).isEqualTo("ack");
    assertThat(await(changed).getJsonObject("results").getJsonObject("counts"))
        .isEqualTo(new JsonObject().put("a", 1).put("b", 2).put("c", 3));
    assertThat(await(changed).getJsonObject("results").getLong("voters")).isEqualTo(2);
  }

  @Test
  void anInvalidOrderIsRefusedClearlyAndChangesNothing() {
    String pollId = rankingPoll();
    WsClient v = viewer();
    assertThat(await(v.request(rank(pollId, "a", "b", "c"))).getString("type")).isEqualTo("ack");
    error(await(v.request(rank(pollId, "c", "c", "a"))), "invalid_option", "ranked twice");
    error(await(v.request(rank(pollId, "c", "b", "z"))), "invalid_option", "not an option");
    error(await(v.request(rank(pollId, "c", "b"))), "invalid_option", "2 of 3 options ranked");
    error(await(v.request(rank(pollId, "c", "b", "a", "d"))), "too_many_selections", "4 entries");
    error(await(v.request(rank(pollId))), "invalid_option", "0 of 3");
    error(await(v.request(new JsonObject().put("type", "vote").put("id", "rate1").put("pollId", pollId).put("rating", 2))),
        "invalid_option", "ranking poll");
    JsonObject r = results(pollId);
    assertThat(r.getLong("version")).isEqualTo(1);
    assertThat(r.getJsonObject("counts")).isEqualTo(new JsonObject().put("a", 2).put("b", 1).put("c", 0));
  }

  @Test
  void aModeratorRemovesAMutedParticipantsVotesFromOpenAndClosedPollsOnce() {
    String ranked = rankingPoll();
    String single = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    WsClient troll = viewer();
    WsClient other = viewer();
    WsClient m = moderator();
    await(troll.request(rank(ranked, "c", "b", "a")));
    await(other.request(rank(ranked, "a", "b", "c")));
    await(troll.vote(single, "c"));
    await(other.vote(single, "a"));
    String postId = await(troll.request(new JsonObject().put("type", "post").put("id", "q1").put("kind", "question")
        .put("text", "Spam"))).getString("postId");
    String posts = "/api/v1/stages/" + stageId + "/posts/";
    assertThat(await(http.post("/api/v1/stages/" + stageId + "/polls/" + single + "/close", null)).status()).isEqualTo(200);
    assertThat(await(http.post(posts + postId + "/mute-author", null)).status()).isEqualTo(200);

    // only a moderator may remove votes
    assertThat(await(http.send(io.vertx.core.http.HttpMethod.POST, posts + postId + "/remove-author-votes", null, troll.token))
        .status()).isEqualTo(401);
    Future<JsonObject> rankedPushed = resultsWith(other, ranked, 3);
    Future<JsonObject> singlePushed = resultsWith(m, single, 3);
    Http.Response removed = await(http.post(posts + postId + "/remove-author-votes", null));
    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.json()).isEqualTo(new JsonObject().put("postId", postId).put("polls", new JsonArray().add(ranked).add(single)));
    assertThat(await(rankedPushed).getJsonObject("results").getJsonObject("counts"))
        .as("every viewer sees the new tally").isEqualTo(new JsonObject().put("a", 2).put("b", 1).put("c", 0));
    assertThat(await(singlePushed).getJsonObject("results").getLong("voters")).as("closed polls too").isEqualTo(1);
    assertThat(results(single).getJsonObject("counts")).isEqualTo(new JsonObject().put("a", 1).put("b", 0).put("c", 0));

    // idempotent: a second removal changes nothing
    assertThat(await(http.post(posts + postId + "/remove-author-votes", null)).json().getJsonArray("polls")).isEmpty();
    assertThat(results(ranked).getLong("version")).isEqualTo(3);
    assertThat(await(http.post(posts + "qanothere000/remove-author-votes", null)).status()).isEqualTo(404);
  }
}
