package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * Limits that keep one participant, one address or one burst of joins from taking more than
 * its share, over real sockets from several loopback source addresses (127.0.0.x).
 */
class FairLimitsTest {
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private String stageId;
  private String pollId;

  private void start(Map<String, String> overrides) {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    Map<String, String> config = new java.util.HashMap<>(overrides);
    // several event loops share one port, which Vert.x cannot do for "any free port" (0): pick one
    config.put("PLENUM_HTTP_PORT", String.valueOf(freePort()));
    config.putAll(engine());
    server = await(TestServer.start(serverVertx, config));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    stageId = await(http.stage()).getString("id");
    pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
  }

  /** The engine the node runs on (memory here; {@link FairLimitsOnRedisTest} runs every test on Redis). */
  Map<String, String> engine() {
    return Map.of();
  }

  private static int freePort() {
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    if (server != null) {
      await(server.stop());
    }
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private static JsonObject join(WsClient c, String stage, String token) {
    JsonObject join = new JsonObject().put("type", "join").put("id", WsClient.nextId("j")).put("stageId", stage);
    if (token != null) {
      join.put("token", token);
    }
    JsonObject reply = await(c.request(join));
    if ("joined".equals(reply.getString("type"))) {
      c.token = reply.getJsonObject("participant").getString("token");
      c.participantId = reply.getJsonObject("participant").getString("id");
    }
    return reply;
  }

  @Test
  void perParticipantLimitHoldsAcrossTheNodesEventLoops() {
    start(Map.of("PLENUM_INSTANCES", "4", "PLENUM_LIMIT_REACTION", "5/60s"));
    WsClient first = await(WsClient.connect(clientVertx, server.port()));
    assertThat(join(first, stageId, null).getString("type")).isEqualTo("joined");
    List<WsClient> sockets = new ArrayList<>(List.of(first));
    for (int i = 0; i < 3; i++) { // four sockets, accepted round-robin by four event loops
      WsClient c = await(WsClient.connect(clientVertx, server.port()));
      assertThat(join(c, stageId, first.token).getString("type")).isEqualTo("joined");
      sockets.add(c);
    }
    int accepted = 0;
    for (WsClient c : sockets) {
      for (int i = 0; i < 5; i++) {
        JsonObject reply = await(c.request(new JsonObject().put("type", "react").put("id", WsClient.nextId("r")).put("emoji", "👏")));
        if ("ack".equals(reply.getString("type"))) {
          accepted++;
        } else {
          assertThat(reply.getString("code")).isEqualTo("rate_limited");
          assertThat(reply.getLong("retryAfterMs")).isPositive();
        }
      }
    }
    assertThat(accepted).as("reactions accepted from one participant on four event loops").isEqualTo(5);
  }

  @Test
  void thousandSocketsFromOneAddressBecomeNoMoreParticipantsThanTheCap() {
    start(Map.of("PLENUM_INSTANCES", "2", "PLENUM_LIMIT_NEW_PARTICIPANTS_PER_ADDRESS", "20/3600s"));
    WebSocketClient from = WsClient.clientFrom(clientVertx, "127.0.0.2");
    List<Future<JsonObject>> votes = new ArrayList<>();
    int joined = 0;
    List<WsClient> sockets = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      sockets.add(await(WsClient.connect(clientVertx, from, server.port())));
    }
    List<Future<JsonObject>> joins = new ArrayList<>();
    for (WsClient c : sockets) {
      joins.add(c.request(new JsonObject().put("type", "join").put("id", WsClient.nextId("j")).put("stageId", stageId)));
    }
    await(Future.join(joins), 60);
    for (int i = 0; i < sockets.size(); i++) {
      JsonObject reply = joins.get(i).result();
      if ("joined".equals(reply.getString("type"))) {
        joined++;
        votes.add(sockets.get(i).vote(pollId, "a"));
      } else {
        assertThat(reply.getString("code")).isEqualTo("rate_limited");
        assertThat(reply.getLong("retryAfterMs")).isPositive();
        assertThat(await(sockets.get(i).vote(pollId, "a")).getString("code")).isEqualTo("not_joined");
      }
    }
    await(Future.join(votes));
    assertThat(joined).isEqualTo(20);
    JsonObject counts = await(http.get("/api/v1/stages/" + stageId + "/polls/" + pollId)).json()
        .getJsonObject("results").getJsonObject("counts");
    assertThat(counts.getLong("a")).isEqualTo(20);

    WsClient elsewhere = await(WsClient.connect(clientVertx, WsClient.clientFrom(clientVertx, "127.0.0.3"), server.port()));
    assertThat(join(elsewhere, stageId, null).getString("type")).as("another address has its own budget").isEqualTo("joined");
  }

