package org.plenum.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.WsClient;

/**
 * Server CPU per hostile frame, over a real socket: a node with one event loop, a client on its
 * own Vert.x with one event loop, and for each kind of frame the CPU time the server's threads
 * spent (ThreadMXBean, all threads but the client's and this one) divided by the frames sent.
 * Not a test: run it by hand (load-tests/README.md, "Cost of hostile input"):
 *
 * <pre>
 * mvn -B -q test-compile -Dskip.web
 * mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/test.classpath) org.plenum.bench.InputCostBenchmark
 * </pre>
 */
public final class InputCostBenchmark {
  private static final int WARM_UP = 3000;
  private static final int FRAMES = 3000;
  private static final int IN_FLIGHT = 20;
  private static final java.util.Set<String> REPLIES = java.util.Set.of("error", "pong", "ack");

  private InputCostBenchmark() {}

  public static void main(String[] args) throws Exception {
    Vertx serverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    PlenumServer server = TestServer.start(serverVertx, Map.of(
        "PLENUM_RATE_LIMIT_PER_SECOND", "100000", "PLENUM_RATE_LIMIT_BURST", "100000",
        "PLENUM_LIMIT_POST", "100000/1s", "PLENUM_LIMIT_WORD", "100000/1s", "PLENUM_LIMIT_VOTE", "100000/1s"))
        .await(20, TimeUnit.SECONDS);
    Http http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    String stageId = http.stage().await(20, TimeUnit.SECONDS).getString("id");
    String cloudId = http.openCloud(stageId, 3).await(20, TimeUnit.SECONDS).getJsonObject("cloud").getString("id");
    String pollId = http.openPoll(stageId).await(20, TimeUnit.SECONDS).getJsonObject("poll").getString("id");
    WsClient client = WsClient.connect(clientVertx, server.port()).await(20, TimeUnit.SECONDS);
    client.join(stageId).await(20, TimeUnit.SECONDS);
    long[] loop = {-1};
    clientVertx.getOrCreateContext().runOnContext(v -> loop[0] = Thread.currentThread().getId());
    while (loop[0] < 0) {
      Thread.onSpinWait();
    }

    Map<String, String> frames = frames(cloudId, pollId);
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("unknown CPU");
    System.out.printf("Server CPU per frame (one event loop; %d frames each after %d warm-up; %s, %d cores)%n",
        FRAMES, WARM_UP, cpu, Runtime.getRuntime().availableProcessors());
    for (Map.Entry<String, String> f : frames.entrySet()) {
      run(client, f.getValue(), WARM_UP);
      long before = serverCpuNanos(loop[0]);
      String reply = run(client, f.getValue(), FRAMES);
      long spent = serverCpuNanos(loop[0]) - before;
      System.out.printf("  %-58s %7.1f µs   (%5d bytes; reply %s)%n", f.getKey(), spent / 1000.0 / FRAMES,
          f.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length, reply);
    }
    String zalgo = zalgo();
    for (int i = 0; i < 20; i++) {
      Normalizer.normalize(zalgo, Normalizer.Form.NFC);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long t0 = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < 50; i++) {
      Normalizer.normalize(zalgo, Normalizer.Form.NFC);
    }
    System.out.printf("  for comparison, NFC of the attack text without the check: %.1f µs%n",
        (threads.getCurrentThreadCpuTime() - t0) / 1000.0 / 50);
    server.stop().await(20, TimeUnit.SECONDS);
    clientVertx.close().await(20, TimeUnit.SECONDS);
    serverVertx.close().await(20, TimeUnit.SECONDS);
  }

  static String zalgo() {
    StringBuilder text = new StringBuilder("a");
    for (int i = 0; i < 3999; i++) {
      text.append(i % 2 == 0 ? '\u0301' : '\u0334');
    }
    return text.toString();
  }

  private static Map<String, String> frames(String cloudId, String pollId) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonObject word = new JsonObject().put("type", "word").put("id", "ID").put("cloudId", cloudId);
    out.put("word: letter + 3,999 marks U+0301/U+0334 (raw UTF-8)", word.copy().put("text", zalgo()).encode());
    StringBuilder escaped = new StringBuilder("a");
    for (int i = 0; i < 1300; i++) {
      escaped.append(i % 2 == 0 ? "\\u0301" : "\\u0334");
    }
    out.put("word: letter + 1,300 marks as JSON \\u escapes",
        "{\"type\":\"word\",\"id\":\"ID\",\"cloudId\":\"" + cloudId + "\",\"text\":\"" + escaped + "\"}");
    StringBuilder runs = new StringBuilder();
    while (runs.length() < 3990) {
      runs.append("a\u0301\u0334\u0301\u0334\u0301\u0334");
    }
    out.put("post: 3,990 chars, runs of 6 marks (just allowed)", new JsonObject().put("type", "post").put("id", "ID")
        .put("kind", "question").put("text", runs.toString()).encode());
    out.put("post: 1,990 chars, runs of 6 marks (within budget)", new JsonObject().put("type", "post").put("id", "ID")
        .put("kind", "question").put("text", runs.substring(0, 1990)).encode());
    out.put("word: 4,000 plain letters", word.copy().put("text", "a".repeat(4000)).encode());
    out.put("deep nesting: 4,000 arrays", "{\"type\":\"ping\",\"x\":" + "[".repeat(4000) + "]".repeat(4000) + "}");
    StringBuilder keys = new StringBuilder("{\"type\":\"ping\"");
    for (int i = 0; keys.length() < 8000; i++) {
      keys.append(",\"k").append(i).append("\":0");
    }
    out.put("many keys: ~1,000", keys.append('}').toString());
    out.put("long number: rating of 8,000 digits", "{\"type\":\"vote\",\"id\":\"ID\",\"pollId\":\"" + pollId
        + "\",\"rating\":" + "9".repeat(8000) + "}");
    out.put("invalid: not JSON", "{\"type\":".repeat(900));
    out.put("baseline: a valid word (answered already_submitted after the first)",
        word.copy().put("text", "Nachhaltigkeit").encode());
    out.put("baseline: ping", "{\"type\":\"ping\",\"id\":\"ID\"}");
    return out;
  }

  /** Sends {@code n} copies (each with its own id where it has one), at most a few in flight. */
  private static String run(WsClient client, String frame, int n) throws Exception {
    List<Future<JsonObject>> window = new ArrayList<>();
    String last = "";
    for (int i = 0; i < n; i++) {
      String id = "b" + System.nanoTime() + "-" + i;
      String text = frame.replace("\"ID\"", "\"" + id + "\"");
      // one reply per frame, in order; refused frames may not carry their id back (bad_json)
      Future<JsonObject> reply = client.next(m -> REPLIES.contains(m.getString("type")));
      client.sendText(text);
      window.add(reply);
      if (window.size() >= IN_FLIGHT) {
        JsonObject r = window.get(0).await(20, TimeUnit.SECONDS);
        last = r.getString("type") + (r.containsKey("code") ? " " + r.getString("code") : "");
        window.remove(0);
      }
    }
    for (Future<JsonObject> f : window) {
      JsonObject r = f.await(20, TimeUnit.SECONDS);
      last = r.getString("type") + (r.containsKey("code") ? " " + r.getString("code") : "");
    }
    return last;
  }

  private static long serverCpuNanos(long clientLoop) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long me = Thread.currentThread().getId();
    long sum = 0;
    for (long id : threads.getAllThreadIds()) {
      if (id != clientLoop && id != me) {
        long t = threads.getThreadCpuTime(id);
        if (t > 0) {
          sum += t;
        }
      }
    }
    return sum;
  }
}
