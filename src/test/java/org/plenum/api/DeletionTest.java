package org.plenum.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * Issue 8's organiser control over real REST and real WebSocket clients: deleting polls, clouds,
 * stages and events (with the pushes and close codes sessions get), the "test mode" reset, edits,
 * duplicates and reordering, the role checks, and that a deleted event leaves nothing behind. On
 * the memory engine with a data directory here; {@link DeletionOnRedisTest} runs the same on Redis.
 */
class DeletionTest {
  @TempDir
  Path dataDir;

  Vertx serverVertx;
  Vertx clientVertx;
  PlenumServer server;
  Http http;
  String stageId;
  String eventId;
  String code;

  /** The engine's settings for the server. */
  Map<String, String> engine() {
    return Map.of("PLENUM_DATA_DIR", dataDir.toString());
  }

  /** Fails if anything of {@code texts} or {@code ids} is still stored (here: in the data directory's files). */
  void assertNothingStoredOf(List<String> texts, List<String> ids) throws Exception {
    List<String> all = new ArrayList<>(texts);
    all.addAll(ids);
    try (var files = Files.walk(dataDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
        for (String trace : all) {
          assertThat(content).as(f + " holds " + trace).doesNotContain(trace);
        }
      }
    }
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
    code = stage.getString("code");
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private Http.Response send(HttpMethod method, String path, Object body, String token) {
    return await(http.send(method, path, body, token));
  }

  private static void error(Http.Response r, int status, String code) {
    assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
    assertThat(r.json().getJsonObject("error").getString("code")).isEqualTo(code);
  }

  private static void wsError(JsonObject reply, String code) {
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("error");
    assertThat(reply.getString("code")).isEqualTo(code);
  }

  private String moderatorToken(String event) {
    return await(http.post("/api/v1/events/" + event + "/moderators", new JsonObject().put("label", "Saal 1"))).json()
        .getString("token");
  }

  private WsClient viewer() {
    WsClient v = await(WsClient.connect(clientVertx, server.port()));
    assertThat(await(v.join(stageId)).getString("type")).isEqualTo("joined");
    return v;
  }

  private WsClient moderator() {
    WsClient m = await(WsClient.connect(clientVertx, server.port()));
    assertThat(await(m.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN)).getString("type")).isEqualTo("joined");
    return m;
  }

  private static JsonObject action(String type) {
    return new JsonObject().put("type", type).put("id", WsClient.nextId(type));
  }

