package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * Issue 9, attack 2: word entries of 8 KB made of one letter and thousands of combining marks
 * (U+0301 and U+0334 alternating, which NFC's canonical reordering sorts in quadratic time) from
 * 8 sockets at 19 frames a second each, just under the per-connection rate limit. Before the
 * shape check each cost about 22 ms, and another viewer's round trip rose to seconds.
 */
class UnicodeAttackTest {
  private static final int ATTACKERS = 8;
  private static final int FRAMES_PER_SECOND = 19;
  private static final int SAMPLES = 80;

  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private String stageId;
  private String cloudId;

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    server = await(TestServer.start(serverVertx, engine()));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    stageId = await(http.stage()).getString("id");
    cloudId = await(http.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
  }

  /** The engine the node runs on (memory here; {@link UnicodeAttackOnRedisTest} runs the test on Redis). */
  Map<String, String> engine() {
    return Map.of();
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  /** One letter and 3,999 marks: 4,000 chars (the most a text field takes), about 8 KB of UTF-8. */
  static String zalgo() {
    StringBuilder text = new StringBuilder("a");
    for (int i = 0; i < 3999; i++) {
      text.append(i % 2 == 0 ? '\u0301' : '\u0334');
    }
    return text.toString();
  }

  @Test
  void anotherViewersRoundTripStaysFastDuringTheCombiningMarkAttack() {
    String text = zalgo();
    List<WsClient> attackers = new ArrayList<>();
    for (int i = 0; i < ATTACKERS; i++) {
      WsClient a = await(WsClient.connect(clientVertx, server.port()));
      await(a.join(stageId));
      attackers.add(a);
    }
    WsClient viewer = await(WsClient.connect(clientVertx, server.port()));
    await(viewer.join(stageId));

    AtomicInteger refused = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    List<Long> timers = new ArrayList<>();
    for (WsClient a : attackers) {
      timers.add(clientVertx.setPeriodic(1000 / FRAMES_PER_SECOND, id -> {
        String frameId = WsClient.nextId("z");
        a.next(m -> frameId.equals(m.getString("id"))).onSuccess(reply ->
            (("error".equals(reply.getString("type")) && "invalid_field".equals(reply.getString("code"))) ? refused : other)
                .incrementAndGet());
        a.send(new JsonObject().put("type", "word").put("id", frameId).put("cloudId", cloudId).put("text", text));
      }));
    }
    List<Long> roundTrips;
    try {
      await(delay(500)); // the attack is under way
      roundTrips = await(pings(viewer, SAMPLES), 60);
    } finally {
      timers.forEach(clientVertx::cancelTimer);
    }
    List<Long> sorted = new ArrayList<>(roundTrips);
    Collections.sort(sorted);
    long medianMs = sorted.get(sorted.size() / 2) / 1_000_000;
    long p99Ms = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1_000_000;
    assertThat(refused.get()).as("attack frames refused as invalid_field").isGreaterThan(ATTACKERS * FRAMES_PER_SECOND * 3);
    assertThat(other.get()).as("attack frames answered otherwise").isZero();
    assertThat(medianMs).as("median round trip of another viewer during the attack (ms)").isLessThan(100);
    assertThat(p99Ms).as("p99 round trip of another viewer during the attack (ms)").isLessThan(1000);
    JsonObject results = await(http.get("/api/v1/stages/" + stageId + "/clouds/" + cloudId)).json().getJsonObject("results");
    assertThat(results.getJsonArray("words")).as("the attack changed nothing").isEmpty();
  }

  private Future<Long> delay(long ms) {
    Promise<Long> p = Promise.promise();
    clientVertx.setTimer(ms, p::complete);
    return p.future();
  }

  /** Sends {@code n} pings one after another, 50 ms apart; the round trip of each in nanoseconds. */
  private Future<List<Long>> pings(WsClient viewer, int n) {
    List<Long> out = new ArrayList<>();
    Promise<List<Long>> done = Promise.promise();
    pingNext(viewer, n, out, done);
    return done.future();
  }

  private void pingNext(WsClient viewer, int left, List<Long> out, Promise<List<Long>> done) {
    if (left == 0) {
      done.complete(out);
      return;
    }
    long sent = System.nanoTime();
    viewer.request(new JsonObject().put("type", "ping").put("id", WsClient.nextId("p"))).onComplete(r -> {
      if (r.failed()) {
        done.fail(r.cause());
        return;
      }
      out.add(System.nanoTime() - sent);
      clientVertx.setTimer(50, id -> pingNext(viewer, left - 1, out, done));
    });
  }
}
