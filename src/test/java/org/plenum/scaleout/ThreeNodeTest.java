package org.plenum.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.plenum.testing.Dashboard;
import org.plenum.testing.Nodes;
import org.plenum.testing.NodesExtension;
import org.plenum.testing.TestServer;
import org.plenum.testing.WsClient;

/**
 * Three Plenum nodes on one redis-server, the audience spread over all of them: every action sent
 * on any node is counted exactly once (resends under the same action id, on the same node or on
 * another, are duplicates), and the moderator on each node ends up with the same screen, equal to
 * the exact expected counts. Only the protocol and the REST API are used.
 */
class ThreeNodeTest {
  private static final int VIEWERS = 90;
  private static final List<String> WORDS = List.of("Datenschutz", "Cloud", "KI", "Open Source", "Verwaltung", "Wallet");
  private static final List<String> REACTIONS = List.of("👏", "❤️", "😮");
  private static final int SECONDS = 20;

  @RegisterExtension
  static final NodesExtension deployment = NodesExtension.onRedis(3);

  /** What one viewer does; everything expected follows from it. */
  private record Viewer(int i, WsClient ws) {
    String single() {
      return List.of("a", "b", "c").get((i / 3) % 3);
    }

    JsonArray multiple() {
      List<String> options = List.of("a", "b", "c", "d");
      return new JsonArray().add(options.get(i % 4)).add(options.get((i % 4 + 1 + (i / 4) % 3) % 4));
    }

    int rating() {
      return 1 + i % 5;
    }

    /** Viewers with a twin (a second connection of the same participant, on the next node) change their rating there. */
    boolean hasTwin() {
      return i % 5 == 0;
    }

    List<String> words() {
      String first = WORDS.get(i % WORDS.size());
      // every second viewer adds another word, in capitals (the same key as its usual spelling)
      String second = WORDS.get((i % WORDS.size() + 1 + (i / 2) % (WORDS.size() - 1)) % WORDS.size());
      return i % 2 == 0 ? List.of(first, second.toUpperCase(java.util.Locale.ROOT)) : List.of(first);
    }

    boolean asks() {
      return i % 10 == 0;
    }

    String reaction() {
      return REACTIONS.get(i % REACTIONS.size());
    }
  }

  private static JsonObject acked(JsonObject reply, String what) {
    if (!"ack".equals(reply.getString("type"))) {
      throw new AssertionError(what + " was not acknowledged: " + reply);
    }
    return reply;
  }

  private static Future<JsonObject> act(WsClient ws, JsonObject action) {
    return ws.request(action).map(reply -> acked(reply, action.encode()));
  }

  private static JsonObject vote(String id, String pollId, JsonArray choices) {
    return new JsonObject().put("type", "vote").put("id", id).put("pollId", pollId).put("choices", choices);
  }

  private static JsonObject rate(String id, String pollId, int rating) {
    return new JsonObject().put("type", "vote").put("id", id).put("pollId", pollId).put("rating", rating);
  }

  private static JsonObject word(String id, String cloudId, String text) {
    return new JsonObject().put("type", "word").put("id", id).put("cloudId", cloudId).put("text", text);
  }

  private static JsonObject react(String id, String emoji) {
    return new JsonObject().put("type", "react").put("id", id).put("emoji", emoji);
  }

  private static JsonObject question(String id, String text) {
    return new JsonObject().put("type", "post").put("id", id).put("kind", "question").put("text", text);
  }

  private static JsonObject upvote(String id, String postId) {
    return new JsonObject().put("type", "upvote").put("id", id).put("postId", postId);
  }

  private static Future<Void> expectDuplicate(WsClient ws, JsonObject action) {
    return act(ws, action).map(reply -> {
      if (!reply.getBoolean("duplicate")) {
        throw new AssertionError("a resend was applied again: " + action.encode() + " → " + reply);
      }
      return null;
    });
  }

  @Test
  void actionsOnAllNodesAreCountedExactlyOnceAndEveryModeratorSeesTheSameExactResultsAndTheWholeAudience() {
    Nodes nodes = deployment.nodes();
    Nodes.Node a = nodes.node(0);
    JsonObject stage = nodes.stage(a);
    String stageId = stage.getString("id");
    String single = nodes.poll(a, stageId, Nodes.singleChoice("Welche?", "A", "B", "C"));
    String multiple = nodes.poll(nodes.node(1), stageId, Nodes.multipleChoice("Welche Themen?", 2, "KI", "Cloud", "OZG", "eID"));
    String rating = nodes.poll(nodes.node(2), stageId, Nodes.rating("Wie war es?", 5));
    String cloud = nodes.cloud(nodes.node(1), stageId, 3);

    List<WsClient> moderators = new ArrayList<>();
    List<Dashboard> screens = new ArrayList<>();
    for (Nodes.Node node : nodes.all()) {
      WsClient m = await(node.connect());
      screens.add(Dashboard.follow("moderator on " + node.id(), m,
          await(m.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN))));
      moderators.add(m);
    }

