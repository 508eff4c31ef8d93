package org.plenum.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.plenum.testing.Http;
import org.plenum.testing.NodesExtension;
import org.plenum.testing.TestServer;
import org.plenum.testing.WsClient;

/**
 * The statistics over two nodes sharing one real redis-server: each node samples the stage every
 * interval from the deployment-wide presence, and the stage still has one sample per interval that
 * sums both nodes' sessions, split by join source; a vote retried on the other node counts once.
 */
class StatisticsAcrossNodesTest {
  @RegisterExtension
  static final NodesExtension nodes = NodesExtension.onRedis(2).with("PLENUM_STATS_SAMPLE_SECONDS", "1");

  @Test
  void bothNodesSampleOneSumAndARetryOnTheOtherNodeCountsOnce() {
    Http httpA = nodes.node(0).http();
    JsonObject stage = await(httpA.stage());
    String stageId = stage.getString("id");
    String pollId = await(httpA.openPoll(stageId)).getJsonObject("poll").getString("id");

    WsClient hall1 = viewer(0, stageId, "hall");
    viewer(0, stageId, "hall");
    WsClient stream = viewer(1, stageId, "stream");
    viewer(1, stageId, null);
    WsClient moderator = await(WsClient.connect(nodes.clients(), nodes.node(1).port()));
    await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));

    assertThat(await(hall1.vote("same-id", pollId, "a")).getString("type")).isEqualTo("ack");
    // the same participant (same token) resends the vote through the other node
    WsClient hall1OnB = await(WsClient.connect(nodes.clients(), nodes.node(1).port()));
    await(hall1OnB.request(new JsonObject().put("type", "join").put("id", WsClient.nextId("j")).put("stageId", stageId)
        .put("source", "hall").put("token", hall1.token)));
    assertThat(await(hall1OnB.vote("same-id", pollId, "a")).getString("type")).isEqualTo("ack");
    // people are counted per node (a participant on two nodes at once would count on each): leave B
    await(hall1OnB.close());
    assertThat(await(stream.vote(pollId, "b")).getString("type")).isEqualTo("ack");

    String path = "/api/v1/stages/" + stageId + "/export?kind=presence";
    JsonObject full = null;
    for (int i = 0; i < 100 && full == null; i++) {
      full = rows(await(httpA.get(path)).json(), "presence").stream()
          .filter(p -> p.getLong("viewers") == 4 && p.getLong("moderators") == 1).findFirst().orElse(null);
      if (full == null) {
        await(Future.<Void>future(p -> nodes.clients().setTimer(200, id -> p.complete())));
      }
    }
    assertThat(full).as("a sample with both nodes' sessions").isNotNull();
    assertThat(full.getLong("viewersHall")).isEqualTo(2);
    assertThat(full.getLong("viewersStream")).isEqualTo(1);
    assertThat(full.getLong("viewersOther")).isEqualTo(1);

    // a few more intervals, sampled by both nodes
    await(Future.<Void>future(p -> nodes.clients().setTimer(2_500, id -> p.complete())));
    JsonObject export = await(nodes.node(1).http().get("/api/v1/stages/" + stageId + "/export")).json();
    List<JsonObject> presence = rows(export, "presence");
    Map<String, Long> perInterval = presence.stream().collect(Collectors.groupingBy(p -> p.getString("at"), Collectors.counting()));
    assertThat(presence.size()).isGreaterThanOrEqualTo(3);
    assertThat(perInterval.values()).as("one sample per interval although two nodes sample").containsOnly(1L);

    Map<String, Long> votes = new HashMap<>();
    rows(export, "activity").forEach(a -> votes.merge("votes", a.getLong("votes"), Long::sum));
    assertThat(votes.get("votes")).as("the retry through node B is not counted").isEqualTo(2);
    JsonObject summary = rows(export, "summary").get(0);
    assertThat(summary.getLong("participants")).isEqualTo(2);
    assertThat(summary.getLong("peakViewers")).isEqualTo(4);
  }

  private WsClient viewer(int node, String stageId, String source) {
    WsClient c = await(WsClient.connect(nodes.clients(), nodes.node(node).port()));
    assertThat(await(c.join(stageId, source)).getString("type")).isEqualTo("joined");
    return c;
  }

  private static List<JsonObject> rows(JsonObject export, String table) {
    return export.getJsonArray(table).stream().map(JsonObject.class::cast).collect(Collectors.toList());
  }
}
