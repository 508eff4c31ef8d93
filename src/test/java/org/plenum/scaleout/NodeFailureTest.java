package org.plenum.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.plenum.testing.Dashboard;
import org.plenum.testing.Nodes;
import org.plenum.testing.Nodes.Kind;
import org.plenum.testing.ReconnectingClient;
import org.plenum.testing.RedisServerProcess;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * Losing one node of three on one redis-server: a node killed outright, and a node drained for a
 * rolling restart. The node that goes away runs as a child JVM so that it gets a real signal; the
 * others run in this JVM (the fixture makes any of them a child with one word). Only the protocol
 * and the REST API are used.
 */
class NodeFailureTest {
  /** Hub.PRESENCE_TTL_MS: a node's presence report lives this long unless refreshed. */
  private static final int PRESENCE_TTL_S = 15;
  /** Hub's presence heartbeat: live nodes report (and so make moderators re-read the sum) this often. */
  private static final int PRESENCE_HEARTBEAT_S = 5;
  private static final int MARGIN_S = 5;

  /**
   * {@code kill -9} of node C: its viewers leave the deployment-wide sum that a moderator on node A
   * sees, within the presence TTL plus a margin. What bounds the time: C's last report (made at most
   * one heartbeat before the kill, or when its counts last changed) expires {@value #PRESENCE_TTL_S}
   * s after it was made; the moderator's node re-reads the sum when presence changes anywhere, which
   * the live nodes' heartbeat reports cause every {@value #PRESENCE_HEARTBEAT_S} s (a node that
   * re-reads the sum once a second for its moderators shortens this to the TTL plus about a second).
   * So the bound is TTL + heartbeat + a margin for ticks and a loaded machine.
   */
  @Test
  void theViewersOfAKilledNodeLeaveTheSumAModeratorSeesWithinThePresenceTtl() {
    try (RedisServerProcess redis = RedisServerProcess.start();
         Nodes nodes = Nodes.start(Nodes.redis(redis), Kind.IN_PROCESS, Kind.IN_PROCESS, Kind.PROCESS)) {
      Nodes.Node a = nodes.node(0);
      Nodes.Node c = nodes.node(2);
      String stageId = nodes.stage(a).getString("id");
      WsClient moderator = await(a.connect());
      Dashboard screen = Dashboard.follow("moderator on " + a.id(), moderator,
          await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN)));
      int perNode = 10;
      List<Future<WsClient>> joining = new ArrayList<>();
      for (int i = 0; i < 3 * perNode; i++) {
        joining.add(nodes.roundRobin(i).viewer(stageId));
      }
      await(Future.all(joining), 60);
      screen.await("the viewers of all three nodes", 20, s -> s.viewers() == 3 * perNode);