    List<Future<WsClient>> joining = new ArrayList<>();
    for (int i = 0; i < VIEWERS; i++) {
      joining.add(nodes.roundRobin(i).viewer(stageId));
    }
    List<WsClient> sockets = await(Future.all(joining), 60).list();
    List<Viewer> viewers = new ArrayList<>();
    for (int i = 0; i < VIEWERS; i++) {
      viewers.add(new Viewer(i, sockets.get(i)));
    }
    for (Dashboard screen : screens) {
      screen.await("the viewers of all three nodes", SECONDS,
          s -> s.viewers() == VIEWERS && s.presence().getLong("moderators") == 3);
    }

    // Phase 1: every viewer votes in the three polls, submits its words, reacts, maybe asks; some
    // resend on the same connection under the same id (a lost ack), which must be a duplicate.
    List<Future<Void>> phase1 = new ArrayList<>();
    Map<Integer, String> questionIds = new TreeMap<>();
    for (Viewer v : viewers) {
      WsClient ws = v.ws();
      Future<JsonObject> chain = act(ws, vote("s-" + v.i(), single, new JsonArray().add(v.single())))
          .compose(r -> act(ws, vote("m-" + v.i(), multiple, v.multiple())))
          .compose(r -> act(ws, rate("r-" + v.i(), rating, v.rating())));
      for (int k = 0; k < v.words().size(); k++) {
        JsonObject entry = word("w-" + v.i() + "-" + k, cloud, v.words().get(k));
        chain = chain.compose(r -> act(ws, entry));
      }
      chain = chain.compose(r -> act(ws, react("x-" + v.i(), v.reaction())));
      if (v.asks()) {
        chain = chain.compose(r -> act(ws, question("q-" + v.i(), "Frage Nummer " + v.i() + "?")))
            .map(r -> {
              synchronized (questionIds) {
                questionIds.put(v.i(), r.getString("postId"));
              }
              return r;
            });
      }
      Future<Void> done = chain.mapEmpty();
      if (v.i() % 3 == 0) {
        done = done.compose(x -> expectDuplicate(ws, vote("s-" + v.i(), single, new JsonArray().add(v.single()))))
            .compose(x -> expectDuplicate(ws, react("x-" + v.i(), v.reaction())));
      }
      phase1.add(done);
    }
    await(Future.all(phase1), 60);

    // Phase 2: twins — the same participants on the next node — resend under the same ids (words,
    // reactions, questions: all duplicates), change their rating there, and race a reaction on
    // both connections at once (exactly one of the two is applied).
    List<Future<Void>> phase2 = new ArrayList<>();
    List<WsClient> twins = new ArrayList<>();
    Map<Integer, Integer> ratings = new HashMap<>();
    for (Viewer v : viewers) {
      ratings.put(v.i(), v.rating());
    }
    int raced = 0;
    for (Viewer v : viewers) {
      if (!v.hasTwin()) {
        continue;
      }
      WsClient twin = await(nodes.roundRobin(v.i() + 1).connect());
      twin.token = v.ws().token;
      JsonObject joined = await(twin.join(stageId));
      assertThat(joined.getJsonObject("participant").getString("id")).isEqualTo(v.ws().participantId);
      twins.add(twin);
      int changed = v.rating() % 5 + 1;
      ratings.put(v.i(), changed);
      Future<Void> done = expectDuplicate(twin, word("w-" + v.i() + "-0", cloud, v.words().get(0)))
          .compose(x -> expectDuplicate(twin, react("x-" + v.i(), v.reaction())))
          .compose(x -> expectDuplicate(twin, rate("r-" + v.i(), rating, v.rating())))
          .compose(x -> act(twin, rate("r2-" + v.i(), rating, changed)).mapEmpty());
      if (v.asks()) {
        done = done.compose(x -> expectDuplicate(twin, question("q-" + v.i(), "Frage Nummer " + v.i() + "?")));
      }
      Future<JsonObject> first = act(v.ws(), react("y-" + v.i(), "👍"));
      Future<JsonObject> second = act(twin, react("y-" + v.i(), "👍"));
      raced++;
      done = done.compose(x -> Future.all(first, second)).map(both -> {
        assertThat(List.of(first.result().getBoolean("duplicate"), second.result().getBoolean("duplicate")))
            .as("one reaction y-%d sent on two nodes at once", v.i()).containsExactlyInAnyOrder(false, true);
        return null;
      });
      phase2.add(done);
    }
    await(Future.all(phase2), 60);

    // Phase 3: upvotes, across nodes, of questions asked on other nodes.
    Map<String, Long> expectedUpvotes = new HashMap<>();
    questionIds.values().forEach(id -> expectedUpvotes.put(id, 0L));
    List<Future<JsonObject>> phase3 = new ArrayList<>();
    for (Viewer v : viewers) {
      for (Map.Entry<Integer, String> q : questionIds.entrySet()) {
        if ((v.i() + q.getKey() / 10) % 3 == 0) {
          expectedUpvotes.merge(q.getValue(), 1L, Long::sum);
          phase3.add(act(v.ws(), upvote("u-" + v.i() + "-" + q.getKey(), q.getValue())));
        }
      }
    }
    await(Future.all(phase3), 60);

