package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * A quiz over real WebSockets (issue 12): viewers choose nicknames and answer once (a retry is a
 * duplicate, a second answer {@code already_answered}, a late one refused), the moderator sees the
 * leaderboard live, reveals the answer and puts the leaderboard on screen. The correct options
 * never reach a viewer or the projector before the reveal. On Redis the viewers and the projector
 * sit on a second node, which learns of every change through Redis.
 */
class QuizTest {
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private PlenumServer second;
  private Http http;
  private String stageId;

  Map<String, String> engine() {
    return Map.of();
  }

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

  private int audiencePort() {
    return (second != null ? second : server).port();
  }

  private JsonObject quiz(String question, boolean open, Integer seconds) {
    JsonObject body = new JsonObject().put("kind", "quiz").put("question", question)
        .put("options", new JsonArray().add("Paris").add("Rome").add("Berlin")).put("correct", new JsonArray().add(0))
        .put("speedBonus", true).put("open", open);
    if (seconds != null) {
      body.put("seconds", seconds);
    }
    Http.Response r = await(http.post("/api/v1/stages/" + stageId + "/polls", body));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return r.json().getJsonObject("poll");
  }

  private static JsonObject answer(WsClient viewer, String actionId, String pollId, String choice) {
    return await(viewer.vote(actionId, pollId, choice));
  }

  private static JsonObject nickname(WsClient viewer, Object name, boolean listed) {
    JsonObject m = new JsonObject().put("type", "nickname").put("id", WsClient.nextId("n")).put("listed", listed);
    if (name != null) {
      m.put("nickname", name);
    }
    return await(viewer.request(m));
  }

  private static JsonObject standing(WsClient viewer) {
    return await(viewer.request(new JsonObject().put("type", "standing").put("id", WsClient.nextId("s"))));
  }

  /** No frame shows a quiz question's correct options. */
  private static void assertNoKey(List<JsonObject> frames, String who) {
    for (JsonObject f : frames) {
      if ("poll".equals(f.getString("type"))) {
        JsonObject q = f.getJsonObject("poll").getJsonObject("quiz");
        assertThat(q == null || !q.containsKey("correct")).as(who + " got " + f.encode()).isTrue();
      }
      if ("joined".equals(f.getString("type"))) {
        for (Object p : f.getJsonArray("polls")) {
          JsonObject q = ((JsonObject) p).getJsonObject("poll").getJsonObject("quiz");
          assertThat(q == null || !q.containsKey("correct")).as(who + " joined with " + f.encode()).isTrue();
        }
      }
    }
  }

