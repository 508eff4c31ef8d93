package org.plenum.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.testing.Await;
import org.plenum.testing.Http;
import org.plenum.testing.RedisServerProcess;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * A node that drains fails readiness first: while it still answers the actions it had read,
 * {@code /health/ready} says 503 with {@code draining}, so a load balancer's health check takes it
 * out before its port closes. The vote in flight is held by pausing Redis (SIGSTOP), which makes
 * the drain last as long as the test needs.
 */
class DrainingReadinessTest {

  @Test
  void readinessTurns503AsSoonAsTheGracefulStopBeginsWhileInFlightActionsStillGetTheirAcks() {
    Vertx vertx = TestVertx.create();
    Vertx clients = TestVertx.create();
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      PlenumServer node = await(TestServer.start(vertx, Map.of("PLENUM_ENGINE", "redis", "PLENUM_REDIS_URL", redis.url(),
          "PLENUM_SHUTDOWN_GRACE_MS", "15000", "PLENUM_REDIS_COMMAND_TIMEOUT_MS", "15000")));
      Http http = new Http(clients, node.port(), TestServer.ORGANISER_TOKEN);
      Http.Response before = await(http.getAnonymous("/health/ready"));
      assertThat(before.status()).isEqualTo(200);
      assertThat(before.json().containsKey("draining")).isFalse();
      String stageId = await(http.stage()).getString("id");
      String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
      WsClient viewer = await(WsClient.connect(clients, node.port()));
      await(viewer.join(stageId));

      redis.pause();
      Future<JsonObject> vote;
      Future<Void> stopping;
      try {
        vote = viewer.vote(pollId, "a");
        // the pong proves the server read the vote before the stop begins
        await(viewer.request(new JsonObject().put("type", "ping").put("id", WsClient.nextId("p"))));
        stopping = node.stop();
        Http.Response draining = await(http.getAnonymous("/health/ready"));
        assertThat(draining.status()).as("readiness while draining").isEqualTo(503);
        assertThat(draining.json().getString("status")).isEqualTo("DOWN");
        assertThat(draining.json().getBoolean("draining")).isTrue();
        assertThat(await(http.getAnonymous("/health/live")).status()).as("liveness while draining").isEqualTo(200);
        Throwable refused = Await.failure(WsClient.connect(clients, node.port()));
        assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
        assertThat(((UpgradeRejectedException) refused).getStatus()).as("a new WebSocket while draining").isEqualTo(503);
        assertThat(vote.isComplete()).as("the vote waits for Redis").isFalse();
      } finally {
        redis.resume();
      }
      assertThat(await(vote).getString("type")).as("the vote read before the stop").isEqualTo("ack");
      assertThat(await(viewer.closed())).isEqualTo((short) 1001);
      await(stopping);
    } finally {
      await(vertx.close());
      await(clients.close());
    }
    TestVertx.assertNoBlockedLoops();
  }
}
