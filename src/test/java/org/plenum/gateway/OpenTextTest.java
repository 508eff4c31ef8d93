package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/** Open-text answers (issue 12) over real WebSocket connections: a text poll's answers are moderated posts. */
class OpenTextTest {
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private String stageId;

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    server = await(TestServer.start(serverVertx, Map.of()));
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

  private WsClient presenter() {
    WsClient p = await(WsClient.connect(clientVertx, server.port()));
    await(p.request(new JsonObject().put("type", "join").put("id", WsClient.nextId("join")).put("stageId", stageId)
        .put("role", "presenter")));
    return p;
  }

  private String textPoll(boolean open) {
    Http.Response created = await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "text")
        .put("question", "Was nehmen Sie aus dem Vortrag mit?").put("open", open)));
    assertThat(created.status()).as(created.json().encode()).isEqualTo(201);
    return created.json().getJsonObject("poll").getString("id");
  }

  private static JsonObject answer(String pollId, String text) {
    return new JsonObject().put("type", "answer").put("id", WsClient.nextId("answer")).put("pollId", pollId).put("text", text);
  }

  private static void error(JsonObject reply, String code) {
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("error");
    assertThat(reply.getString("code")).as(reply.encode()).isEqualTo(code);
  }

  private static boolean postWith(JsonObject frame, String postId, String state) {
    return "post".equals(frame.getString("type")) && postId.equals(frame.getJsonObject("post").getString("id"))
        && state.equals(frame.getJsonObject("post").getString("state"));
  }

  private void moderateAnswers(boolean on) {
    assertThat(await(http.send(HttpMethod.PATCH, "/api/v1/stages/" + stageId + "/settings",
        new JsonObject().put("commentModeration", on), TestServer.ORGANISER_TOKEN)).status()).isEqualTo(200);
  }

  @Test
  void anAnswerToAnOpenTextPollIsModeratedAndReachesTheWallOnceApproved() {
    moderateAnswers(true);
    String pollId = textPoll(true);
    WsClient author = viewer();
    WsClient other = viewer();
    WsClient m = moderator();
    WsClient wall = presenter();
    Future<JsonObject> queued = m.next(x -> "post".equals(x.getString("type"))
        && "answer".equals(x.getJsonObject("post").getString("kind")));
    Future<JsonObject> ownPending = author.next(x -> "post".equals(x.getString("type")));
    JsonObject sent = answer(pollId, "Mehr Mut zu offenen Standards.").put("name", "Anna");
    JsonObject ack = await(author.request(sent));
    assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
    String postId = ack.getString("postId");

    JsonObject forModerator = await(queued).getJsonObject("post");
    assertThat(forModerator.getString("pollId")).isEqualTo(pollId);
    assertThat(forModerator.getString("state")).isEqualTo("pending");
    assertThat(forModerator.getString("displayName")).isEqualTo("Anna");
    JsonObject own = await(ownPending).getJsonObject("post");
    assertThat(own.getBoolean("mine")).isTrue();
    assertThat(own.getString("state")).isEqualTo("pending");

    // a retry of the same action (a reconnect) names the same answer and stores nothing new
    JsonObject retried = await(author.request(sent));
    assertThat(retried.getBoolean("duplicate")).isTrue();
    assertThat(retried.getString("postId")).isEqualTo(postId);

    Future<JsonObject> onWall = wall.next(x -> postWith(x, postId, "published"));
    Future<JsonObject> seenByOther = other.next(x -> postWith(x, postId, "published"));
    assertThat(await(http.post("/api/v1/stages/" + stageId + "/posts/" + postId + "/approve", null)).status()).isEqualTo(200);
    JsonObject shown = await(onWall).getJsonObject("post");
    assertThat(shown.getString("text")).isEqualTo("Mehr Mut zu offenen Standards.");
    assertThat(shown.getString("pollId")).isEqualTo(pollId);
    assertThat(shown.containsKey("authorId")).isFalse();
    await(seenByOther);
    assertThat(other.inbox()).noneMatch(x -> postWith(x, postId, "pending"));

    String comment = await(other.request(new JsonObject().put("type", "post").put("id", "c1").put("kind", "comment")
        .put("text", "Kein Teil der Antworten"))).getString("postId");
    assertThat(comment).isNotNull();
    JsonArray answers = (JsonArray) await(http.get("/api/v1/stages/" + stageId + "/posts?pollId=" + pollId)).any();
    assertThat(answers).hasSize(1);
    assertThat(answers.getJsonObject(0).getString("id")).isEqualTo(postId);

    // a presenter that joins later finds the approved answer in its snapshot
    WsClient late = await(WsClient.connect(clientVertx, server.port()));
    JsonObject joined = await(late.request(new JsonObject().put("type", "join").put("id", "late").put("stageId", stageId)
        .put("role", "presenter")));
    assertThat(joined.getJsonArray("posts")).anyMatch(p -> postId.equals(((JsonObject) p).getString("id")));
  }

  @Test
  void answersAreRefusedWithAClearCodeAndNothingIsStored() {
    String draft = textPoll(false);
    String open = textPoll(true);
    String choice = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    WsClient v = viewer();
    error(await(v.request(answer(draft, "Zu früh"))), "unknown_poll"); // a draft is the moderators' own
    error(await(v.request(answer(choice, "Falsche Art"))), "wrong_poll_kind");
    error(await(v.request(answer("plnothere000", "Keine Umfrage"))), "unknown_poll");
    error(await(v.request(answer(open, "x".repeat(501)))), "invalid_field");
    error(await(v.request(answer(open, "   "))), "invalid_field");
    error(await(v.request(answer(open, "Das ist sch\u0435isse"))), "blocked_word");
    error(await(v.request(answer(open, "Gut").put("name", "Arschl0ch"))), "blocked_word");
    error(await(v.request(new JsonObject().put("type", "answer").put("id", "no-poll").put("text", "Hallo"))), "missing_field");
    error(await(v.request(new JsonObject().put("type", "post").put("id", "as-post").put("kind", "answer").put("text", "Hallo"))),
        "invalid_field");
    JsonObject vote = await(v.request(new JsonObject().put("type", "vote").put("id", "v-text").put("pollId", open)
        .put("choices", new JsonArray().add("a"))));
    error(vote, "wrong_poll_kind");

    assertThat(await(v.request(answer(open, "x".repeat(500)))).getString("type")).isEqualTo("ack");
    assertThat(await(http.post("/api/v1/stages/" + stageId + "/polls/" + open + "/close", null)).status()).isEqualTo(200);
    error(await(v.request(answer(open, "Zu spät"))), "poll_not_open");
    JsonArray stored = (JsonArray) await(http.get("/api/v1/stages/" + stageId + "/posts")).any();
    assertThat(stored).hasSize(1);
    assertThat(stored.getJsonObject(0).getString("text")).hasSize(500);
  }

  @Test
  void aMutedAuthorsAnswersAreHiddenFromEveryoneElse() {
    String pollId = textPoll(true);
    WsClient troll = viewer();
    WsClient other = viewer();
    WsClient m = moderator();
    String first = await(troll.request(answer(pollId, "Erste Antwort"))).getString("postId");
    String posts = "/api/v1/stages/" + stageId + "/posts/";
    assertThat(await(http.post(posts + first + "/mute-author", null)).status()).isEqualTo(200);
    Future<JsonObject> own = troll.next(x -> "post".equals(x.getString("type"))
        && "Zweite Antwort".equals(x.getJsonObject("post").getString("text")));
    String second = await(troll.request(answer(pollId, "Zweite Antwort"))).getString("postId");
    assertThat(await(own).getJsonObject("post").getString("state")).isEqualTo("rejected");
    String marker = await(other.request(answer(pollId, "Nach dem Stummschalten"))).getString("postId");
    await(m.next(x -> "post".equals(x.getString("type")) && marker.equals(x.getJsonObject("post").getString("id"))));
    await(other.next(x -> postWith(x, marker, "published")));
    assertThat(other.inbox()).noneMatch(x -> "post".equals(x.getString("type"))
        && second.equals(x.getJsonObject("post").getString("id")));
    assertThat(await(http.get(posts + second)).json().getString("state")).isEqualTo("rejected");
  }

  @Test
  void deletingATextPollErasesItsAnswersForEveryone() {
    String pollId = textPoll(true);
    String kept = textPoll(true);
    WsClient author = viewer();
    WsClient other = viewer();
    String answer = await(author.request(answer(pollId, "Verschwindet mit der Frage"))).getString("postId");
    String stays = await(author.request(answer(kept, "Bleibt"))).getString("postId");
    await(other.next(x -> postWith(x, answer, "published")));
    Future<JsonObject> erased = other.next(x -> postWith(x, answer, "deleted"));
    assertThat(await(http.send(HttpMethod.DELETE, "/api/v1/stages/" + stageId + "/polls/" + pollId, null,
        TestServer.ORGANISER_TOKEN)).status()).isEqualTo(204);
    assertThat(await(erased).getJsonObject("post").getString("text")).isEmpty();
    assertThat(await(http.get("/api/v1/stages/" + stageId + "/posts/" + answer)).status()).isEqualTo(404);
    assertThat(await(http.get("/api/v1/stages/" + stageId + "/posts/" + stays)).json().getString("text")).isEqualTo("Bleibt");
  }
}