  @Test
  void aQuizRunsFromAnswersToTheRevealAndTheLeaderboardOnScreenWithoutLeakingTheKey() {
    JsonObject timed = quiz("Capital of France, quickly?", true, 10); // runs out during the test
    JsonObject poll = quiz("Capital of France?", true, 60);
    String pollId = poll.getString("id");
    assertThat(poll.getJsonObject("quiz").getJsonArray("correct").getList()).as("the organiser sees the key").containsExactly("a");

    WsClient moderator = await(WsClient.connect(clientVertx, server.port()));
    JsonObject modJoined = await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    assertThat(modJoined.getJsonObject("leaderboard")).as("a stage with a quiz: the board comes with the join").isNotNull();
    List<JsonObject> seenByAudience = new CopyOnWriteArrayList<>();
    WsClient ada = await(WsClient.connect(clientVertx, audiencePort()));
    ada.onMessage(seenByAudience::add);
    seenByAudience.add(await(ada.join(stageId)));
    WsClient bob = await(WsClient.connect(clientVertx, audiencePort()));
    bob.onMessage(seenByAudience::add);
    seenByAudience.add(await(bob.join(stageId)));
    WsClient projector = await(WsClient.connect(clientVertx, audiencePort()));
    projector.onMessage(seenByAudience::add);
    JsonObject projected = await(projector.request(new JsonObject().put("type", "join").put("id", WsClient.nextId("j"))
        .put("stageId", stageId).put("role", "presenter")));
    seenByAudience.add(projected);
    assertThat(projected.getJsonObject("leaderboard")).as("not on screen: no board for the projector").isNull();

    // nicknames: checked before anything is stored
    assertThat(nickname(ada, "\u0007Ada", true).getString("code")).isEqualTo("invalid_nickname");
    assertThat(nickname(ada, "A", true).getString("code")).isEqualTo("invalid_nickname");
    assertThat(nickname(ada, "fuck you", true).getString("code")).isEqualTo("blocked_word");
    JsonObject named = nickname(ada, "  Ada Lovelace ", true);
    assertThat(named.getString("type")).as(named.encode()).isEqualTo("ack");
    assertThat(named.getString("nickname")).isEqualTo("Ada Lovelace");

    // answers: once each
    Future<JsonObject> board = moderator.next(m -> "leaderboard".equals(m.getString("type")) && m.getLong("scored") >= 2);
    assertThat(answer(ada, "q1", pollId, "a").getBoolean("duplicate")).isFalse();
    JsonObject retry = answer(ada, "q1", pollId, "a");
    assertThat(retry.getString("type")).isEqualTo("ack");
    assertThat(retry.getBoolean("duplicate")).as("a retry is never scored twice").isTrue();
    JsonObject again = answer(ada, "q2", pollId, "b");
    assertThat(again.getString("type")).isEqualTo("error");
    assertThat(again.getString("code")).isEqualTo("already_answered");
    assertThat(answer(bob, "q1", pollId, "b").getString("type")).isEqualTo("ack");

    JsonObject live = await(board, 10);
    assertThat(live.getLong("scored")).isEqualTo(2);
    JsonArray entries = live.getJsonArray("entries");
    assertThat(entries.getJsonObject(0).getString("nickname")).isEqualTo("Ada Lovelace");
    assertThat(entries.getJsonObject(0).getLong("points")).as("answered within seconds of 60: near full points")
        .isBetween(900L, 1000L);
    assertThat(entries.getJsonObject(1).getLong("points")).isZero();

    // before the reveal a viewer's own result says nothing about the unrevealed answer
    JsonObject before = standing(ada);
    assertThat(before.getString("type")).as(before.encode()).isEqualTo("standing");
    assertThat(before.getLong("points")).isZero();
    assertThat(before.getInteger("pending")).isEqualTo(1);
    assertThat(before.getValue("rank")).isNull();
    assertNoKey(seenByAudience, "the audience before the reveal");

    // the reveal: correct option and own points
    Future<JsonObject> revealed = ada.next(m -> "poll".equals(m.getString("type"))
        && pollId.equals(m.getJsonObject("poll").getString("id")) && m.getJsonObject("poll").getBoolean("resultsVisible"));
    await(http.post("/api/v1/stages/" + stageId + "/polls/" + pollId + "/reveal", null));
    JsonObject shown = await(revealed, 10);
    assertThat(shown.getJsonObject("poll").getJsonObject("quiz").getJsonArray("correct").getList()).containsExactly("a");
    assertThat(shown.getJsonObject("results").getJsonObject("counts").getMap()).containsEntry("a", 1).containsEntry("b", 1);
    JsonObject after = standing(ada);
    assertThat(after.getLong("points")).isEqualTo(entries.getJsonObject(0).getLong("points"));
    assertThat(after.getLong("rank")).isEqualTo(1);
    assertThat(after.getJsonArray("answers").getJsonObject(0).getBoolean("correct")).isTrue();
    assertThat(standing(bob).getJsonArray("answers").getJsonObject(0).getBoolean("correct")).isFalse();

    // the leaderboard on screen
    Future<JsonObject> onScreen = projector.nextOfType("leaderboard");
    Http.Response presented = await(http.put("/api/v1/stages/" + stageId + "/presentation",
        new JsonObject().put("kind", "leaderboard")));
    assertThat(presented.status()).as(presented.body().toString()).isEqualTo(200);
    JsonObject screen = await(onScreen, 10);
    assertThat(screen.getJsonArray("entries").getJsonObject(0).getString("nickname")).isEqualTo("Ada Lovelace");

    // opting out takes the nickname off the public board
    Future<JsonObject> without = projector.next(m -> "leaderboard".equals(m.getString("type"))
        && m.getJsonArray("entries").size() == 1);
    assertThat(nickname(ada, null, false).getString("type")).isEqualTo("ack");
    assertThat(await(without, 10).getJsonArray("entries").getJsonObject(0).getLong("points")).isZero();

    // past the deadline: refused
    String timedId = timed.getString("id");
    Instant deadline = Instant.parse(timed.getString("closesAt"));
    long wait = Math.max(1, deadline.toEpochMilli() - System.currentTimeMillis() + 100);
    await(Future.<Void>future(p -> clientVertx.setTimer(wait, id -> p.complete())), 30);
    JsonObject late = answer(bob, "late", timedId, "a");
    assertThat(late.getString("type")).isEqualTo("error");
    assertThat(late.getString("code")).isIn("poll_closed", "poll_not_open");
  }
}
