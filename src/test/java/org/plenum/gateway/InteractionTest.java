package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
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

/** Word clouds, Q&A, comments and reactions over real WebSocket connections. */
class InteractionTest {
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private String stageId;
  private String eventId;

  @BeforeEach
  void start() {
    startServer(Map.of());
  }

  private void startServer(Map<String, String> env) {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    server = await(TestServer.start(serverVertx, env));
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

  private static JsonObject action(String type) {
    return new JsonObject().put("type", type).put("id", WsClient.nextId(type));
  }

  private static JsonObject word(String cloudId, String text) {
    return action("word").put("cloudId", cloudId).put("text", text);
  }

  private static JsonObject question(String text) {
    return action("post").put("kind", "question").put("text", text);
  }

  private static void error(JsonObject reply, String code) {
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("error");
    assertThat(reply.getString("code")).isEqualTo(code);
  }

  private static void ack(JsonObject reply) {
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("ack");
  }

  private JsonObject cloudResults(String cloudId) {
    return await(http.get("/api/v1/stages/" + stageId + "/clouds/" + cloudId)).json().getJsonObject("results");
  }

  @Test
  void wordsAreGroupedAndTheModeratorSeesTheCloudGrow() {
    String cloudId = await(http.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
    WsClient m = moderator();
    Future<JsonObject> grown = m.next(x -> "words".equals(x.getString("type"))
        && x.getJsonObject("results").getLong("contributors") == 4);
    ack(await(viewer().request(word(cloudId, "Straße"))));
    ack(await(viewer().request(word(cloudId, "STRASSE"))));
    ack(await(viewer().request(word(cloudId, "Straße"))));
    JsonObject fourth = await(viewer().request(word(cloudId, "  straße!  ")));
    assertThat(fourth.getString("key")).isEqualTo("strasse");
    JsonArray words = await(grown).getJsonObject("results").getJsonArray("words");
    assertThat(words).hasSize(1);
    assertThat(words.getJsonObject(0).getLong("count")).isEqualTo(4);
    assertThat(words.getJsonObject(0).getString("text")).isEqualTo("Straße"); // the most frequent spelling
  }

  @Test
  void wordCloudErrorsAreClearAndChangeNothing() {
    String cloudId = await(http.openCloud(stageId, 2)).getJsonObject("cloud").getString("id");
    WsClient v = viewer();
    error(await(v.request(word("wcnothere000", "Hallo"))), "unknown_cloud");
    error(await(v.request(word(cloudId, "!!!"))), "invalid_field");
    error(await(v.request(word(cloudId, "eins zwei drei vier"))), "invalid_field");
    error(await(v.request(word(cloudId, "x".repeat(41)))), "invalid_field");
    error(await(v.request(word(cloudId, "Scheiße"))), "blocked_word");
    error(await(v.request(action("word").put("cloudId", cloudId))), "missing_field");
    ack(await(v.request(word(cloudId, "Cloud"))));
    error(await(v.request(word(cloudId, "CLOUD"))), "already_submitted");
    ack(await(v.request(word(cloudId, "Open Source"))));
    error(await(v.request(word(cloudId, "KI"))), "too_many_entries");
    await(http.put("/api/v1/events/" + eventId + "/blocklist", new JsonObject().put("words", new JsonArray().add("Bürokratiemonster"))));
    WsClient other = viewer();
    error(await(other.request(word(cloudId, "BÜROKRATIEMONSTER"))), "blocked_word");
    await(http.post("/api/v1/stages/" + stageId + "/clouds/" + cloudId + "/close", null));
    error(await(other.request(word(cloudId, "Spät"))), "cloud_not_open");
    JsonObject results = cloudResults(cloudId);
    assertThat(results.getLong("entries")).isEqualTo(2);
    assertThat(results.getLong("contributors")).isEqualTo(1);
  }

  @Test
  void aRetriedWordIsCountedOnce() {
    String cloudId = await(http.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
    WsClient v = viewer();
    JsonObject entry = word(cloudId, "Verwaltung");
    assertThat(await(v.request(entry)).getBoolean("duplicate")).isFalse();
    assertThat(await(v.request(entry)).getBoolean("duplicate")).isTrue();
    assertThat(cloudResults(cloudId).getLong("entries")).isEqualTo(1);
    WsClient returning = await(WsClient.connect(clientVertx, server.port()));
    returning.token = v.token;
    JsonObject cloud = await(returning.join(stageId)).getJsonArray("clouds").getJsonObject(0);
    assertThat(cloud.getJsonArray("mine")).containsExactly("verwaltung");
  }

  @Test
  void hiddenWordsVanishFromViewersButModeratorsKeepThemAndMergesCountOnce() {
    String cloudId = await(http.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
    WsClient a = viewer();
    WsClient b = viewer();
    ack(await(a.request(word(cloudId, "KI"))));
    ack(await(a.request(word(cloudId, "Künstliche Intelligenz"))));
    ack(await(b.request(word(cloudId, "KI"))));
    ack(await(b.request(word(cloudId, "Spam"))));
    String base = "/api/v1/stages/" + stageId + "/clouds/" + cloudId;
    await(http.post(base + "/merge", new JsonObject().put("from", "ki").put("into", "künstliche intelligenz")));
    await(http.post(base + "/hide-word", new JsonObject().put("key", "spam")));
    JsonObject organiserView = cloudResults(cloudId);
    assertThat(organiserView.getJsonArray("words")).hasSize(1);
    assertThat(organiserView.getJsonArray("words").getJsonObject(0).getLong("count")).isEqualTo(2);
    assertThat(organiserView.getJsonArray("hidden").getJsonObject(0).getString("key")).isEqualTo("spam");
    JsonObject publicView = await(http.getAnonymous(base)).json().getJsonObject("results");
    assertThat(publicView.getJsonArray("hidden")).isEmpty();
    assertThat(publicView.getJsonArray("words").encode()).doesNotContain("Spam");
    WsClient late = viewer();
    JsonObject joinedCloud = await(late.join(stageId)).getJsonArray("clouds").getJsonObject(0);
    assertThat(joinedCloud.getJsonObject("results").getJsonArray("hidden")).isEmpty();
  }

  @Test
  void questionsArePremoderatedAndTheAskerIsToldTheOutcome() {
    await(http.send(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/stages/" + stageId + "/settings",
        new JsonObject().put("questionModeration", true), TestServer.ORGANISER_TOKEN));
    WsClient asker = viewer();
    WsClient other = viewer();
    WsClient m = moderator();
    Future<JsonObject> pendingForModerator = m.next(x -> "post".equals(x.getString("type"))
        && "pending".equals(x.getJsonObject("post").getString("state")));
    Future<JsonObject> pendingForAsker = asker.next(x -> "post".equals(x.getString("type")));
    JsonObject ack = await(asker.request(question("Wann kommt die EUDI-Wallet?").put("name", "Anna")));
    String postId = ack.getString("postId");
    assertThat(postId).startsWith("qa");
    assertThat(await(pendingForModerator).getJsonObject("post").getString("displayName")).isEqualTo("Anna");
    JsonObject own = await(pendingForAsker).getJsonObject("post");
    assertThat(own.getString("state")).isEqualTo("pending");
    assertThat(own.getBoolean("mine")).isTrue();

    Future<JsonObject> published = other.next(x -> "post".equals(x.getString("type")));
    await(http.post("/api/v1/stages/" + stageId + "/posts/" + postId + "/approve", null));
    JsonObject seen = await(published).getJsonObject("post");
    assertThat(seen.getString("state")).isEqualTo("published");
    assertThat(seen.getBoolean("mine")).isFalse();
    assertThat(seen.containsKey("authorId")).isFalse();
    assertThat(other.inbox()).noneMatch(x -> "post".equals(x.getString("type"))
        && "pending".equals(x.getJsonObject("post").getString("state")));

    JsonObject second = await(asker.request(question("Und der Datenschutz?")));
    Future<JsonObject> rejected = asker.next(x -> "post".equals(x.getString("type"))
        && "rejected".equals(x.getJsonObject("post").getString("state")));
    await(http.post("/api/v1/stages/" + stageId + "/posts/" + second.getString("postId") + "/reject", null));
    assertThat(await(rejected).getJsonObject("post").getBoolean("mine")).isTrue();
  }

  /** The profanity filter on questions and comments: disguised words are caught, nothing is stored. */
  @Test
  void postsHoldingABlockedWordAreRefusedHoweverItIsDisguised() {
    String eventId = await(http.get("/api/v1/stages/" + stageId)).json().getString("eventId");
    assertThat(await(http.put("/api/v1/events/" + eventId + "/blocklist",
        new JsonObject().put("words", new io.vertx.core.json.JsonArray().add("Querdenker")))).status()).isEqualTo(200);
    WsClient asker = viewer();
    for (String text : java.util.List.of("Warum so sch\u0435isse?", "f.u.c.k das", "Sind Sie ein Qu3rd3nk3r?", "a s s h o l e")) {
      JsonObject reply = await(asker.request(question(text)));
      error(reply, "blocked_word");
      assertThat(reply.getString("message")).isEqualTo("text: contains a word that is not allowed here");
    }
    error(await(asker.request(question("Eine Frage").put("name", "Arschl0ch"))), "blocked_word");
    error(await(asker.request(action("post").put("kind", "comment").put("text", "bullsh1t"))), "blocked_word");
    assertThat((io.vertx.core.json.JsonArray) await(http.get("/api/v1/stages/" + stageId + "/posts")).any())
        .as("nothing stored").isEmpty();
    ack(await(asker.request(question("Wie schützen wir den Klassenkampf-freien Passwortspeicher?"))));
  }

  /** Ban/mute: a moderator mutes a post's author; their pending and later posts vanish for everyone else. */
  @Test
  void aMutedAuthorsPendingAndLaterPostsAreHiddenFromEveryoneElse() {
    assertThat(await(http.send(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/stages/" + stageId + "/settings",
        new JsonObject().put("questionModeration", true), TestServer.ORGANISER_TOKEN)).status()).isEqualTo(200);
    WsClient troll = viewer();
    WsClient other = viewer();
    WsClient m = moderator();
    String first = await(troll.request(question("Erste Frage"))).getString("postId");
    String second = await(troll.request(question("Zweite Frage"))).getString("postId");
    String posts = "/api/v1/stages/" + stageId + "/posts/";
    assertThat(await(http.post(posts + first + "/approve", null)).status()).isEqualTo(200);

    // a viewer may not mute
    assertThat(await(http.send(io.vertx.core.http.HttpMethod.POST, posts + first + "/mute-author", null, troll.token))
        .status()).isEqualTo(401);
    JsonObject muted = await(http.post(posts + first + "/mute-author", null)).json();
    assertThat(muted).isEqualTo(new JsonObject().put("postId", first).put("authorMuted", true).put("hidden", 1));
    assertThat(await(http.get(posts + second)).json().getString("state")).as("pending → hidden").isEqualTo("rejected");
    assertThat(await(http.get(posts + first)).json().getString("state")).as("published stays").isEqualTo("published");

    // a later post is acknowledged and shown to its author as rejected; no one else sees it
    Future<JsonObject> own = troll.next(x -> "post".equals(x.getString("type"))
        && "Dritte Frage".equals(x.getJsonObject("post").getString("text")));
    String third = await(troll.request(question("Dritte Frage"))).getString("postId");
    assertThat(await(own).getJsonObject("post").getString("state")).isEqualTo("rejected");
    assertThat(await(http.get(posts + third)).json().getString("state")).isEqualTo("rejected");
    String marker = await(other.request(question("Nach dem Stummschalten"))).getString("postId");
    await(m.next(x -> "post".equals(x.getString("type")) && marker.equals(x.getJsonObject("post").getString("id"))));
    assertThat(other.inbox()).noneMatch(x -> "post".equals(x.getString("type"))
        && third.equals(x.getJsonObject("post").getString("id")));

    // unmuted: posts take the stage's normal path again (pending here)
    assertThat(await(http.post(posts + first + "/unmute-author", null)).json().getBoolean("authorMuted")).isFalse();
    String fourth = await(troll.request(question("Vierte Frage"))).getString("postId");
    assertThat(await(http.get(posts + fourth)).json().getString("state")).isEqualTo("pending");
    assertThat(await(http.post(posts + "qanothere000/mute-author", null)).status()).isEqualTo(404);
  }

  @Test
  void upvotesAreOnePerParticipantAndCanBeWithdrawn() {
    WsClient asker = viewer();
    String postId = await(asker.request(question("Open Source first?"))).getString("postId");
    WsClient voter = viewer();
    WsClient m = moderator();
    ack(await(voter.request(action("upvote").put("postId", postId))));
    ack(await(voter.request(action("upvote").put("postId", postId))));
    ack(await(asker.request(action("upvote").put("postId", postId))));
    Future<JsonObject> two = m.next(x -> "post".equals(x.getString("type")) && x.getJsonObject("post").getLong("upvotes") == 2);
    assertThat(await(two).getJsonObject("post").getString("id")).isEqualTo(postId);
    ack(await(voter.request(action("upvote").put("postId", postId).put("up", false))));
    assertThat(await(http.get("/api/v1/stages/" + stageId + "/posts/" + postId)).json().getLong("upvotes")).isEqualTo(1);
    WsClient again = await(WsClient.connect(clientVertx, server.port()));
    again.token = asker.token;
    assertThat(await(again.join(stageId)).getJsonArray("upvoted")).containsExactly(postId);
    error(await(voter.request(action("upvote").put("postId", "qanothere000"))), "unknown_post");
  }

  @Test
  void moderatorsAnswerPinEditAndReplyAndEveryoneSeesIt() {
    WsClient asker = viewer();
    String first = await(asker.request(question("Frage eins"))).getString("postId");
    String second = await(viewer().request(question("Frage zwei mit Tippfeler"))).getString("postId");
    String base = "/api/v1/stages/" + stageId + "/posts/";
    await(http.post(base + first + "/pin", null));
    JsonObject pinnedSecond = await(http.post(base + second + "/pin", null)).json();
    assertThat(pinnedSecond.getBoolean("pinned")).isTrue();
    assertThat(await(http.get(base + first)).json().getBoolean("pinned")).isFalse();
    JsonObject edited = await(http.post(base + second + "/edit", new JsonObject().put("text", "Frage zwei mit Tippfehler"))).json();
    assertThat(edited.getString("originalText")).isEqualTo("Frage zwei mit Tippfeler");
    assertThat(await(http.getAnonymous(base + second)).json().containsKey("originalText")).isFalse();
    await(http.post(base + second + "/reply", new JsonObject().put("text", "Kommt gleich.")));
    Future<JsonObject> answered = asker.next(x -> "post".equals(x.getString("type")) && x.getJsonObject("post").getBoolean("answered"));
    await(http.post(base + first + "/answer", null));
    assertThat(await(answered).getJsonObject("post").getString("id")).isEqualTo(first);
    error(await(asker.request(action("delete").put("postId", first))), "invalid_state");
    JsonArray byVotes = (JsonArray) await(http.getAnonymous("/api/v1/stages/" + stageId + "/posts?kind=question&sort=votes")).any();
    assertThat(byVotes).hasSize(2);
  }

  @Test
  void anAuthorDeletesTheirUnansweredQuestionAndEveryoneDropsIt() {
    WsClient asker = viewer();
    WsClient other = viewer();
    String postId = await(asker.request(question("Doch nicht so wichtig"))).getString("postId");
    await(other.next(x -> "post".equals(x.getString("type"))));
    error(await(other.request(action("delete").put("postId", postId))), "unknown_post");
    Future<JsonObject> gone = other.next(x -> "post".equals(x.getString("type"))
        && "deleted".equals(x.getJsonObject("post").getString("state")));
    ack(await(asker.request(action("delete").put("postId", postId))));
    assertThat(await(gone).getJsonObject("post").getString("text")).isEmpty();
    assertThat((JsonArray) await(http.get("/api/v1/stages/" + stageId + "/posts")).any()).isEmpty();
  }

  @Test
  void aDeletedPostIsNotFoundByIdEvenForTheOrganiser() {
    WsClient asker = viewer();
    String postId = await(asker.request(question("Schon erledigt"))).getString("postId");
    String path = "/api/v1/stages/" + stageId + "/posts/" + postId;
    assertThat(await(http.get(path)).status()).isEqualTo(200);
    ack(await(asker.request(action("delete").put("postId", postId))));
    for (Http.Response r : List.of(await(http.get(path)), await(http.getAnonymous(path)))) {
      assertThat(r.status()).as(r.body().toString()).isEqualTo(404);
      assertThat(r.json().getJsonObject("error").getString("code")).isEqualTo("unknown_post");
    }
  }

  @Test
  void postsAreValidatedAndAnonymityCanBeSwitchedOff() {
    WsClient v = viewer();
    error(await(v.request(action("post").put("kind", "rant").put("text", "x"))), "invalid_field");
    error(await(v.request(action("post").put("kind", "comment").put("text", "   "))), "invalid_field");
    error(await(v.request(action("post").put("kind", "comment").put("text", "x".repeat(501)))), "invalid_field");
    error(await(v.request(action("post").put("kind", "comment"))), "missing_field");
    ack(await(v.request(action("post").put("kind", "comment").put("text", "x".repeat(500)))));
    await(http.send(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/stages/" + stageId + "/settings",
        new JsonObject().put("anonymousQuestions", false), TestServer.ORGANISER_TOKEN));
    await(v.nextOfType("stage"));
    error(await(v.request(action("post").put("kind", "feedback").put("text", "Gut"))), "name_required");
    ack(await(v.request(action("post").put("kind", "feedback").put("text", "Gut").put("name", "Bernd"))));
    JsonArray feedback = (JsonArray) await(http.getAnonymous("/api/v1/stages/" + stageId + "/posts?kind=feedback")).any();
    assertThat(feedback).hasSize(1);
    error(await(moderator().request(action("post").put("kind", "comment").put("text", "Hallo"))), "forbidden");
  }

  @Test
  void reactionsArePushedAsCountsWithTheRecentBurst() {
    WsClient v = viewer();
    WsClient overlay = await(WsClient.connect(clientVertx, server.port()));
    JsonObject joined = await(overlay.request(new JsonObject().put("type", "join").put("id", "o1")
        .put("stageId", stageId).put("role", "presenter")));
    assertThat(joined.getJsonArray("reactionSet")).contains("👏");
    Future<JsonObject> burst = overlay.next(x -> "reactions".equals(x.getString("type"))
        && x.getJsonObject("totals").getLong("👏", 0L) == 3);
    for (int i = 0; i < 3; i++) {
      ack(await(v.request(action("react").put("emoji", "👏"))));
    }
    JsonObject seen = await(burst);
    assertThat(seen.getJsonObject("recent").getLong("👏")).isPositive();
    error(await(v.request(action("react").put("emoji", "💩"))), "unknown_reaction");
    JsonObject export = await(http.get("/api/v1/stages/" + stageId + "/reactions")).json();
    assertThat(export.getJsonObject("totals").getLong("👏")).isEqualTo(3);
    assertThat(export.getJsonArray("timeline")).hasSize(1);
    assertThat(export.getJsonArray("timeline").getJsonObject(0).getJsonObject("counts").getLong("👏")).isEqualTo(3);
  }

  @Test
  void theFirstReactionPushAfterAQuietSpellHasAWindowNoLongerThanItTookToArrive() {
    WsClient v = viewer();
    WsClient overlay = await(WsClient.connect(clientVertx, server.port()));
    await(overlay.request(new JsonObject().put("type", "join").put("id", "o1").put("stageId", stageId).put("role", "presenter")));
    // the quiet spell itself is what is tested: nobody reacts for a while after the room was loaded
    await(clientVertx.timer(700));
    Future<JsonObject> push = overlay.nextOfType("reactions");
    long sent = System.nanoTime();
    ack(await(v.request(action("react").put("emoji", "👏"))));
    JsonObject first = await(push);
    long tookMs = (System.nanoTime() - sent) / 1_000_000;
    assertThat(first.getJsonObject("recent").getLong("👏")).isEqualTo(1);
    // the reaction arrived after it was sent and was pushed before it was received
    assertThat(first.getLong("windowMs")).isBetween(1L, Math.max(1L, tookMs));
  }

  @Test
  void perParticipantLimitsRefuseWithTheWaitAndApplyNothing() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    startServer(Map.of("PLENUM_LIMIT_POST", "1/10s", "PLENUM_LIMIT_REACTION", "2/10s"));
    WsClient v = viewer();
    JsonObject first = question("Die erste Frage");
    ack(await(v.request(first)));
    // a resend of the applied action (its ack was lost) is answered duplicate, never rate_limited
    JsonObject resent = await(v.request(first));
    ack(resent);
    assertThat(resent.getBoolean("duplicate")).isTrue();
    JsonObject limited = await(v.request(question("Gleich noch eine")));
    error(limited, "rate_limited");
    assertThat(limited.getLong("retryAfterMs")).isBetween(1L, 10_000L);
    ack(await(v.request(action("react").put("emoji", "👍"))));
    ack(await(v.request(action("react").put("emoji", "👍"))));
    error(await(v.request(action("react").put("emoji", "👍"))), "rate_limited");
    assertThat((JsonArray) await(http.get("/api/v1/stages/" + stageId + "/posts")).any()).hasSize(1);
    assertThat(await(http.get("/api/v1/stages/" + stageId + "/reactions")).json().getJsonObject("totals").getLong("👍")).isEqualTo(2);
    // the limit follows the participant, not the connection
    WsClient reconnected = await(WsClient.connect(clientVertx, server.port()));
    reconnected.token = v.token;
    await(reconnected.join(stageId));
    error(await(reconnected.request(question("Über eine neue Verbindung"))), "rate_limited");
  }

  @Test
  void refusalsFoundBeforeTheEngineUseNoAllowanceButTheEnginesRefusalsDo() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    startServer(Map.of("PLENUM_LIMIT_WORD", "2/10s"));
    String cloudId = await(http.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
    WsClient v = viewer();
    for (int i = 0; i < 3; i++) {
      error(await(v.request(word(cloudId, "Scheiße"))), "blocked_word");
      error(await(v.request(word(cloudId, "!!!"))), "invalid_field");
      error(await(v.request(word("wcnothere000", "Hallo"))), "unknown_cloud");
    }
    ack(await(v.request(word(cloudId, "Cloud"))));
    error(await(v.request(word(cloudId, "CLOUD"))), "already_submitted"); // the engine refused it: one used
    error(await(v.request(word(cloudId, "Open Source"))), "rate_limited");
  }

  @Test
  void theConnectionsBurstIncludesTheJoin() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    startServer(Map.of("PLENUM_RATE_LIMIT_BURST", "3", "PLENUM_RATE_LIMIT_PER_SECOND", "1"));
    WsClient v = viewer();
    // sent together, so that no second passes (which would refill one) between the join and the third
    Future<JsonObject> second = v.request(action("ping"));
    Future<JsonObject> third = v.request(action("ping"));
    Future<JsonObject> fourth = v.request(action("ping"));
    assertThat(await(second).getString("type")).isEqualTo("pong");
    assertThat(await(third).getString("type")).isEqualTo("pong");
    error(await(fourth), "rate_limited");
  }

  @Test
  void aThousandContributorsWithThreeEntriesEachGiveExactCounts() {
    String cloudId = await(http.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
    WsClient m = moderator();
    int contributors = 1000;
    String[] vocabulary = new String[20];
    for (int i = 0; i < vocabulary.length; i++) {
      vocabulary[i] = "Wort" + i;
    }
    List<WsClient> viewers = new ArrayList<>();
    for (int i = 0; i < contributors; i++) {
      viewers.add(await(WsClient.connect(clientVertx, server.port())));
    }
    await(Future.all(viewers.stream().map(v -> v.join(stageId)).toList()), 60);
    long[] expected = new long[vocabulary.length];
    Future<JsonObject> complete = m.next(x -> "words".equals(x.getString("type"))
        && x.getJsonObject("results").getLong("entries") == contributors * 3L);
    List<Future<JsonObject>> acks = new ArrayList<>();
    for (int i = 0; i < contributors; i++) {
      for (int k = 0; k < 3; k++) {
        int w = (i * 7 + k * 3) % vocabulary.length;
        expected[w]++;
        acks.add(viewers.get(i).request(word(cloudId, k == 1 ? vocabulary[w].toUpperCase() : vocabulary[w])));
      }
    }
    await(Future.all(acks), 120);
    assertThat(acks).allSatisfy(f -> assertThat(f.result().getString("type")).isEqualTo("ack"));
    JsonObject results = await(complete, 60).getJsonObject("results");
    assertThat(results.getLong("contributors")).isEqualTo(contributors);
    for (Object o : results.getJsonArray("words")) {
      JsonObject w = (JsonObject) o;
      int index = Integer.parseInt(w.getString("key").substring(4));
      assertThat(w.getLong("count")).as(w.getString("key")).isEqualTo(expected[index]);
    }
    assertThat(results.getJsonArray("words")).hasSize(vocabulary.length);
  }
}