    // What every moderator must show, counted from what was sent.
    Map<String, Long> singleCounts = zeros("a", "b", "c");
    Map<String, Long> multipleCounts = zeros("a", "b", "c", "d");
    Map<String, Long> ratingCounts = zeros("1", "2", "3", "4", "5");
    Map<String, Long> wordCounts = new HashMap<>();
    Map<String, Long> reactionTotals = new HashMap<>();
    long entries = 0;
    for (Viewer v : viewers) {
      singleCounts.merge(v.single(), 1L, Long::sum);
      v.multiple().forEach(c -> multipleCounts.merge((String) c, 1L, Long::sum));
      ratingCounts.merge(String.valueOf(ratings.get(v.i())), 1L, Long::sum);
      for (String w : v.words()) {
        wordCounts.merge(w.toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
        entries++;
      }
      reactionTotals.merge(v.reaction(), 1L, Long::sum);
    }
    if (raced > 0) {
      reactionTotals.put("👍", (long) raced);
    }
    long expectedEntries = entries;

    for (Dashboard screen : screens) {
      screen.await("the exact results", SECONDS, s -> s.counts(single).equals(singleCounts)
          && s.counts(multiple).equals(multipleCounts) && s.counts(rating).equals(ratingCounts)
          && s.wordCounts(cloud).equals(wordCounts) && s.words(cloud).getLong("entries") == expectedEntries
          && s.reactionTotals().equals(reactionTotals)
          && upvotesShown(s, expectedUpvotes));
      assertThat(screen.results(single).getLong("voters")).isEqualTo(VIEWERS);
      assertThat(screen.results(multiple).getLong("voters")).isEqualTo(VIEWERS);
      assertThat(screen.results(rating).getLong("voters")).as("a changed rating replaces, never adds").isEqualTo(VIEWERS);
      assertThat(screen.words(cloud).getLong("contributors")).isEqualTo(VIEWERS);
      assertThat(screen.posts()).as("one post per question asked, however often it was resent").hasSize(questionIds.size());
    }
    // the REST API of every node agrees (it reads Redis)
    for (Nodes.Node node : nodes.all()) {
      JsonObject r = nodes.get(node, "/api/v1/stages/" + stageId + "/polls/" + single).json().getJsonObject("results");
      assertThat(r.getLong("voters")).isEqualTo(VIEWERS);
      assertThat(((JsonArray) nodes.get(node, "/api/v1/stages/" + stageId + "/posts").any())).hasSize(questionIds.size());
      Map<String, Long> totals = Dashboard.longs(nodes.get(node, "/api/v1/stages/" + stageId + "/reactions").json()
          .getJsonObject("totals"));
      assertThat(totals).isEqualTo(reactionTotals);
    }

    // The twins leave: the deployment-wide sum is the audience again, on every screen.
    await(Future.all(twins.stream().map(WsClient::close).toList()));
    for (Dashboard screen : screens) {
      screen.await("the audience after the twins left", SECONDS, s -> s.viewers() == VIEWERS);
    }

    // A poll closed through node A is closed on B and C: their moderators and viewers are told,
    // and a vote sent to node C right after the close is refused.
    WsClient viewerOnB = viewers.get(1).ws();
    WsClient viewerOnC = viewers.get(2).ws();
    Future<JsonObject> closedOnB = viewerOnB.next(m -> "poll".equals(m.getString("type"))
        && single.equals(m.getJsonObject("poll").getString("id")) && "closed".equals(m.getJsonObject("poll").getString("state")));
    Future<JsonObject> closedOnC = viewerOnC.next(m -> "poll".equals(m.getString("type"))
        && single.equals(m.getJsonObject("poll").getString("id")) && "closed".equals(m.getJsonObject("poll").getString("state")));
    assertThat(nodes.pollAction(a, stageId, single, "close").getJsonObject("poll").getString("state")).isEqualTo("closed");
    JsonObject late = await(viewerOnC.request(vote(WsClient.nextId("late"), single, new JsonArray().add("a"))));
    assertThat(late.getString("code")).as("a vote on node C after the poll was closed on node A").isEqualTo("poll_not_open");
    await(closedOnB, SECONDS);
    await(closedOnC, SECONDS);
    for (Dashboard screen : screens) {
      screen.await("the poll closed", SECONDS, s -> "closed".equals(s.pollState(single)));
      assertThat(screen.counts(single)).isEqualTo(singleCounts);
    }
    moderators.forEach(WsClient::close);
    viewers.forEach(v -> v.ws().close());
  }

  private static boolean upvotesShown(Dashboard s, Map<String, Long> expected) {
    Map<String, JsonObject> posts = s.posts();
    return expected.entrySet().stream().allMatch(e -> posts.containsKey(e.getKey())
        && posts.get(e.getKey()).getLong("upvotes").equals(e.getValue()));
  }

  private static Map<String, Long> zeros(String... keys) {
    Map<String, Long> m = new HashMap<>();
    for (String k : keys) {
      m.put(k, 0L);
    }
    return m;
  }
}
