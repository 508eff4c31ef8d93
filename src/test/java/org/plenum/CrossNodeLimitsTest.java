package org.plenum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.plenum.testing.Http;
import org.plenum.testing.NodesExtension;
import org.plenum.testing.TestServer;
import org.plenum.testing.WsClient;

/** Limits that protect a shared resource hold across two nodes on one real redis-server. */
class CrossNodeLimitsTest {
  @RegisterExtension
  static final NodesExtension nodes = NodesExtension.onRedis(2)
      .with("PLENUM_LIMIT_POST", "2/60s").with("PLENUM_LIMIT_NEW_PARTICIPANTS_PER_ADDRESS", "3/3600s");

  private static JsonObject post(WsClient c, String id) {
    return await(c.request(new JsonObject().put("type", "post").put("id", id).put("kind", "question")
        .put("text", "Frage " + id)));
  }

  @Test
  void aParticipantsPostLimitHoldsAcrossNodes() {
    Http http = nodes.node(0).http();
    String stageId = await(http.stage()).getString("id");
    WsClient onA = await(WsClient.connect(nodes.clients(), nodes.node(0).port()));
    await(onA.join(stageId));
    WsClient onB = await(WsClient.connect(nodes.clients(), nodes.node(1).port()));
    onB.token = onA.token;
    await(onB.join(stageId));

    assertThat(post(onA, "q-1").getString("type")).isEqualTo("ack");
    assertThat(post(onB, "q-2").getString("type")).isEqualTo("ack");
    JsonObject third = post(onB, "q-3");
    assertThat(third.getString("code")).as("the third post within the minute, on the other node").isEqualTo("rate_limited");
    assertThat(third.getLong("retryAfterMs")).isPositive();
    assertThat(post(onA, "q-4").getString("code")).isEqualTo("rate_limited");
    // a resend of an applied post is answered as a duplicate, not refused
    JsonObject again = post(onA, "q-1");
    assertThat(again.getString("type")).isEqualTo("ack");
    assertThat(again.getBoolean("duplicate")).isTrue();
    assertThat((io.vertx.core.json.JsonArray) await(http.get("/api/v1/stages/" + stageId + "/posts")).any()).hasSize(2);
  }

  @Test
  void anAddressesBudgetOfNewParticipantsHoldsAcrossNodes() {
    Http http = nodes.node(0).http();
    String stageId = await(http.stage()).getString("id");
    io.vertx.core.http.WebSocketClient from = WsClient.clientFrom(nodes.clients(), "127.0.0.7");
    int[] ports = {nodes.node(0).port(), nodes.node(1).port(), nodes.node(0).port(), nodes.node(1).port()};
    List<JsonObject> replies = new java.util.ArrayList<>();
    for (int port : ports) {
      WsClient c = await(WsClient.connect(nodes.clients(), from, port));
      replies.add(await(c.request(new JsonObject().put("type", "join").put("id", WsClient.nextId("j")).put("stageId", stageId))));
    }
    assertThat(replies.subList(0, 3)).allMatch(r -> "joined".equals(r.getString("type")));
    assertThat(replies.get(3).getString("code")).as("the fourth new participant, on the other node").isEqualTo("rate_limited");
    assertThat(replies.get(3).getLong("retryAfterMs")).isPositive();
    // a returning participant (with its token) is no new participant
    String token = replies.get(0).getJsonObject("participant").getString("token");
    WsClient back = await(WsClient.connect(nodes.clients(), from, nodes.node(1).port()));
    back.token = token;
    assertThat(await(back.join(stageId)).getString("type")).isEqualTo("joined");
  }
}
