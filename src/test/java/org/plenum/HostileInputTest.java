package org.plenum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.protocol.ErrorCode;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * A seeded fuzz test over real connections: thousands of random and malformed WebSocket frames
 * (random JSON, wrong types, huge numbers, deep nesting, invalid ids, random Unicode, oversized and
 * binary frames) and REST requests (malformed and hostile bodies, with and without a token). The
 * server must not crash, must answer each with a documented error code and no stack trace or Java
 * class name, must change nothing, and its heap must stay bounded. Every generated input is invalid
 * by construction (it names only unknown ids, or is malformed), so any state change is a bug. The
 * seed is fixed (override with -Dplenum.fuzz.seed=N) and named in every failure.
 */
class HostileInputTest {
  private static final long SEED = Long.getLong("plenum.fuzz.seed", 20261203L);
  private static final int FRAMES = 3000;
  private static final int REQUESTS = 600;
  private static final Set<String> CODES = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).collect(Collectors.toSet());
  /** What a reply to invalid input must never contain: traces, class or package names. */
  private static final List<String> LEAKS = List.of("Exception", "java.", "org.plenum", "io.vertx", "io.netty",
      "com.fasterxml", "\tat ", "at org.", "NullPointer", "ClassCast");
  private static final List<String> TYPES = List.of("join", "vote", "word", "post", "upvote", "delete", "react", "ping");

  private final Random random = new Random(SEED);
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private String eventId;
  private String stageId;
  private String pollId;
  private String cloudId;

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    // the per-connection message rate is tested elsewhere; here every frame must reach the parser
    server = await(TestServer.start(serverVertx, Map.of("PLENUM_RATE_LIMIT_PER_SECOND", "100000",
        "PLENUM_RATE_LIMIT_BURST", "100000")));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    JsonObject stage = await(http.stage());
    stageId = stage.getString("id");
    eventId = stage.getString("eventId");
    pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    cloudId = await(http.openCloud(stageId, 3)).getJsonObject("cloud").getString("id");
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  @Test
  void randomAndMalformedInputGetsDocumentedErrorsAndChangesNothing() {
    WsClient voter = await(WsClient.connect(clientVertx, server.port()));
    await(voter.join(stageId));
    assertThat(await(voter.vote(pollId, "a")).getString("type")).isEqualTo("ack");
    String before = state();
    long heapBefore = usedHeapAfterGc();

    WsClient joined = await(WsClient.connect(clientVertx, server.port()));
    await(joined.join(stageId));
    WsClient stranger = await(WsClient.connect(clientVertx, server.port()));
    for (int i = 0; i < FRAMES; i++) {
      WsClient target = i % 3 == 0 ? stranger : joined;
      if (target.socket().isClosed()) {
        target = await(WsClient.connect(clientVertx, server.port()));
        if (i % 3 == 0) {
          stranger = target;
        } else {
          joined = target;
          await(joined.join(stageId));
        }
      }
      sendAndCheck(target, i);
    }
    for (int i = 0; i < REQUESTS; i++) {
      requestAndCheck(i);
    }

    assertThat(state()).as("state after hostile input (seed " + SEED + ")").isEqualTo(before);
    assertThat(await(voter.vote(pollId, "b")).getString("type")).as("the server still works").isEqualTo("ack");
    assertThat(await(http.getAnonymous("/health/ready")).status()).isEqualTo(200);
    long grown = usedHeapAfterGc() - heapBefore;
    assertThat(grown).as("heap growth over the fuzz run (bytes)").isLessThan(64L << 20);
  }

  // ---- WebSocket frames ------------------------------------------------------------------

  private void sendAndCheck(WsClient client, int i) {
    Future<JsonObject> reply = client.next(m -> "error".equals(m.getString("type")) || "pong".equals(m.getString("type"))
        || "ack".equals(m.getString("type")) || "joined".equals(m.getString("type")));
    String frame = null;
    if (random.nextInt(40) == 0) {
      byte[] bytes = new byte[1 + random.nextInt(300)];
      random.nextBytes(bytes);
      client.socket().writeBinaryMessage(Buffer.buffer(bytes));
    } else {
      frame = frame();
      client.sendText(frame);
    }
    Future<Object> answered = Future.any(reply, client.closed()).map(x -> reply.succeeded() ? reply.result() : null);
    Object got = await(answered);
    String what = "frame " + i + " (seed " + SEED + "): " + abbreviate(frame);
    if (got == null) {
      // only abuse may close: a frame beyond the WebSocket layer's own limit
      assertThat(frame).as(what + " closed the connection").isNotNull();
      assertThat(frame.length()).as(what + " closed the connection").isGreaterThan(8192);
      return;
    }
    JsonObject m = (JsonObject) got;
    String text = m.encode();
    assertThat(LEAKS).as(what + " answered " + text).noneMatch(text::contains);
    if ("error".equals(m.getString("type"))) {
      assertThat(CODES).as(what + " answered " + text).contains(m.getString("code"));
      assertThat(m.getString("code")).as(what + " answered " + text).isNotIn("internal", "unavailable");
      assertThat(m.getString("message")).as(what).isNotBlank();
    } else {
      assertThat(m.getString("type")).as(what + " answered " + text).isEqualTo("pong");
    }
  }

  private String frame() {
    switch (random.nextInt(9)) {
      case 0:
        return randomText(random.nextInt(300));
      case 1:
        return hostile(3).toString();
      case 2: {
        String valid = message().encode();
        return valid.substring(0, random.nextInt(Math.max(1, valid.length())));
      }
      case 3:
        return nesting(1 + random.nextInt(4000));
      case 4: {
        StringBuilder keys = new StringBuilder("{\"type\":\"" + pick(TYPES) + "\"");
        for (int k = 0; keys.length() < 7000; k++) {
          keys.append(",\"").append(k % 7 == 0 ? randomKey() : "k" + k).append("\":").append(k % 2 == 0 ? "0" : "\"x\"");
        }
        return keys.append('}').toString();
      }
      case 5:
        return "{\"type\":\"vote\",\"id\":\"n-1\",\"pollId\":\"" + randomId() + "\",\"rating\":"
            + "9".repeat(1 + random.nextInt(7000)) + "}";
      case 6:
        return message().put("pad", "x".repeat(8200 + random.nextInt(3000))).encode(); // over maxFrameBytes
      default:
        return message().encode();
    }
  }

  /** A message of a known type whose fields are hostile values or name only unknown things. */
  private JsonObject message() {
    String type = random.nextInt(10) == 0 ? randomText(8) : pick(TYPES);
    JsonObject m = new JsonObject().put("type", random.nextInt(20) == 0 ? hostile(2) : type);
    m.put("id", random.nextBoolean() ? "f-" + random.nextInt(1_000_000) : hostile(2));
    switch (type) {
      case "join" -> {
        m.put(random.nextBoolean() ? "stageId" : "code", random.nextBoolean() ? randomId() : hostile(2));
        if (random.nextBoolean()) {
          m.put("role", random.nextBoolean() ? "moderator" : hostile(1));
          m.put("auth", random.nextBoolean() ? randomText(30) : hostile(1));
        }
        if (random.nextBoolean()) {
          m.put("token", random.nextBoolean() ? randomText(60) : hostile(1));
        }
      }
      case "vote" -> {
        m.put("pollId", random.nextBoolean() ? randomId() : hostile(2));
        if (random.nextBoolean()) {
          m.put("choices", random.nextBoolean() ? new JsonArray().add(randomText(5)).add(hostile(1)) : hostile(2));
        } else {
          m.put("rating", hostile(1));
        }
      }
      case "word" -> m.put("cloudId", random.nextBoolean() ? randomId() : hostile(1)).put("text", random.nextBoolean()
          ? randomText(random.nextInt(5000)) : hostile(2));
      case "post" -> m.put("kind", random.nextBoolean() ? randomText(8) : hostile(1))
          .put("text", random.nextBoolean() ? randomText(random.nextInt(5000)) : hostile(1))
          .put("name", random.nextBoolean() ? randomText(random.nextInt(400)) : hostile(1));
      case "upvote", "delete" -> m.put("postId", random.nextBoolean() ? randomId() : hostile(2)).put("up", hostile(1));
      case "react" -> m.put("emoji", random.nextBoolean() ? randomText(3) : hostile(1));
      default -> m.put(randomKey(), hostile(2));
    }
    return m;
  }

  // ---- REST requests ---------------------------------------------------------------------

  private static final List<String> BODY_ROUTES = List.of(
      "POST /api/v1/events", "POST /api/v1/events/{event}/stages", "POST /api/v1/stages/{stage}/polls",
      "POST /api/v1/stages/{stage}/clouds", "PATCH /api/v1/stages/{stage}/settings", "PUT /api/v1/events/{event}/blocklist",
      "POST /api/v1/stages/{stage}/talks", "POST /api/v1/events/{event}/moderators",
      "POST /api/v1/stages/{stage}/clouds/{cloud}/hide-word", "POST /api/v1/stages/{stage}/clouds/{cloud}/merge");
  private static final List<String> ID_ROUTES = List.of(
      "POST /api/v1/stages/{stage}/polls/{poll}/open", "POST /api/v1/stages/{stage}/polls/{poll}/close",
      "POST /api/v1/stages/{stage}/clouds/{cloud}/close", "POST /api/v1/stages/{stage}/posts/{post}/approve",
      "POST /api/v1/stages/{stage}/posts/{post}/edit", "PUT /api/v1/stages/{stage}/talks/{talk}",
      "DELETE /api/v1/stages/{stage}/talks/{talk}", "DELETE /api/v1/events/{event}/moderators/{moderator}",
      "GET /api/v1/stages/{stage}/polls/{poll}", "GET /api/v1/join/{code}", "GET /api/v1/events/{event}");

  private void requestAndCheck(int i) {
    boolean anonymous = random.nextInt(3) == 0;
    boolean realIds = anonymous || random.nextBoolean();
    String route = realIds ? pick(BODY_ROUTES) : pick(random.nextBoolean() ? BODY_ROUTES : ID_ROUTES);
    HttpMethod method = HttpMethod.valueOf(route.substring(0, route.indexOf(' ')));
    String path = route.substring(route.indexOf(' ') + 1);
    path = realIds && !anonymous
        ? path.replace("{event}", eventId).replace("{stage}", stageId).replace("{cloud}", cloudId)
        : anonymous ? path.replace("{event}", eventId).replace("{stage}", stageId).replace("{cloud}", cloudId)
            .replace("{poll}", pollId)
        : path;
    path = path.replaceAll("\\{[a-z]+}", urlSafe(randomId()));
    // with a token, only bodies no handler can take (not JSON, or not an object) where the path
    // names something real: a hostile object there might just be a strange but valid name
    boolean namesReal = realIds || !route.contains("{");
    Object body = namesReal && !anonymous ? malformedBody() : random.nextBoolean() ? malformedBody() : hostileObject();
    Http.Response r = await(http.send(method, path, body, anonymous ? (random.nextBoolean() ? null : "x" + Long.toHexString(random.nextLong())) : TestServer.ORGANISER_TOKEN));
    String what = "request " + i + " (seed " + SEED + "): " + method + " " + path + " " + abbreviate(String.valueOf(body));
    String text = r.body().toString();
    assertThat(r.status()).as(what + " answered " + abbreviate(text)).isBetween(400, 499);
    assertThat(LEAKS).as(what + " answered " + abbreviate(text)).noneMatch(text::contains);
    JsonObject error = new JsonObject(text).getJsonObject("error");
    assertThat(CODES).as(what + " answered " + abbreviate(text)).contains(error.getString("code"));
  }

  private Object malformedBody() {
    return switch (random.nextInt(5)) {
      case 0 -> Buffer.buffer(randomText(random.nextInt(200)));
      case 1 -> Buffer.buffer("{\"a\":" + "[".repeat(1 + random.nextInt(3000))); // deep and never closed
      case 2 -> Buffer.buffer(message().encode().substring(1)); // not an object any more
      case 3 -> Buffer.buffer(new JsonArray().add(hostile(2)).encode());
      default -> Buffer.buffer("x".repeat(70_000)); // over the body limit
    };
  }

  private JsonObject hostileObject() {
    JsonObject o = new JsonObject();
    for (String key : List.of("name", "kind", "question", "options", "prompt", "words", "title", "start", "end",
        "maxEntries", "open", "resultsVisible", "from", "into", "word", "speakers", "label")) {
      if (random.nextBoolean()) {
        o.put(key, hostile(2));
      }
    }
    return o.put(randomKey(), hostile(2));
  }

  // ---- values ----------------------------------------------------------------------------

  /** Values no field accepts where it expects text or a small number. */
  private Object hostile(int depth) {
    switch (random.nextInt(depth > 0 ? 12 : 9)) {
      case 0:
        return new java.math.BigInteger(1 + random.nextInt(400), random).negate();
      case 1:
        return random.nextBoolean() ? Double.MAX_VALUE : -0.0;
      case 2:
        return Long.MIN_VALUE;
      case 3:
        return randomText(random.nextInt(50));
      case 4:
        return "a" + "\u0301\u0334".repeat(10 + random.nextInt(1500));
      case 5:
        return "x".repeat(4097 + random.nextInt(500));
      case 6:
        return new JsonArray();
      case 7:
        return new JsonObject();
      case 8:
        return "\uD800" + randomText(5) + "\uDFFF\u0000\u202E";
      case 9:
        return new JsonArray().add(hostile(depth - 1)).add(hostile(depth - 1));
      case 10:
        return new JsonObject().put(randomKey(), hostile(depth - 1));
      default:
        return new JsonArray().add(new JsonArray().add(new JsonArray().add(hostile(depth - 1))));
    }
  }

  private static final int[][] POOLS = {
      {0x20, 0x7e}, {0x00, 0x1f}, {0xa0, 0x24f}, {0x300, 0x36f}, {0x590, 0x6ff}, {0x200b, 0x206f},
      {0x4e00, 0x4fff}, {0xd800, 0xdfff}, {0xfe00, 0xfe0f}, {0x1f300, 0x1faff}, {0xe0000, 0xe007f}};

  private String randomText(int length) {
    StringBuilder out = new StringBuilder(length);
    int[] pool = POOLS[random.nextInt(POOLS.length)];
    for (int i = 0; i < length; i++) {
      if (random.nextInt(8) == 0) {
        pool = POOLS[random.nextInt(POOLS.length)];
      }
      int cp = pool[0] + random.nextInt(pool[1] - pool[0] + 1);
      if (cp >= 0xd800 && cp <= 0xdfff) {
        out.append((char) cp); // a lone surrogate
      } else {
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  private String randomId() {
    return random.nextBoolean() ? "x" + Long.toHexString(random.nextLong()) : randomText(1 + random.nextInt(80));
  }

  private String randomKey() {
    return random.nextBoolean() ? "__proto__" : randomText(1 + random.nextInt(10));
  }

  private String nesting(int depth) {
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    return "{\"type\":\"ping\",\"x\":" + open.repeat(depth) + (random.nextBoolean() ? close.repeat(depth) + "}" : "");
  }

  private <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  private static String urlSafe(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Short and printable (test reports choke on NUL and lone surrogates). */
  private static String abbreviate(String s) {
    if (s == null) {
      return "(binary)";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(s.length(), 200); i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return s.length() > 200 ? out + "...(" + s.length() + " chars)" : out.toString();
  }

  // ---- observations ----------------------------------------------------------------------

  /** Everything invalid input could have changed, as the REST API shows it. */
  private String state() {
    List<String> parts = new ArrayList<>();
    for (String path : List.of("/api/v1/events", "/api/v1/events/" + eventId, "/api/v1/stages/" + stageId,
        "/api/v1/stages/" + stageId + "/polls", "/api/v1/stages/" + stageId + "/clouds",
        "/api/v1/stages/" + stageId + "/clouds/" + cloudId, "/api/v1/stages/" + stageId + "/posts",
        "/api/v1/stages/" + stageId + "/talks", "/api/v1/events/" + eventId + "/blocklist",
        "/api/v1/events/" + eventId + "/moderators", "/api/v1/stages/" + stageId + "/reactions")) {
      parts.add(path + " " + await(http.get(path)).body());
    }
    return String.join("\n", parts);
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