  @Test
  void connectionsPerAddressAreCappedAndOtherAddressesStillConnect() {
    start(Map.of("PLENUM_INSTANCES", "2", "PLENUM_CONNECTIONS_PER_ADDRESS", "30"));
    WebSocketClient from = WsClient.clientFrom(clientVertx, "127.0.0.4");
    List<Future<WsClient>> attempts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      attempts.add(WsClient.connect(clientVertx, from, server.port()));
    }
    await(Future.join(attempts).otherwiseEmpty());
    long open = attempts.stream().filter(f -> f.succeeded() && !f.result().socket().isClosed()).count();
    assertThat(open).isEqualTo(30);
    assertThat(attempts.stream().filter(Future::failed).map(f -> String.valueOf(f.cause().getMessage())))
        .allMatch(m -> m.contains("429"));
    WsClient other = await(WsClient.connect(clientVertx, WsClient.clientFrom(clientVertx, "127.0.0.5"), server.port()));
    assertThat(join(other, stageId, null).getString("type")).isEqualTo("joined");
    // closing one frees its slot
    WsClient any = attempts.stream().filter(Future::succeeded).findFirst().orElseThrow().result();
    await(any.close());
    await(any.closed());
    // the client sees the close before the server's close handler has given the slot back
    WsClient again = await(connectOnceFree(from, 50));
    assertThat(join(again, stageId, null).getString("type")).isEqualTo("joined");
  }

  /** Connects, retrying a 429 every 20 ms (at most {@code attempts} times) while a slot is being released. */
  private Future<WsClient> connectOnceFree(WebSocketClient from, int attempts) {
    return WsClient.connect(clientVertx, from, server.port()).recover(err -> {
      if (attempts <= 1 || !String.valueOf(err.getMessage()).contains("429")) {
        return Future.failedFuture(err);
      }
      Promise<Void> later = Promise.promise();
      clientVertx.setTimer(20, id -> later.complete());
      return later.future().compose(v -> connectOnceFree(from, attempts - 1));
    });
  }

  @Test
  void oneTokenOnManySocketsCountsAsOneViewerAndIsCapped() {
    start(Map.of("PLENUM_CONNECTIONS_PER_PARTICIPANT", "5"));
    WsClient moderator = await(WsClient.connect(clientVertx, server.port()));
    await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    WsClient first = await(WsClient.connect(clientVertx, server.port()));
    join(first, stageId, null);
    for (int i = 0; i < 4; i++) {
      WsClient c = await(WsClient.connect(clientVertx, server.port()));
      assertThat(join(c, stageId, first.token).getString("type")).isEqualTo("joined");
    }
    WsClient sixth = await(WsClient.connect(clientVertx, server.port()));
    JsonObject refused = join(sixth, stageId, first.token);
    assertThat(refused.getString("code")).isEqualTo("too_many_connections");
    // a second person: the count must reach exactly 2, never 6
    WsClient other = await(WsClient.connect(clientVertx, server.port()));
    join(other, stageId, null);
    JsonObject presence = await(moderator.next(m -> "presence".equals(m.getString("type")) && m.getLong("viewers") >= 2));
    assertThat(presence.getLong("viewers")).isEqualTo(2);
    JsonObject fresh = await(await(WsClient.connect(clientVertx, server.port()))
        .joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    assertThat(fresh.getJsonObject("presence").getLong("viewers")).isEqualTo(2);
  }

  @Test
  void joinStormBeyondTheAdmissionRateIsToldWhenToRetry() {
    start(Map.of("PLENUM_INSTANCES", "2", "PLENUM_LIMIT_JOINS_PER_NODE", "20/10s"));
    List<WsClient> sockets = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      sockets.add(await(WsClient.connect(clientVertx, WsClient.clientFrom(clientVertx, "127.0.1." + (1 + i % 50)), server.port())));
    }
    List<Future<JsonObject>> joins = new ArrayList<>();
    for (WsClient c : sockets) {
      joins.add(c.request(new JsonObject().put("type", "join").put("id", WsClient.nextId("j")).put("stageId", stageId)));
    }
    await(Future.join(joins));
    List<JsonObject> replies = joins.stream().map(Future::result).toList();
    long joined = replies.stream().filter(r -> "joined".equals(r.getString("type"))).count();
    assertThat(joined).as("joins admitted at once").isBetween(20L, 22L);
    JsonObject refused = replies.stream().filter(r -> "error".equals(r.getString("type"))).findFirst().orElseThrow();
    assertThat(refused.getString("code")).isEqualTo("rate_limited");
    long wait = refused.getLong("retryAfterMs");
    assertThat(wait).isBetween(1L, 10_000L);
    int index = replies.indexOf(refused);
    Future<Long> later = Future.future(p -> clientVertx.setTimer(wait + 50, id -> p.complete(id)));
    await(later);
    assertThat(join(sockets.get(index), stageId, null).getString("type")).as("a retry after retryAfterMs is admitted")
        .isEqualTo("joined");
  }

  @Test
  void behindATrustedProxyTheForwardedClientAddressCounts() {
    start(Map.of("PLENUM_CONNECTIONS_PER_ADDRESS", "2", "PLENUM_TRUSTED_PROXIES", "127.0.0.8"));
    WebSocketClient proxy = WsClient.clientFrom(clientVertx, "127.0.0.8");
    Map<String, String> alice = Map.of("X-Forwarded-For", "10.9.9.9, 203.0.113.5"); // the proxy appended .5
    await(WsClient.connect(clientVertx, proxy, server.port(), alice));
    await(WsClient.connect(clientVertx, proxy, server.port(), alice));
    assertThat(org.plenum.testing.Await.failure(WsClient.connect(clientVertx, proxy, server.port(), alice)))
        .as("a third connection of the same forwarded client").hasMessageContaining("429");
    await(WsClient.connect(clientVertx, proxy, server.port(), Map.of("X-Forwarded-For", "203.0.113.6")));
    // from an address that is no trusted proxy the header proves nothing: the peer address counts
    WebSocketClient direct = WsClient.clientFrom(clientVertx, "127.0.0.9");
    await(WsClient.connect(clientVertx, direct, server.port(), alice));
    await(WsClient.connect(clientVertx, direct, server.port(), alice));
  }
}
