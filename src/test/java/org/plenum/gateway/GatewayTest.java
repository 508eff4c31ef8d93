package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/** The WebSocket protocol over real connections: a real server, real Vert.x WebSocket clients. */
class GatewayTest {
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private String stageId;
  private String stageCode;
  private String pollId;

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    server = await(TestServer.start(serverVertx));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    JsonObject stage = await(http.stage());
    stageId = stage.getString("id");
    stageCode = stage.getString("code");
    pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private WsClient viewer() {
    return await(WsClient.connect(clientVertx, server.port()));
  }

  private WsClient moderator() {
    WsClient m = viewer();
    assertThat(await(m.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN)).getString("type")).isEqualTo("joined");
    return m;
  }

  private static JsonObject error(JsonObject reply, String code) {
    assertThat(reply.getString("type")).as("reply to an action " + reply).isEqualTo("error");
    assertThat(reply.getString("code")).isEqualTo(code);
    assertThat(reply.getString("message")).isNotBlank();
    return reply;
  }

  private Future<JsonObject> resultsWith(WsClient c, long voters) {
    return c.next(m -> "results".equals(m.getString("type"))
        && m.getJsonObject("results").getLong("voters") == voters);
  }

  private JsonObject counts() {
    return await(http.get("/api/v1/stages/" + stageId + "/polls/" + pollId)).json()
        .getJsonObject("results").getJsonObject("counts");
  }

  @Test
  void joinByIdGivesASnapshotAndATokenWithoutPersonalData() {
    JsonObject joined = await(viewer().join(stageId));
    assertThat(joined.getString("type")).isEqualTo("joined");
    assertThat(joined.getString("role")).isEqualTo("viewer");
    assertThat(joined.getJsonObject("stage").getString("id")).isEqualTo(stageId);
    assertThat(joined.getJsonObject("participant").getString("token")).startsWith("v1.");
    assertThat(joined.getJsonObject("participant").getBoolean("renewed")).isTrue();
    JsonArray polls = joined.getJsonArray("polls");
    assertThat(polls).hasSize(1);
    assertThat(polls.getJsonObject(0).getJsonObject("poll").getString("state")).isEqualTo("open");
    assertThat(polls.getJsonObject(0).getJsonObject("results").getLong("version")).isZero();
    assertThat(joined.containsKey("presence")).isFalse();
  }

  @Test
  void joinByCodeIsCaseInsensitive() {
    WsClient v = viewer();
    JsonObject joined = await(v.request(new JsonObject().put("type", "join").put("id", "j1").put("code", stageCode.toLowerCase())));
    assertThat(joined.getJsonObject("stage").getString("id")).isEqualTo(stageId);
  }

  @Test
  void voteIsAcknowledgedAndTheModeratorSeesItMove() {
    WsClient m = moderator();
    WsClient v = viewer();
    await(v.join(stageId));
    Future<JsonObject> pushed = resultsWith(m, 1);
    JsonObject ack = await(v.vote("vote-1", pollId, "b"));
    assertThat(ack).isEqualTo(new JsonObject().put("type", "ack").put("id", "vote-1").put("duplicate", false));
    JsonObject results = await(pushed).getJsonObject("results");
    assertThat(results.getJsonObject("counts").getMap()).containsEntry("a", 0).containsEntry("b", 1).containsEntry("c", 0);
    assertThat(results.getLong("version")).isEqualTo(1);
  }

  @Test
  void secondVoteFromSameParticipantMovesTheCount() {
    WsClient v = viewer();
    await(v.join(stageId));
    await(v.vote(pollId, "a"));
    await(v.vote(pollId, "c"));
    assertThat(counts().getMap()).containsEntry("a", 0).containsEntry("c", 1);
  }

  @Test
  void retriedActionIdIsAppliedOnceAndAcknowledgedAsDuplicate() {
    WsClient v = viewer();
    await(v.join(stageId));
    assertThat(await(v.vote("same-id", pollId, "a")).getBoolean("duplicate")).isFalse();
    assertThat(await(v.vote("same-id", pollId, "b")).getBoolean("duplicate")).isTrue();
    assertThat(counts().getMap()).containsEntry("a", 1).containsEntry("b", 0);
  }

  @Test
  void reconnectWithTheTokenKeepsTheParticipantAndTheDedup() {
    WsClient first = viewer();
    await(first.join(stageId));
    await(first.vote("before-drop", pollId, "a"));
    await(first.close());

    WsClient again = viewer();
    again.token = first.token;
    JsonObject joined = await(again.join(stageId));
    assertThat(joined.getJsonObject("participant").getString("id")).isEqualTo(first.participantId);
    assertThat(joined.getJsonObject("participant").getBoolean("renewed")).isFalse();
    assertThat(await(again.vote("before-drop", pollId, "a")).getBoolean("duplicate")).isTrue();
    await(again.vote("after-drop", pollId, "b"));
    assertThat(counts().getMap()).containsEntry("a", 0).containsEntry("b", 1);
    assertThat(await(http.get("/api/v1/stages/" + stageId + "/polls/" + pollId)).json()
        .getJsonObject("results").getLong("voters")).isEqualTo(1);
  }

  @Test
  void aForgedTokenGetsAFreshParticipantNotAnError() {
    WsClient v = viewer();
    v.token = "v1.someoneelse.forgedsignature";
    JsonObject joined = await(v.join(stageId));
    assertThat(joined.getJsonObject("participant").getBoolean("renewed")).isTrue();
    assertThat(joined.getJsonObject("participant").getString("id")).isNotEqualTo("someoneelse");
  }

  @Test
  void badInputGetsAClearErrorAndChangesNothing() {
    WsClient v = viewer();
    v.sendText("{not json");
    assertThat(error(await(v.nextOfType("error")), "bad_json").getValue("id")).isNull();
    v.sendText("[1,2]");
    error(await(v.nextOfType("error")), "bad_json");
    v.socket().writeBinaryMessage(Buffer.buffer("{\"type\":\"ping\"}"));
    error(await(v.nextOfType("error")), "bad_json");
    error(await(v.request(new JsonObject().put("type", "dance").put("id", "x1"))), "unknown_type");
    v.sendText("{\"id\":\"x2\"}");
    assertThat(error(await(v.nextOfType("error")), "unknown_type").getString("id")).isEqualTo("x2");
    v.sendText("{\"type\":\"vote\",\"pollId\":\"" + pollId + "\",\"choices\":[\"a\"]}");
    error(await(v.nextOfType("error")), "missing_field");
    v.sendText("{\"type\":\"vote\",\"id\":\"has space\",\"pollId\":\"" + pollId + "\",\"choices\":[\"a\"]}");
    error(await(v.nextOfType("error")), "invalid_field");
    error(await(v.request(vote("x3", pollId).put("choices", new JsonArray().add("a")))), "not_joined");
    error(await(v.request(new JsonObject().put("type", "join").put("id", "x4").put("stageId", "stnothere000"))), "unknown_stage");
    error(await(v.request(new JsonObject().put("type", "join").put("id", "x5").put("code", "ZZZZZZ"))), "unknown_stage");
    error(await(v.request(new JsonObject().put("type", "join").put("id", "x6"))), "missing_field");
    error(await(v.request(new JsonObject().put("type", "join").put("id", "x7").put("stageId", stageId).put("role", "king"))), "invalid_field");
    error(await(v.request(new JsonObject().put("type", "join").put("id", "x8").put("stageId", stageId).put("role", "moderator").put("auth", "wrong-token"))), "unauthorized");
    await(v.join(stageId));
    error(await(v.request(vote("x9", "plnothere000").put("choices", new JsonArray().add("a")))), "unknown_poll");
    error(await(v.request(vote("x10", pollId).put("choices", new JsonArray().add("z")))), "invalid_option");
    error(await(v.request(vote("x11", pollId).put("choices", new JsonArray().add("a").add("b")))), "too_many_selections");
    error(await(v.request(vote("x12", pollId).put("rating", 3))), "invalid_option");
    error(await(v.request(vote("x13", pollId).put("choices", "a"))), "invalid_field");
    error(await(v.request(vote("x14", pollId))), "missing_field");
    error(await(v.request(vote("x15", pollId).put("choices", new JsonArray().add("a")).put("pad", "p".repeat(9000)))), "frame_too_large");
    assertThat(await(v.request(new JsonObject().put("type", "ping").put("id", "still-open"))).getString("type")).isEqualTo("pong");
    assertThat(counts().getMap()).containsEntry("a", 0).containsEntry("b", 0).containsEntry("c", 0);
  }

  private static JsonObject vote(String id, String pollId) {
    return new JsonObject().put("type", "vote").put("id", id).put("pollId", pollId);
  }

  @Test
  void aJoinNamingBothStageIdAndCodeIsRefusedAndJoinsNothing() {
    WsClient v = viewer();
    JsonObject both = new JsonObject().put("type", "join").put("id", "j-both").put("stageId", stageId).put("code", stageCode);
    JsonObject refused = error(await(v.request(both)), "invalid_field");
    assertThat(refused.getString("id")).isEqualTo("j-both");
    assertThat(refused.getString("message")).contains("stageId").contains("code");
    // nothing was joined: actions still need a join
    error(await(v.request(vote("after-both", pollId).put("choices", new JsonArray().add("a")))), "not_joined");
  }

  @Test
  void voteShapeErrorsHaveTheDocumentedCodes() {
    WsClient v = viewer();
    await(v.join(stageId));
    error(await(v.request(vote("n1", pollId))), "missing_field");
    error(await(v.request(vote("n2", pollId).put("choices", new JsonArray()))), "invalid_option");
    error(await(v.request(vote("n3", pollId).put("rating", 4.5))), "invalid_field");
    error(await(v.request(vote("n4", pollId).put("rating", 4.0))), "invalid_field");
    error(await(v.request(vote("n5", pollId).put("rating", "4"))), "invalid_field");
    error(await(v.request(vote("n6", pollId).put("choices", new JsonArray().add("a")).put("rating", 4))), "invalid_field");
    error(await(v.request(vote("n7", pollId).put("choices", new JsonArray().add(1)))), "invalid_field");
    assertThat(counts().getMap()).containsEntry("a", 0).containsEntry("b", 0).containsEntry("c", 0);
  }

  @Test
  void aVoteWithAPollIdFromTheRestAnswerIsAcceptedAtOnce() {
    WsClient v = viewer();
    await(v.join(stageId));
    for (int i = 0; i < 10; i++) {
      // no waiting for the poll push: the id comes straight from the REST answer
      String fresh = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
      assertThat(await(v.vote(fresh, "a")).getString("type")).isEqualTo("ack");
    }
  }

  @Test
  void votingInAClosedPollIsRefused() {
    WsClient v = viewer();
    await(v.join(stageId));
    await(http.post("/api/v1/stages/" + stageId + "/polls/" + pollId + "/close", null));
    await(v.next(m -> "poll".equals(m.getString("type")) && "closed".equals(m.getJsonObject("poll").getString("state"))));
    error(await(v.vote(pollId, "a")), "poll_not_open");
    assertThat(counts().getMap()).containsEntry("a", 0);
  }

  @Test
  void presentersAndModeratorsDoNotVote() {
    WsClient presenter = viewer();
    await(presenter.request(new JsonObject().put("type", "join").put("id", "p1").put("stageId", stageId).put("role", "presenter")));
    error(await(presenter.vote(pollId, "a")), "forbidden");
    error(await(moderator().vote(pollId, "a")), "forbidden");
  }

  @Test
  void aFrameOverTheHardLimitClosesTheConnection() {
    WsClient v = viewer();
    v.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
    // the server answers with close 1009 and drops the connection; a client still sending its
    // oversized frame may see only the drop (1006)
    assertThat(await(v.closed())).isIn((short) 1009, (short) 1006);
  }

  @Test
  void tooManyMessagesAreRateLimitedWithAWaitTime() {
    WsClient v = viewer();
    for (int i = 0; i < 45; i++) {
      v.send(new JsonObject().put("type", "ping").put("id", "p" + i));
    }
    JsonObject limited = error(await(v.nextOfType("error")), "rate_limited");
    assertThat(limited.getLong("retryAfterMs")).isPositive();
    assertThat(limited.getString("id")).startsWith("p");
  }

  @Test
  void aFloodingClientIsClosedWith4029() {
    WsClient v = viewer();
    for (int i = 0; i < 200; i++) {
      v.send(new JsonObject().put("type", "ping"));
    }
    assertThat(await(v.closed())).isEqualTo((short) 4029);
  }

  @Test
  void viewersSeeResultsOnlyOnceRevealed() {
    JsonObject hidden = await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "multiple")
        .put("question", "Topics?").put("options", new JsonArray().add("KI").add("Cloud").add("OZG")).put("maxSelections", 2)
        .put("open", true))).json();
    String hiddenId = hidden.getJsonObject("poll").getString("id");
    WsClient v = viewer();
    JsonObject joined = await(v.join(stageId));
    assertThat(joined.getJsonArray("polls").getJsonObject(1).getValue("results")).isNull();
    WsClient m = moderator();
    Future<JsonObject> moderatorSaw = m.next(x -> "results".equals(x.getString("type"))
        && hiddenId.equals(x.getJsonObject("results").getString("pollId")));
    await(v.request(vote("h1", hiddenId).put("choices", new JsonArray().add("a").add("c"))));
    await(moderatorSaw);
    assertThat(v.inbox()).noneMatch(x -> "results".equals(x.getString("type")));

    await(http.post("/api/v1/stages/" + stageId + "/polls/" + hiddenId + "/reveal", null));
    JsonObject revealed = await(v.next(x -> "poll".equals(x.getString("type")) && x.getJsonObject("poll").getBoolean("resultsVisible")));
    assertThat(revealed.getJsonObject("results").getJsonObject("counts").getMap())
        .containsEntry("a", 1).containsEntry("b", 0).containsEntry("c", 1);
  }

  @Test
  void draftsStayWithModeratorsUntilOpened() {
    JsonObject draft = await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "rating")
        .put("question", "How was it?").put("scale", 5).put("resultsVisible", true))).json();
    String draftId = draft.getJsonObject("poll").getString("id");
    WsClient v = viewer();
    assertThat(await(v.join(stageId)).getJsonArray("polls")).hasSize(1);
    error(await(v.request(vote("d1", draftId).put("rating", 4))), "unknown_poll");
    WsClient m = viewer();
    assertThat(await(m.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN)).getJsonArray("polls")).hasSize(2);

    await(http.post("/api/v1/stages/" + stageId + "/polls/" + draftId + "/open", null));
    await(v.next(x -> "poll".equals(x.getString("type")) && draftId.equals(x.getJsonObject("poll").getString("id"))));
    assertThat(await(v.request(vote("d2", draftId).put("rating", 4))).getString("type")).isEqualTo("ack");
    JsonObject results = await(v.next(x -> "results".equals(x.getString("type")))).getJsonObject("results");
    assertThat(results.getDouble("mean")).isEqualTo(4.0);
  }

  @Test
  void moderatorsSeeLiveViewerCounts() {
    WsClient m = moderator();
    assertThat(await(m.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN)).getJsonObject("presence").getLong("moderators"))
        .isEqualTo(1);
    Future<JsonObject> two = m.next(x -> "presence".equals(x.getString("type")) && x.getLong("viewers") == 2);
    await(viewer().join(stageId));
    await(viewer().join(stageId));
    assertThat(await(two).getString("stageId")).isEqualTo(stageId);
  }

  @Test
  void aModeratorCanWatchEveryStageOnOneConnection() {
    JsonObject second = await(http.post("/api/v1/events/" + await(http.get("/api/v1/stages/" + stageId)).json().getString("eventId")
        + "/stages", new JsonObject().put("name", "Second"))).json();
    String secondPoll = await(http.openPoll(second.getString("id"))).getJsonObject("poll").getString("id");
    WsClient m = moderator();
    await(m.joinAsModerator(second.getString("id"), TestServer.ORGANISER_TOKEN));
    WsClient v = viewer();
    await(v.join(second.getString("id")));
    Future<JsonObject> pushed = m.next(x -> "results".equals(x.getString("type")) && second.getString("id").equals(x.getString("stageId")));
    assertThat(await(v.vote(secondPoll, "c")).getString("type")).isEqualTo("ack");
    try {
      assertThat(await(pushed, 5).getJsonObject("results").getString("pollId")).isEqualTo(secondPoll);
    } catch (AssertionError e) {
      throw new AssertionError("moderator inbox: " + m.inbox(), e);
    }
  }

  @Test
  void slowViewerIsClosedWith4008() {
    await(server.stop());
    server = await(TestServer.start(serverVertx, Map.of("PLENUM_WRITE_QUEUE_MAX_BYTES", "4096",
        "PLENUM_SLOW_CLIENT_TIMEOUT_MS", "300")));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    stageId = await(http.stage()).getString("id");
    JsonArray options = new JsonArray();
    for (int i = 0; i < 20; i++) {
      options.add("Option " + i + " " + "x".repeat(100));
    }
    JsonObject poll = await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "single")
        .put("question", "q".repeat(300)).put("options", options).put("open", true))).json();
    String bigPoll = poll.getJsonObject("poll").getString("id");
    WsClient slow = await(WsClient.connect(clientVertx, server.port(),
        new io.vertx.core.http.WebSocketClientOptions().setReceiveBufferSize(2048)));
    await(slow.join(stageId));
    WsClient healthy = viewer();
    await(healthy.join(stageId));
    slow.socket().pause();
    // every reveal/hide is a ~3 kB poll push; the paused client stops reading, its queue fills,
    // and the server must give up on it (the close frame itself waits until the client reads again)
    int toggles = 0;
    while ((toggles % 20 != 0 || !slowClientClosedByServer()) && toggles < 20_000) {
      String step = toggles % 2 == 0 ? "/reveal" : "/hide";
      await(http.post("/api/v1/stages/" + stageId + "/polls/" + bigPoll + step, null));
      toggles++;
    }
    Future<Short> closed = slow.closed();
    slow.socket().resume();
    assertThat(await(closed)).isEqualTo((short) 4008);
    assertThat(await(healthy.request(new JsonObject().put("type", "ping").put("id", "alive"))).getString("type")).isEqualTo("pong");
    assertThat(server.port()).isPositive();
  }

  private boolean slowClientClosedByServer() {
    String metrics = await(http.get("/metrics")).body().toString();
    return metrics.lines().anyMatch(l -> l.startsWith("plenum_slow_clients_closed_total") && !l.endsWith(" 0.0"));
  }

  @Test
  void gracefulShutdownTellsClientsWith1001() {
    WsClient v = viewer();
    await(v.join(stageId));
    await(server.stop());
    assertThat(await(v.closed())).isEqualTo((short) 1001);
    server = await(TestServer.start(serverVertx));
  }

  @Test
  void fiveHundredConcurrentVotersAreCountedExactly() {
    int voters = 500;
    WsClient m = moderator();
    List<WsClient> clients = new java.util.ArrayList<>();
    for (int i = 0; i < voters; i++) {
      clients.add(viewer());
    }
    await(Future.all(clients.stream().map(c -> c.join(stageId)).toList()));
    Future<JsonObject> allVisible = resultsWith(m, voters);
    String[] options = {"a", "b", "c"};
    List<Future<JsonObject>> acks = new java.util.ArrayList<>();
    for (int i = 0; i < voters; i++) {
      acks.add(clients.get(i).vote("burst-" + i, pollId, options[i % 3]));
    }
    await(Future.all(acks), 60);
    long acked = acks.stream().filter(f -> "ack".equals(f.result().getString("type"))).count();
    assertThat(acked).isEqualTo(voters);
    JsonObject seen = await(allVisible, 30).getJsonObject("results");
    assertThat(seen.getJsonObject("counts").getMap()).containsEntry("a", 167).containsEntry("b", 167).containsEntry("c", 166);
    assertThat(counts().getMap()).isEqualTo(seen.getJsonObject("counts").getMap());
  }
}
