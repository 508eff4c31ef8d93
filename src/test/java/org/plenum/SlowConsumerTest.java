package org.plenum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.plenum.testing.Http;
import org.plenum.testing.RawSocket;
import org.plenum.testing.RedisServerProcess;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * The attack of issue 9, case 1, against a real server process with a small heap: eight clients
 * that never read send {@code join} at 19/s (just under the rate limit) on a stage with 600
 * questions. Each join used to buy a snapshot of every question, written however full the socket
 * was, until the heap ran out. Now the snapshot is capped and every byte counts against the
 * session's budget: the eight are closed as slow consumers, the heap stays bounded, and another
 * viewer's round trip stays short. On both engines: the snapshot a join buys comes from the node's
 * cache either way, but the redis engine's server holds its own connections and buffers too.
 */
class SlowConsumerTest {
  private static final int ATTACKERS = 8;
  private static final int QUESTIONS = 600;

  @ParameterizedTest(name = "{0} engine")
  @ValueSource(strings = {"memory", "redis"})
  void clientsThatStopReadingAndKeepJoiningAreClosedAndTheHeapStaysBounded(String engine, @TempDir Path dir)
      throws Exception {
    RedisServerProcess redis = engine.equals("redis") ? RedisServerProcess.start() : null;
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    File log = dir.resolve("server.log").toFile();
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", System.getProperty("java.class.path"), "org.plenum.Main")
        .redirectErrorStream(true).redirectOutput(log);
    builder.environment().put("PLENUM_HTTP_HOST", "127.0.0.1");
    builder.environment().put("PLENUM_HTTP_PORT", String.valueOf(port));
    builder.environment().put("PLENUM_DATA_DIR", "");
    builder.environment().put("PLENUM_INSTANCES", "2");
    builder.environment().put("PLENUM_ORGANISER_TOKEN", TestServer.ORGANISER_TOKEN);
    builder.environment().put("PLENUM_LIMIT_POST", "1000/1s");
    if (redis != null) {
      builder.environment().put("PLENUM_ENGINE", "redis");
      builder.environment().put("PLENUM_REDIS_URL", redis.url());
    }
    Process server = builder.start();
    Vertx vertx = TestVertx.create();
    ScheduledExecutorService senders = Executors.newScheduledThreadPool(2);
    List<RawSocket> attackers = new ArrayList<>();
    try {
      Http http = new Http(vertx, port, TestServer.ORGANISER_TOKEN);
      await(ready(vertx, http, 60), 70);
      String stageId = await(http.stage()).getString("id");
      askQuestions(vertx, port, stageId);
      WsClient probe = await(WsClient.connect(vertx, port));
      assertThat(await(probe.join(stageId)).getJsonArray("posts").size()).isLessThanOrEqualTo(200);

      String join = new JsonObject().put("type", "join").put("id", "j").put("stageId", stageId).encode();
      List<ScheduledFuture<?>> floods = new ArrayList<>();
      for (int i = 0; i < ATTACKERS; i++) {
        RawSocket attacker = RawSocket.webSocket(port);
        attackers.add(attacker);
        floods.add(senders.scheduleAtFixedRate(() -> {
          try {
            attacker.sendText(join);
          } catch (IOException closed) {
            throw new IllegalStateException("closed", closed); // ends this sender
          }
        }, 0, 1000 / 19, TimeUnit.MILLISECONDS));
      }

      long maxHeap = 0;
      long maxRoundTripMs = 0;
      double closed = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (closed < ATTACKERS && System.nanoTime() < deadline) {
        await(pause(vertx, 250));
        long sent = System.nanoTime();
        await(probe.request(new JsonObject().put("type", "ping").put("id", "rtt")), 10);
        maxRoundTripMs = Math.max(maxRoundTripMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
        String metrics = await(http.get("/metrics"), 10).body().toString();
        maxHeap = Math.max(maxHeap, heapUsed(metrics));
        closed = counter(metrics, "plenum_slow_clients_closed_total");
      }
      floods.forEach(f -> f.cancel(false));
      System.out.printf("slow-consumer attack (" + engine + " engine): %.0f sessions closed with 4008, heap used at most %d MiB of 128, "
          + "another viewer's slowest round trip %d ms%n", closed, maxHeap >> 20, maxRoundTripMs);
      assertThat(closed).as("sessions closed with 4008 (server log: %s)", log).isGreaterThanOrEqualTo(ATTACKERS);
      for (RawSocket attacker : attackers) {
        int code = attacker.readUntilClosed(20_000);
        assertThat(code).as("closed as a slow consumer, or cut when it read nothing")
            .isIn(4008, RawSocket.NO_CLOSE_FRAME);
      }
      assertThat(server.isAlive()).isTrue();
      assertThat(Files.readString(log.toPath())).doesNotContain("OutOfMemoryError");
      assertThat(maxHeap).as("heap used at most (bytes)").isLessThan(112L << 20);
      assertThat(maxRoundTripMs).as("another viewer's slowest ping round trip (ms)").isLessThan(1_000);
      assertThat(probe.closed().isComplete()).isFalse();
    } finally {
      senders.shutdownNow();
      for (RawSocket a : attackers) {
        a.close();
      }
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      await(vertx.close());
      if (redis != null) {
        redis.close();
      }
    }
    TestVertx.assertNoBlockedLoops();
  }

  /** 600 questions of nearly the longest text, from 20 participants at once. */
  private static void askQuestions(Vertx vertx, int port, String stageId) {
    String text = "Wie wird sichergestellt, dass die Daten der Bürgerinnen und Bürger geschützt bleiben? ".repeat(6)
        .substring(0, 480);
    List<Future<JsonObject>> acks = new ArrayList<>();
    List<WsClient> askers = new ArrayList<>();
    for (int a = 0; a < 20; a++) {
      WsClient asker = await(WsClient.connect(vertx, port));
      await(asker.join(stageId));
      askers.add(asker);
      for (int q = 0; q < QUESTIONS / 20; q++) {
        acks.add(asker.request(new JsonObject().put("type", "post").put("id", "q-" + a + "-" + q)
            .put("kind", "question").put("text", text)));
      }
    }
    for (Future<JsonObject> ack : acks) {
      assertThat(await(ack).getString("type")).isEqualTo("ack");
    }
    askers.forEach(WsClient::close);
  }

  private static Future<Void> ready(Vertx vertx, Http http, int attempts) {
    return http.getAnonymous("/health/ready").transform(ar -> {
      if (ar.succeeded() && ar.result().status() == 200) {
        return Future.<Void>succeededFuture();
      }
      if (attempts <= 0) {
        return Future.failedFuture("the server process did not become ready");
      }
      return pause(vertx, 500).compose(v -> ready(vertx, http, attempts - 1));
    });
  }

  private static Future<Void> pause(Vertx vertx, long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, id -> p.complete());
    return p.future();
  }

  private static long heapUsed(String metrics) {
    long sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static double counter(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }
}
