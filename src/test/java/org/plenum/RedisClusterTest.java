package org.plenum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plenum.testing.Http;
import org.plenum.testing.RedisClusterProcess;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * Three Plenum nodes (each its own Vert.x) on a real three-primary Redis Cluster
 * (redisMode=cluster): what is done on any node reaches the moderators on every node, exactly once,
 * and a manual failover of the primary that owns a poll's stage in the middle of a vote burst loses
 * and doubles nothing.
 */
class RedisClusterTest {
  /** Short, so the resends come quickly; not so short that a loaded CI machine times out ordinary commands. */
  private static final long COMMAND_TIMEOUT_MS = 2_500;
  private static final Set<String> RESEND = Set.of("outcome_unknown", "unavailable");
  private static final List<String> CHOICES = List.of("a", "b", "c");

  private static RedisClusterProcess cluster;
  private static final List<Vertx> vertxes = new ArrayList<>();
  private static final List<PlenumServer> nodes = new ArrayList<>();
  private static Vertx clients;

  @BeforeAll
  static void start() {
    cluster = RedisClusterProcess.start();
    clients = TestVertx.create();
    for (String id : List.of("node-a", "node-b", "node-c")) {
      Vertx v = TestVertx.create();
      vertxes.add(v);
      nodes.add(await(TestServer.start(v, Map.of("PLENUM_ENGINE", "redis", "PLENUM_REDIS_MODE", "cluster",
          "PLENUM_REDIS_URL", cluster.urls(), "PLENUM_NODE_ID", id,
          "PLENUM_REDIS_COMMAND_TIMEOUT_MS", String.valueOf(COMMAND_TIMEOUT_MS),
          // the burst's voters vote again and again; the session limits are tested elsewhere
          "PLENUM_RATE_LIMIT_PER_SECOND", "1000", "PLENUM_RATE_LIMIT_BURST", "1000"))));
    }
  }

  @AfterAll
  static void stop() {
    for (PlenumServer node : nodes) {
      await(node.stop().otherwiseEmpty());
    }
    for (Vertx v : vertxes) {
      await(v.close());
    }
    if (clients != null) {
      await(clients.close());
    }
    if (cluster != null) {
      cluster.close();
    }
    TestVertx.assertNoBlockedLoops();
  }

  @Test
  void votesWordsAndQuestionsOnEveryNodeReachTheModeratorsOnEveryNodeExactlyOnce() {
    Http http = new Http(clients, nodes.get(1).port(), TestServer.ORGANISER_TOKEN);
    String stageId = await(http.stage()).getString("id");
    String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    String cloudId = await(http.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
    List<WsClient> moderators = new ArrayList<>();
    for (PlenumServer node : nodes) {
      WsClient moderator = await(WsClient.connect(clients, node.port()));
      await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
      moderators.add(moderator);
    }
    Map<String, Long> expected = new HashMap<>(Map.of("a", 0L, "b", 0L, "c", 0L));
    List<String> postIds = new ArrayList<>();
    List<Future<?>> actions = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      String choice = CHOICES.get(i % 3 == 2 ? 0 : i % 2 + 1);
      expected.merge(choice, 1L, Long::sum);
      WsClient viewer = await(WsClient.connect(clients, nodes.get(i % 3).port()));
      await(viewer.join(stageId));
      assertThat(await(viewer.vote(pollId, choice)).getString("type")).isEqualTo("ack");
      assertThat(await(viewer.request(new JsonObject().put("type", "word").put("id", "w-" + i).put("cloudId", cloudId)
          .put("text", i % 2 == 0 ? "Klima" : "Wohnen"))).getString("type")).isEqualTo("ack");
      postIds.add(await(viewer.request(new JsonObject().put("type", "post").put("id", "q-" + i).put("kind", "question")
          .put("text", "Frage " + i + "?"))).getString("postId"));
    }
    JsonObject stored = await(http.get("/api/v1/stages/" + stageId + "/polls/" + pollId)).json().getJsonObject("results");
    assertThat(stored.getLong("voters")).isEqualTo(9);
    assertThat(counts(stored)).isEqualTo(expected);

    for (WsClient moderator : moderators) {
      JsonObject results = await(moderator.next(m -> ("results".equals(m.getString("type")) || "poll".equals(m.getString("type")))
          && m.getJsonObject("results") != null && m.getJsonObject("results").getLong("voters") == 9), 20).getJsonObject("results");
      assertThat(counts(results)).as("a moderator's poll results").isEqualTo(expected);
      JsonObject words = await(moderator.next(m -> ("words".equals(m.getString("type")) || "cloud".equals(m.getString("type")))
          && m.getJsonObject("results") != null && m.getJsonObject("results").getLong("entries") == 9), 20).getJsonObject("results");
      Map<String, Long> cloud = new HashMap<>();
      words.getJsonArray("words").forEach(w -> cloud.put(((JsonObject) w).getString("text"), ((JsonObject) w).getLong("count")));
      assertThat(cloud).containsExactlyInAnyOrderEntriesOf(Map.of("Klima", 5L, "Wohnen", 4L));
      for (String postId : postIds) {
        await(moderator.next(m -> "post".equals(m.getString("type")) && postId.equals(m.getJsonObject("post").getString("id"))), 20);
      }
    }
    assertThat((io.vertx.core.json.JsonArray) await(http.get("/api/v1/stages/" + stageId + "/posts")).any()).hasSize(9);
  }