  private JsonObject draftPoll(String question) {
    return await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "single")
        .put("question", question).put("options", new JsonArray().add("Ja").add("Nein")))).json().getJsonObject("poll");
  }

  private static Map<String, Object> removed(String kind, String id) {
    Map<String, Object> m = new HashMap<>();
    m.put("type", "removed");
    m.put("kind", kind);
    m.put("id", id);
    return m;
  }

  private static boolean isRemoved(JsonObject m, String kind, String id) {
    return "removed".equals(m.getString("type")) && kind.equals(m.getString("kind")) && id.equals(m.getString("id"));
  }

  // ---- deletion --------------------------------------------------------------------------------

  @Test
  void aDeletedPollIsPushedAsRemovedAndIsGoneEverywhere() {
    String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    String cloudId = await(http.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
    WsClient viewer = viewer();
    WsClient moderator = moderator();
    assertThat(await(viewer.vote(pollId, "a")).getString("type")).isEqualTo("ack");
    String token = moderatorToken(eventId);

    assertThat(send(HttpMethod.DELETE, "/api/v1/stages/" + stageId + "/polls/" + pollId, null, token).status()).isEqualTo(204);
    for (WsClient c : List.of(viewer, moderator)) {
      JsonObject pushed = await(c.next(m -> isRemoved(m, "poll", pollId)));
      assertThat(pushed.getString("stageId")).isEqualTo(stageId);
    }
    error(await(http.get("/api/v1/stages/" + stageId + "/polls/" + pollId)), 404, "unknown_poll");
    assertThat((JsonArray) await(http.get("/api/v1/stages/" + stageId + "/polls")).any()).isEmpty();
    wsError(await(viewer.vote(pollId, "b")), "unknown_poll");
    error(send(HttpMethod.DELETE, "/api/v1/stages/" + stageId + "/polls/" + pollId, null, token), 404, "unknown_poll");

    assertThat(send(HttpMethod.DELETE, "/api/v1/stages/" + stageId + "/clouds/" + cloudId, null, token).status()).isEqualTo(204);
    await(viewer.next(m -> isRemoved(m, "cloud", cloudId)));
    await(moderator.next(m -> isRemoved(m, "cloud", cloudId)));
    error(await(http.get("/api/v1/stages/" + stageId + "/clouds/" + cloudId)), 404, "unknown_cloud");
    wsError(await(viewer.request(action("word").put("cloudId", cloudId).put("text", "Fahrrad"))), "unknown_cloud");

    // a new viewer's snapshot has neither
    JsonObject joined = await(await(WsClient.connect(clientVertx, server.port())).join(stageId));
    assertThat(joined.getJsonArray("polls")).isEmpty();
    assertThat(joined.getJsonArray("clouds")).isEmpty();
  }

  @Test
  void aViewerAndAnotherEventsModeratorAreRefusedAndNothingChanges() {
    String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    String cloudId = await(http.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
    JsonObject otherStage = await(http.stage());
    String foreign = moderatorToken(otherStage.getString("eventId"));
    String own = moderatorToken(eventId);
    String s = "/api/v1/stages/" + stageId;
    Map<String, Object[]> routes = new java.util.LinkedHashMap<>();
    routes.put("DELETE " + s + "/polls/" + pollId, new Object[] {HttpMethod.DELETE, s + "/polls/" + pollId, null});
    routes.put("PUT poll", new Object[] {HttpMethod.PUT, s + "/polls/" + pollId, new JsonObject().put("resultsVisible", false)});
    routes.put("duplicate poll", new Object[] {HttpMethod.POST, s + "/polls/" + pollId + "/duplicate", null});
    routes.put("DELETE cloud", new Object[] {HttpMethod.DELETE, s + "/clouds/" + cloudId, null});
    routes.put("PUT cloud", new Object[] {HttpMethod.PUT, s + "/clouds/" + cloudId, new JsonObject().put("maxEntries", 5)});
    routes.put("order", new Object[] {HttpMethod.PUT, s + "/order", new JsonObject().put("polls", new JsonArray().add(pollId))});
    routes.put("DELETE stage", new Object[] {HttpMethod.DELETE, s, null});
    routes.put("reset", new Object[] {HttpMethod.POST, s + "/reset", null});
    routes.put("PATCH stage", new Object[] {HttpMethod.PATCH, s, new JsonObject().put("name", "X")});
    routes.put("DELETE event", new Object[] {HttpMethod.DELETE, "/api/v1/events/" + eventId + "?confirm=Test%20event", null});
    routes.put("PATCH event", new Object[] {HttpMethod.PATCH, "/api/v1/events/" + eventId, new JsonObject().put("name", "X")});
    routes.put("event order", new Object[] {HttpMethod.PUT, "/api/v1/events/" + eventId + "/order",
        new JsonObject().put("stages", new JsonArray().add(stageId))});
    for (var route : routes.entrySet()) {
      HttpMethod method = (HttpMethod) route.getValue()[0];
      String path = (String) route.getValue()[1];
      Object body = route.getValue()[2];
      Http.Response anonymous = send(method, path, body, null);
      assertThat(anonymous.status()).as("a viewer: " + route.getKey()).isEqualTo(401);
      Http.Response other = send(method, path, body, foreign);
      assertThat(other.status()).as("another event's moderator: " + route.getKey()).isEqualTo(403);
    }
    // the event's own moderator may edit its polls and clouds, but not delete or reset the stage or the event
    for (String key : List.of("DELETE stage", "reset", "PATCH stage", "DELETE event", "PATCH event", "event order")) {
      Object[] r = routes.get(key);
      assertThat(send((HttpMethod) r[0], (String) r[1], r[2], own).status()).as("own moderator: " + key).isEqualTo(403);
    }
    assertThat(await(http.get(s + "/polls/" + pollId)).json().getJsonObject("poll").getBoolean("resultsVisible")).isTrue();
    assertThat((JsonArray) await(http.get(s + "/polls")).any()).hasSize(1);
    assertThat(await(http.get(s)).json().getString("name")).isEqualTo("Main");
    assertThat(await(http.get("/api/v1/events/" + eventId)).json().getString("name")).isEqualTo("Test event");
  }

  @Test
  void aDeletedStageClosesItsSessionsWith4404AndIsGone() {
    WsClient viewer = viewer();
    WsClient moderator = moderator();
    JsonObject sibling = await(http.post("/api/v1/events/" + eventId + "/stages", new JsonObject().put("name", "Side"))).json();
    WsClient elsewhere = await(WsClient.connect(clientVertx, server.port()));
    await(elsewhere.join(sibling.getString("id")));

    assertThat(send(HttpMethod.DELETE, "/api/v1/stages/" + stageId, null, TestServer.ORGANISER_TOKEN).status()).isEqualTo(204);
    assertThat(await(viewer.closed())).isEqualTo((short) 4404);
    assertThat(await(moderator.closed())).isEqualTo((short) 4404);
    error(await(http.get("/api/v1/stages/" + stageId)), 404, "unknown_stage");
    error(await(http.get("/api/v1/join/" + code)), 404, "unknown_stage");
    assertThat(await(http.get("/api/v1/events/" + eventId)).json().getJsonArray("stages")).hasSize(1);
    WsClient late = await(WsClient.connect(clientVertx, server.port()));
    wsError(await(late.join(stageId)), "unknown_stage");
    error(send(HttpMethod.DELETE, "/api/v1/stages/" + stageId, null, TestServer.ORGANISER_TOKEN), 404, "unknown_stage");
    long deadline = System.currentTimeMillis() + 5_000;
    while (server.readModels().model(stageId).isPresent() && System.currentTimeMillis() < deadline) {
      await(clientVertx.timer(20));
    }
    assertThat(server.readModels().model(stageId)).as("the node's read model forgets the stage").isEmpty();
    // the other stage's session stays
    assertThat(await(elsewhere.request(new JsonObject().put("type", "ping").put("id", "p1"))).getString("type")).isEqualTo("pong");
  }

  @Test
  void deletingAnEventNeedsItsExactNameAndThenLeavesNothing() throws Exception {
    String question = "Geheime Frage " + WsClient.nextId("q");
    String pollQuestion = "Geheime Umfrage " + WsClient.nextId("p");
    String pollId = await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "single")
        .put("question", pollQuestion).put("options", new JsonArray().add("Ja").add("Nein")).put("open", true)))
        .json().getJsonObject("poll").getString("id");
    String second = await(http.post("/api/v1/events/" + eventId + "/stages", new JsonObject().put("name", "Side"))).json()
        .getString("id");
    String token = moderatorToken(eventId);
    WsClient viewer = viewer();
    assertThat(await(viewer.vote(pollId, "a")).getString("type")).isEqualTo("ack");
    assertThat(await(viewer.request(action("post").put("kind", "question").put("text", question))).getString("type"))
        .isEqualTo("ack");
    assertThat(await(viewer.request(action("reaction").put("emoji", "👏"))).getString("type")).isIn("ack", "error");
    // an open-text question and an answer to it (issue 12): gone with the event too
    String answer = "Geheime Antwort " + WsClient.nextId("t");
    String textPollId = await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "text")
        .put("question", "Offene Frage?").put("open", true))).json().getJsonObject("poll").getString("id");
    assertThat(await(viewer.request(action("answer").put("pollId", textPollId).put("text", answer))).getString("type"))
        .isEqualTo("ack");
    JsonObject kept = await(http.stage());

    String path = "/api/v1/events/" + eventId;
    error(send(HttpMethod.DELETE, path, null, TestServer.ORGANISER_TOKEN), 400, "missing_field");
    error(send(HttpMethod.DELETE, path + "?confirm=Test%20even", null, TestServer.ORGANISER_TOKEN), 400, "invalid_field");
    error(send(HttpMethod.DELETE, path + "?confirm=test%20event", null, TestServer.ORGANISER_TOKEN), 400, "invalid_field");
    assertThat(await(http.get(path)).status()).as("nothing changed").isEqualTo(200);
    assertThat(await(http.get("/api/v1/stages/" + stageId + "/posts")).status()).isEqualTo(200);

    assertThat(send(HttpMethod.DELETE, path + "?confirm=Test%20event", null, TestServer.ORGANISER_TOKEN).status()).isEqualTo(204);
    assertThat(await(viewer.closed())).isEqualTo((short) 4404);
    error(await(http.get(path)), 404, "unknown_event");
    error(await(http.get("/api/v1/stages/" + stageId)), 404, "unknown_stage");
    error(await(http.get("/api/v1/stages/" + second)), 404, "unknown_stage");
    assertThat(send(HttpMethod.GET, "/api/v1/stages/" + kept.getString("id"), null, token).status())
        .as("the deleted event's moderator token is refused").isEqualTo(401);
    assertThat(((JsonArray) await(http.get("/api/v1/events")).any()).stream()
        .map(e -> ((JsonObject) e).getString("id"))).doesNotContain(eventId).contains(kept.getString("eventId"));
    assertNothingStoredOf(List.of(question, pollQuestion, answer), List.of(stageId, second, eventId, pollId, textPollId));
  }

  // ---- reset -----------------------------------------------------------------------------------

  @Test
  void aResetClosesSessionsWith4205AndTheirRejoinShowsNothingOfTheRehearsal() {
    String polls = "/api/v1/stages/" + stageId + "/polls";
    String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    String cloudId = await(http.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
    await(http.post("/api/v1/stages/" + stageId + "/talks", new JsonObject().put("title", "Keynote")
        .put("startsAt", "2026-11-22T09:00:00Z").put("endsAt", "2026-11-22T10:00:00Z")));
    WsClient viewer = viewer();
    WsClient moderator = moderator();
    await(viewer.vote(pollId, "a"));
    await(viewer.request(action("word").put("cloudId", cloudId).put("text", "Probe")));
    await(viewer.request(action("post").put("kind", "question").put("text", "Eine Probefrage?")));
    String textPollId = await(http.post(polls, new JsonObject().put("kind", "text").put("question", "Offene Probe?")
        .put("open", true))).json().getJsonObject("poll").getString("id");
    assertThat(await(viewer.request(action("answer").put("pollId", textPollId).put("text", "Probeantwort")))
        .getString("type")).isEqualTo("ack");

    assertThat(send(HttpMethod.POST, "/api/v1/stages/" + stageId + "/reset", null, TestServer.ORGANISER_TOKEN).status())
        .isEqualTo(204);
    assertThat(await(viewer.closed())).isEqualTo((short) 4205);
    assertThat(await(moderator.closed())).isEqualTo((short) 4205);

    JsonObject poll = await(http.get(polls + "/" + pollId)).json();
    assertThat(poll.getJsonObject("poll").getString("state")).isEqualTo("draft");
    assertThat(poll.getJsonObject("results").getLong("voters")).isZero();
    assertThat((JsonArray) await(http.get("/api/v1/stages/" + stageId + "/posts")).any()).isEmpty();
    assertThat(await(http.get("/api/v1/stages/" + stageId + "/clouds/" + cloudId)).json().getJsonObject("cloud")
        .getString("state")).isEqualTo("draft");
    assertThat((JsonArray) await(http.get("/api/v1/stages/" + stageId + "/talks")).any()).as("the programme stays").hasSize(1);

    WsClient again = await(WsClient.connect(clientVertx, server.port()));
    JsonObject joined = await(again.join(stageId));
    assertThat(joined.getJsonArray("polls")).as("drafts are not shown to viewers").isEmpty();
    assertThat(joined.getJsonArray("posts")).isEmpty();
    WsClient moderatorAgain = moderator();
    JsonObject mod = moderatorAgain.inbox().stream().filter(m -> "joined".equals(m.getString("type"))).findFirst()
        .orElseGet(() -> await(moderatorAgain.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN)));
    assertThat(mod.getJsonArray("polls")).hasSize(2); // the choice poll and the open-text question, both drafts again
    // opened again, the poll counts from zero and the same viewer may vote again
    await(http.post(polls + "/" + pollId + "/open", new JsonObject()));
    assertThat(await(again.vote(pollId, "b")).getString("type")).isEqualTo("ack");
    assertThat(await(http.get(polls + "/" + pollId)).json().getJsonObject("results").getLong("voters")).isEqualTo(1);
    error(send(HttpMethod.POST, "/api/v1/stages/st_nope/reset", null, TestServer.ORGANISER_TOKEN), 404, "unknown_stage");
  }

  // ---- edit, duplicate, reorder ----------------------------------------------------------------

  @Test
  void aDraftPollIsEditedAnOpenOneOnlyInItsSettings() {
    String polls = "/api/v1/stages/" + stageId + "/polls";
    JsonObject draft = draftPoll("Erste Frage?");
    String id = draft.getString("id");
    JsonObject edited = await(http.put(polls + "/" + id, new JsonObject().put("question", "Neue Frage?")
        .put("options", new JsonArray().add("Rot").add("Grün").add("Blau")))).json().getJsonObject("poll");
    assertThat(edited.getString("question")).isEqualTo("Neue Frage?");
    assertThat(edited.getJsonArray("options")).hasSize(3);
    assertThat(edited.getString("id")).isEqualTo(id);
    error(await(http.put(polls + "/" + id, new JsonObject().put("options", new JsonArray().add("Nur eine")))), 400, "invalid_field");
    error(await(http.put(polls + "/" + id, new JsonObject().put("question", 42))), 400, "invalid_field");
    error(await(http.put(polls + "/" + id, new JsonObject().put("question", " "))), 400, "invalid_field");
    assertThat(await(http.get(polls + "/" + id)).json().getJsonObject("poll").getString("question")).isEqualTo("Neue Frage?");

    WsClient moderator = moderator();
    await(http.post(polls + "/" + id + "/open", new JsonObject()));
    error(await(http.put(polls + "/" + id, new JsonObject().put("question", "Doch anders?"))), 409, "invalid_state");
    error(await(http.put(polls + "/" + id, new JsonObject().put("options", new JsonArray().add("A").add("B")))), 409,
        "invalid_state");
    JsonObject same = await(http.put(polls + "/" + id, new JsonObject().put("question", "Neue Frage?")
        .put("resultsVisible", true))).json().getJsonObject("poll");
    assertThat(same.getString("state")).isEqualTo("open");
    assertThat(same.getBoolean("resultsVisible")).isTrue();
    JsonObject pushed = await(moderator.next(m -> "poll".equals(m.getString("type"))
        && m.getJsonObject("poll").getBoolean("resultsVisible")));
    assertThat(pushed.getJsonObject("poll").getString("id")).isEqualTo(id);

    JsonObject copy = await(http.post(polls + "/" + id + "/duplicate", null)).json();
    assertThat(copy.getJsonObject("poll").getString("id")).isNotEqualTo(id);
    assertThat(copy.getJsonObject("poll").getString("state")).isEqualTo("draft");
    assertThat(copy.getJsonObject("poll").getString("question")).isEqualTo("Neue Frage?");
    assertThat(copy.getJsonObject("results").getLong("voters")).isZero();
    error(await(http.post(polls + "/pl_nope/duplicate", null)), 404, "unknown_poll");
    error(await(http.put(polls + "/pl_nope", new JsonObject().put("question", "X?"))), 404, "unknown_poll");
  }

  @Test
  void cloudsAreEditedAndDuplicated() {
    String clouds = "/api/v1/stages/" + stageId + "/clouds";
    JsonObject draft = await(http.post(clouds, new JsonObject().put("prompt", "Ein Wort?").put("maxEntries", 3))).json()
        .getJsonObject("cloud");
    String id = draft.getString("id");
    assertThat(await(http.put(clouds + "/" + id, new JsonObject().put("prompt", "Zwei Worte?").put("maxEntries", 2))).json()
        .getJsonObject("cloud").getString("prompt")).isEqualTo("Zwei Worte?");
    error(await(http.put(clouds + "/" + id, new JsonObject().put("maxEntries", 99))), 400, "invalid_field");
    await(http.post(clouds + "/" + id + "/open", new JsonObject()));
    error(await(http.put(clouds + "/" + id, new JsonObject().put("prompt", "Anders?"))), 409, "invalid_state");
    error(await(http.put(clouds + "/" + id, new JsonObject().put("maxEntries", 1))), 409, "invalid_state");
    JsonObject grown = await(http.put(clouds + "/" + id, new JsonObject().put("maxEntries", 5))).json().getJsonObject("cloud");
    assertThat(grown.getInteger("maxEntries")).isEqualTo(5);
    assertThat(grown.getString("prompt")).isEqualTo("Zwei Worte?");
    JsonObject copy = await(http.post(clouds + "/" + id + "/duplicate", null)).json().getJsonObject("cloud");
    assertThat(copy.getString("state")).isEqualTo("draft");
    assertThat(copy.getString("prompt")).isEqualTo("Zwei Worte?");
    assertThat((JsonArray) await(http.get(clouds)).any()).hasSize(2);
  }

  @Test
  void pollsCloudsAndStagesAreReorderedByExactPermutationsOnly() {
    String a = draftPoll("A?").getString("id");
    String b = draftPoll("B?").getString("id");
    String c = draftPoll("C?").getString("id");
    String cloud = await(http.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
    WsClient moderator = moderator();
    String order = "/api/v1/stages/" + stageId + "/order";
    JsonObject reply = await(http.put(order, new JsonObject().put("polls", new JsonArray().add(c).add(a).add(b)))).json();
    assertThat(reply.getJsonArray("polls")).containsExactly(c, a, b);
    JsonObject pushed = await(moderator.nextOfType("order"));
    assertThat(pushed.getJsonArray("polls")).containsExactly(c, a, b);
    assertThat(pushed.getJsonArray("clouds")).containsExactly(cloud);
    for (JsonObject bad : List.of(new JsonObject().put("polls", new JsonArray().add(a).add(b)),
        new JsonObject().put("polls", new JsonArray().add(a).add(a).add(b)),
        new JsonObject().put("polls", new JsonArray().add(a).add(b).add("pl_nope")),
        new JsonObject().put("polls", new JsonArray().add(a).add(b).add(c)).put("clouds", new JsonArray()),
        new JsonObject().put("polls", new JsonArray().add(a).add(b).add(3)))) {
      error(await(http.put(order, bad)), 400, "invalid_field");
    }
    error(await(http.put(order, new JsonObject())), 400, "missing_field");
    assertThat(((JsonArray) await(http.get("/api/v1/stages/" + stageId + "/polls")).any()).stream()
        .map(p -> ((JsonObject) p).getJsonObject("poll").getString("id"))).as("a refused order changes nothing")
        .containsExactly(c, a, b);
    JsonObject joined = await(await(WsClient.connect(clientVertx, server.port())).joinAsModerator(stageId,
        TestServer.ORGANISER_TOKEN));
    assertThat(joined.getJsonArray("polls").stream().map(p -> ((JsonObject) p).getJsonObject("poll").getString("id")))
        .containsExactly(c, a, b);

    String second = await(http.post("/api/v1/events/" + eventId + "/stages", new JsonObject().put("name", "Side"))).json()
        .getString("id");
    String events = "/api/v1/events/" + eventId;
    JsonObject event = await(http.put(events + "/order", new JsonObject().put("stages", new JsonArray().add(second)
        .add(stageId)))).json();
    assertThat(event.getJsonArray("stages").stream().map(s -> ((JsonObject) s).getString("id"))).containsExactly(second, stageId);
    error(await(http.put(events + "/order", new JsonObject().put("stages", new JsonArray().add(second)))), 400, "invalid_field");
    error(await(http.put(events + "/order", new JsonObject())), 400, "missing_field");
  }

  @Test
  void eventsAndStagesAreRenamed() {
    WsClient viewer = viewer();
    JsonObject stage = await(http.send(HttpMethod.PATCH, "/api/v1/stages/" + stageId,
        new JsonObject().put("name", "Großer Saal"), TestServer.ORGANISER_TOKEN)).json();
    assertThat(stage.getString("name")).isEqualTo("Großer Saal");
    assertThat(stage.getString("code")).isEqualTo(code);
    assertThat(await(viewer.nextOfType("stage")).getJsonObject("stage").getString("name")).isEqualTo("Großer Saal");
    JsonObject event = await(http.send(HttpMethod.PATCH, "/api/v1/events/" + eventId,
        new JsonObject().put("name", "Digitalkongress 2027"), TestServer.ORGANISER_TOKEN)).json();
    assertThat(event.getString("name")).isEqualTo("Digitalkongress 2027");
    error(send(HttpMethod.PATCH, "/api/v1/events/" + eventId, new JsonObject().put("name", ""), TestServer.ORGANISER_TOKEN),
        400, "invalid_field");
    error(send(HttpMethod.PATCH, "/api/v1/events/" + eventId, new JsonObject(), TestServer.ORGANISER_TOKEN), 400, "missing_field");
    error(send(HttpMethod.PATCH, "/api/v1/stages/" + stageId, new JsonObject().put("name", "x".repeat(500)),
        TestServer.ORGANISER_TOKEN), 400, "invalid_field");
    assertThat(await(http.get("/api/v1/events/" + eventId)).json().getString("name")).isEqualTo("Digitalkongress 2027");
    assertThat(await(http.get("/api/v1/stages/" + stageId)).json().getString("name")).isEqualTo("Großer Saal");
    // the old name no longer confirms a deletion
    error(send(HttpMethod.DELETE, "/api/v1/events/" + eventId + "?confirm=Test%20event", null, TestServer.ORGANISER_TOKEN),
        400, "invalid_field");
  }
}