      c.kill();
      long killedAt = System.nanoTime();
      screen.await("the total without the killed node's viewers", PRESENCE_TTL_S + PRESENCE_HEARTBEAT_S + MARGIN_S,
          s -> s.viewers() == 2 * perNode);
      long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
      System.out.printf("NodeFailureTest: the killed node's %d viewers left the sum after %d ms%n", perNode, tookMs);
      assertThat(screen.presence().getLong("moderators")).isEqualTo(1);
    }
  }

  /**
   * A rolling restart's drain: node B gets SIGTERM in the middle of its viewers' streams of votes,
   * questions and reactions. It acknowledges what it had read and closes every session with 1001;
   * each of its viewers reconnects to A or C, joins again with its token and resends every action
   * still waiting for its ack under the same id (as the web client does). In the end every action of
   * every viewer is counted exactly once, on every moderator's screen and in the REST API.
   */
  @Test
  void aDrainedNodesViewersMoveToTheOtherNodesAndEveryActionIsCountedExactlyOnce() {
    long begin = System.nanoTime();
    try (RedisServerProcess redis = RedisServerProcess.start();
         Nodes nodes = Nodes.start(drainEnv(redis), Kind.IN_PROCESS, Kind.PROCESS, Kind.IN_PROCESS)) {
      System.out.printf("NodeFailureTest: three nodes started in %d ms%n", (System.nanoTime() - begin) / 1_000_000);
      Nodes.Node a = nodes.node(0);
      Nodes.Node b = nodes.node(1);
      Nodes.Node c = nodes.node(2);
      String stageId = nodes.stage(a).getString("id");
      String pollId = nodes.poll(a, stageId, Nodes.singleChoice("Welche?", "A", "B", "C"));
      List<Dashboard> screens = new ArrayList<>();
      for (Nodes.Node node : List.of(a, c)) {
        WsClient m = await(node.connect());
        screens.add(Dashboard.follow("moderator on " + node.id(), m, await(m.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN))));
      }

      int viewers = 60;
      int reactionsEach = 30;
      List<String> emoji = List.of("👏", "❤️", "😮");
      List<Future<ReconnectingClient>> joining = new ArrayList<>();
      for (int i = 0; i < viewers; i++) {
        Nodes.Node home = nodes.roundRobin(i);
        List<Integer> ports = new ArrayList<>(List.of(home.port()));
        // B's viewers go on to A or C (alternately); the others never need another node
        List<Nodes.Node> others = home == b ? (i % 2 == 0 ? List.of(a, c) : List.of(c, a)) : List.of(home == a ? c : a);
        others.forEach(n -> ports.add(n.port()));
        joining.add(ReconnectingClient.join(nodes.clients(), stageId, ports));
      }
      List<ReconnectingClient> clients = await(Future.all(joining), 60).list();
      for (Dashboard screen : screens) {
        screen.await("the whole audience", 20, s -> s.viewers() == viewers);
      }

      // Each viewer votes, asks and then reacts at a person's pace: one action at a time, the next
      // once the previous was acked and at least 20 ms after it was sent.
      AtomicInteger ackedOnB = new AtomicInteger();
      Promise<Void> quarterOfB = Promise.promise();
      int actionsOfB = (int) clients.stream().filter(cl -> b.port() == cl.portsJoined().get(0)).count() * (2 + reactionsEach);
      List<Future<Void>> streams = new ArrayList<>();
      for (int i = 0; i < viewers; i++) {
        ReconnectingClient client = clients.get(i);
        boolean onB = client.portsJoined().get(0) == b.port();
        List<JsonObject> actions = new ArrayList<>();
        actions.add(new JsonObject().put("type", "vote").put("id", "s-" + i).put("pollId", pollId)
            .put("choices", new JsonArray().add(List.of("a", "b", "c").get(i % 3))));
        actions.add(new JsonObject().put("type", "post").put("id", "q-" + i).put("kind", "question")
            .put("text", "Frage von Zuschauer " + i + "?"));
        for (int k = 0; k < reactionsEach; k++) {
          actions.add(new JsonObject().put("type", "react").put("id", "x-" + i + "-" + k).put("emoji", emoji.get((i + k) % 3)));
        }
        streams.add(stream(nodes, client, actions, 20, ack -> {
          if (onB && ackedOnB.incrementAndGet() >= actionsOfB / 4) {
            quarterOfB.tryComplete();
          }
        }));
      }
      await(quarterOfB.future(), 30);
      long sigterm = System.nanoTime();
      b.terminate();
      await(Future.all(streams), 60);
      System.out.printf("NodeFailureTest: every stream done %d ms after SIGTERM%n", (System.nanoTime() - sigterm) / 1_000_000);
      int exit = b.process().awaitExit(30);
      System.out.printf("NodeFailureTest: B exited %d ms after SIGTERM%n", (System.nanoTime() - sigterm) / 1_000_000);
      assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
      assertThat(b.process().output()).anyMatch(l -> l.contains("\"event\":\"plenum.stopped\""))
          .noneMatch(l -> l.contains("did not finish cleanly"));

      int resent = 0;
      int duplicates = 0;
      for (ReconnectingClient client : clients) {
        if (client.portsJoined().get(0) == b.port()) {
          assertThat(client.closeCodes()).as("the drained node's close code").containsExactly((short) 1001);
          assertThat(client.portsJoined()).hasSize(2).last().isIn(a.port(), c.port());
        } else {
          assertThat(client.closeCodes()).as("viewers of the other nodes stay where they are").isEmpty();
        }
        resent += client.resent();
        duplicates += client.duplicates();
      }
      System.out.printf("NodeFailureTest: %d actions of B's viewers, SIGTERM after %d acks; %d resent on another node, "
          + "%d of them duplicates%n", actionsOfB, actionsOfB / 4, resent, duplicates);
      assertThat(resent).as("actions in flight when B closed, resent on another node").isPositive();

      Map<String, Long> votes = new HashMap<>(Map.of("a", 0L, "b", 0L, "c", 0L));
      Map<String, Long> reactions = new HashMap<>();
      for (int i = 0; i < viewers; i++) {
        votes.merge(List.of("a", "b", "c").get(i % 3), 1L, Long::sum);
        for (int k = 0; k < reactionsEach; k++) {
          reactions.merge(emoji.get((i + k) % 3), 1L, Long::sum);
        }
      }
      for (Dashboard screen : screens) {
        screen.await("every action exactly once", 20, s -> s.counts(pollId).equals(votes)
            && s.reactionTotals().equals(reactions) && s.posts().size() == viewers);
        long t0 = System.nanoTime();
        // the drained node withdrew its presence reports as it stopped: its viewers, now counted on
        // A and C, are not counted twice until the reports would have expired
        screen.await("the audience, now on two nodes, each viewer once", MARGIN_S, s -> s.viewers() == viewers);
        System.out.printf("NodeFailureTest: %s showed the audience on two nodes after %d ms%n", screen.name(),
            (System.nanoTime() - t0) / 1_000_000);
      }
      for (Nodes.Node node : List.of(a, c)) {
        JsonObject results = nodes.get(node, "/api/v1/stages/" + stageId + "/polls/" + pollId).json().getJsonObject("results");
        assertThat(results.getLong("voters")).isEqualTo(viewers);
        Set<String> texts = new HashSet<>();
        for (Object p : (JsonArray) nodes.get(node, "/api/v1/stages/" + stageId + "/posts").any()) {
          assertThat(texts.add(((JsonObject) p).getString("text"))).as("a question counted twice").isTrue();
        }
        assertThat(texts).hasSize(viewers);
        Map<String, Long> totals = Dashboard.longs(nodes.get(node, "/api/v1/stages/" + stageId + "/reactions").json()
            .getJsonObject("totals"));
        assertThat(totals).isEqualTo(reactions);
      }
      clients.forEach(ReconnectingClient::close);
    }
  }

  private static Map<String, String> drainEnv(RedisServerProcess redis) {
    Map<String, String> env = new HashMap<>(Nodes.redis(redis));
    env.put("PLENUM_SHUTDOWN_GRACE_MS", "5000");
    // a viewer's stream outpaces the connection's default message limit; that limit is tested elsewhere
    env.put("PLENUM_RATE_LIMIT_PER_SECOND", "1000");
    env.put("PLENUM_RATE_LIMIT_BURST", "1000");
    return env;
  }

  @AfterEach
  void noBlockedLoops() {
    TestVertx.assertNoBlockedLoops();
  }

  /** Sends the actions one after another, each once the previous was acked and at least {@code paceMs} after it was sent. */
  private static Future<Void> stream(Nodes nodes, ReconnectingClient client, List<JsonObject> actions, long paceMs,
                                     java.util.function.Consumer<JsonObject> onAck) {
    Future<Void> chain = Future.succeededFuture();
    for (JsonObject action : actions) {
      chain = chain.compose(v -> {
        Promise<Void> paced = Promise.promise();
        nodes.clients().setTimer(paceMs, t -> paced.complete());
        Future<JsonObject> acked = client.send(action).onSuccess(onAck::accept);
        return Future.all(acked, paced.future()).mapEmpty();
      });
    }
    return chain;
  }
}