  /**
   * The primary owning the poll's stage slot is failed over by hand (CLUSTER FAILOVER on its
   * replica) while votes stream in on all three nodes; every client resends outcome_unknown and
   * unavailable under the same action id until acked. Afterwards the counts are exactly the voters'
   * last acked choices, every node's subscription to the stage moved to the new primary, and the
   * moderators on all nodes converge to the final counts (the votes made during the resubscription
   * included).
   */
  @Test
  void aManualFailoverInAVoteBurstLosesAndDoublesNothingAndEveryNodeConverges() {
    Http http = new Http(clients, nodes.get(0).port(), TestServer.ORGANISER_TOKEN);
    String stageId = await(http.stage()).getString("id");
    String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    String channel = "plenum:{" + stageId + "}:changes";
    int primary = cluster.primaryOf(channel);
    int replica = cluster.replicaOf(primary);
    List<WsClient> moderators = new ArrayList<>();
    for (PlenumServer node : nodes) {
      WsClient moderator = await(WsClient.connect(clients, node.port()));
      await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
      moderators.add(moderator);
    }
    assertThat(numberOfSubscribers(primary, channel)).as("one subscription per node, on the slot's primary").isEqualTo(3);

    int voters = 60;
    List<Future<WsClient>> joining = new ArrayList<>();
    for (int i = 0; i < voters; i++) {
      joining.add(WsClient.connect(clients, nodes.get(i % 3).port()).compose(ws -> ws.join(stageId).map(ws)));
    }
    List<WsClient> all = await(Future.all(joining), 60).list();
    Burst burst = new Burst(pollId);
    List<Future<Void>> firstHalf = new ArrayList<>();
    for (int i = 0; i < voters / 2; i++) {
      firstHalf.add(burst.castUntilAcked(all.get(i), i, CHOICES.get(i % 3)));
    }
    await(Future.all(firstHalf), 60);

    AtomicBoolean failedOver = new AtomicBoolean();
    List<Future<Void>> streaming = new ArrayList<>();
    for (int i = voters / 2; i < voters; i++) {
      streaming.add(burst.keepVoting(all.get(i), i, failedOver, 0));
    }
    cluster.failover(replica);
    failedOver.set(true);
    await(Future.all(streaming), 90);

    String countsKey = "plenum:{" + stageId + "}:counts:" + pollId;
    assertThat(cluster.primaryOf(countsKey)).as("the replica took over the stage's slot").isEqualTo(replica);
    Map<String, Long> counted = hash(replica, countsKey);
    long version = counted.remove("_v");
    long voterCount = counted.remove("_n");
    Map<String, Long> expected = new HashMap<>(Map.of("a", 0L, "b", 0L, "c", 0L));
    burst.finalChoice.values().forEach(c -> expected.merge(c, 1L, Long::sum));
    System.out.printf("RedisClusterTest [manual failover]: %d acks (%d duplicates), answers %s; counted %s, %d voters%n",
        burst.acks.get(), burst.duplicates.get(), burst.refusals, counted, voterCount);
    assertThat(burst.votesDuringFailover.get()).as("votes were sent while the failover ran").isPositive();
    assertThat(voterCount).isEqualTo(voters);
    assertThat(counted).as("counts in Redis: the voters' last acked choices, none lost, none doubled").isEqualTo(expected);
    assertThat((Long) RedisClusterProcess.command(replica, "HLEN", "plenum:{" + stageId + "}:ballots:" + pollId))
        .isEqualTo(voters);

    RedisClusterProcess.await("every node to subscribe " + channel + " on the new primary",
        () -> numberOfSubscribers(replica, channel) == 3);
    for (WsClient moderator : moderators) {
      JsonObject view = await(moderator.next(m -> ("results".equals(m.getString("type")) || "poll".equals(m.getString("type")))
          && m.getJsonObject("results") != null && m.getJsonObject("results").getLong("version") == version), 30)
          .getJsonObject("results");
      assertThat(view.getLong("voters")).isEqualTo(voters);
      assertThat(counts(view)).as("a moderator's final view").isEqualTo(counted);
    }

    // a vote after the failover reaches the moderators on every node through the new subscriptions
    WsClient late = await(WsClient.connect(clients, nodes.get(2).port()));
    await(late.join(stageId));
    assertThat(await(late.vote(pollId, "c")).getString("type")).isEqualTo("ack");
    for (WsClient moderator : moderators) {
      await(moderator.next(m -> ("results".equals(m.getString("type")) || "poll".equals(m.getString("type")))
          && m.getJsonObject("results") != null && m.getJsonObject("results").getLong("voters") == voters + 1), 20);
    }
  }

  private static final class Burst {
    final String pollId;
    final Map<Integer, String> finalChoice = new ConcurrentHashMap<>();
    final AtomicInteger acks = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger votesDuringFailover = new AtomicInteger();
    final List<String> refusals = new CopyOnWriteArrayList<>();

    Burst(String pollId) {
      this.pollId = pollId;
    }

    /** Changes the voter's vote again and again (each change once acked) until the failover is over, then once more. */
    Future<Void> keepVoting(WsClient voter, int i, AtomicBoolean failedOver, int round) {
      boolean last = failedOver.get();
      if (!last) {
        votesDuringFailover.incrementAndGet();
      }
      return castUntilAcked(voter, i, CHOICES.get((i + round) % 3)).compose(v -> {
        if (last || round > 300) {
          return Future.<Void>succeededFuture();
        }
        Promise<Void> next = Promise.promise();
        clients.setTimer(20, t -> keepVoting(voter, i, failedOver, round + 1).onComplete(next));
        return next.future();
      });
    }

    /** One vote under a fresh action id, resent under that id after outcome_unknown / unavailable until acked. */
    Future<Void> castUntilAcked(WsClient voter, int i, String choice) {
      return resend(voter, WsClient.nextId("v"), choice, 0).onSuccess(v -> finalChoice.put(i, choice));
    }

    private Future<Void> resend(WsClient voter, String actionId, String choice, int attempt) {
      return voter.vote(actionId, pollId, choice).compose(reply -> {
        if ("ack".equals(reply.getString("type"))) {
          acks.incrementAndGet();
          if (Boolean.TRUE.equals(reply.getBoolean("duplicate"))) {
            duplicates.incrementAndGet();
          }
          return Future.succeededFuture();
        }
        String code = reply.getString("code");
        refusals.add(code);
        if (!RESEND.contains(code) || attempt > 100) {
          return Future.failedFuture(new AssertionError("vote " + actionId + " answered " + reply));
        }
        Promise<Void> later = Promise.promise();
        clients.setTimer(100, t -> resend(voter, actionId, choice, attempt + 1).onComplete(later));
        return later.future();
      });
    }
  }

  private static long numberOfSubscribers(int port, String channel) {
    List<?> reply = (List<?>) RedisClusterProcess.command(port, "PUBSUB", "SHARDNUMSUB", channel);
    return (Long) reply.get(1);
  }

  private static Map<String, Long> hash(int port, String key) {
    List<?> reply = (List<?>) RedisClusterProcess.command(port, "HGETALL", key);
    Map<String, Long> out = new HashMap<>();
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      out.put((String) reply.get(i), Long.parseLong((String) reply.get(i + 1)));
    }
    return out;
  }

  private static Map<String, Long> counts(JsonObject results) {
    Map<String, Long> shown = new HashMap<>();
    results.getJsonObject("counts").forEach(e -> shown.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return shown;
  }
}
