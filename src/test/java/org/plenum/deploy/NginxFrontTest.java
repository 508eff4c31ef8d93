package org.plenum.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.NginxProcess;
import org.plenum.testing.RedisServerProcess;
import org.plenum.testing.SourceAddressClient;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * The nginx configuration shipped in docs/deploy/nginx-plenum.conf, as it is (only its listen
 * ports, node addresses and certificate paths replaced), in front of two Plenum nodes on one real
 * redis-server: REST and WebSockets over TLS through it, the client address seen through
 * X-Forwarded-For, the origin check through Host and X-Forwarded-Proto, and a rolling restart:
 * one node drains, its viewers get 1001, reconnect through nginx to the other node and resend
 * their unacknowledged votes under the same ids; the counts end exact.
 */
class NginxFrontTest {
  private static final Path SHIPPED = Path.of("docs/deploy/nginx-plenum.conf");
  private static final int VOTERS = 12;
  private static final List<String> CHOICES = List.of("a", "b", "c");
  private static final int PER_ADDRESS = 3;

  /** A voter: its source address (nginx's $remote_addr), its socket, its second vote. */
  private static final class Voter {
    final String address;
    WsClient ws;
    String secondId;
    String secondChoice;
    Future<JsonObject> secondReply;

    Voter(String address) {
      this.address = address;
    }
  }

  @Test
  void twoNodesBehindTheShippedNginxSurviveARollingRestartWithExactCounts(@TempDir Path dir) throws Exception {
    assumeTrue(NginxProcess.binary().isPresent(),
        "nginx is not installed (test.sh installs Debian's nginx): the shipped nginx configuration is not tested here");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")),
        "openssl is not installed (test.sh installs it): no certificate for the TLS server block");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-subj", "/CN=localhost", "-days", "1", "-keyout", key.toString(), "-out", cert.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl made a certificate").isTrue();

    Vertx clients = TestVertx.create();
    Vertx vertxA = TestVertx.create();
    Vertx vertxB = TestVertx.create();
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      PlenumServer nodeA = await(TestServer.start(vertxA, node("node-a", redis)));
      PlenumServer nodeB = await(TestServer.start(vertxB, node("node-b", redis)));
      int tls = freePort();
      int plain = freePort();
      String site = substitute(Files.readString(SHIPPED), Map.of(
          "server 10.0.0.11:8080", "server 127.0.0.1:" + nodeA.port(),
          "server 10.0.0.12:8080", "server 127.0.0.1:" + nodeB.port(),
          "listen 443 ssl;", "listen 127.0.0.1:" + tls + " ssl;",
          "listen [::]:443 ssl;", "",
          "listen 80;", "listen 127.0.0.1:" + plain + ";",
          "listen [::]:80;", "",
          "/etc/letsencrypt/live/plenum.example.org/fullchain.pem", cert.toString(),
          "/etc/letsencrypt/live/plenum.example.org/privkey.pem", key.toString()));
      try (NginxProcess nginx = NginxProcess.start(dir, site, List.of(tls, plain))) {
        try {
          run(clients, nginx, tls, plain, nodeA, nodeB);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(e.getMessage() + "\n" + nginx.log(), e);
        }
      } finally {
        await(nodeB.stop());
        await(vertxA.close());
        await(vertxB.close());
      }
    } finally {
      await(clients.close());
    }
    TestVertx.assertNoBlockedLoops();
  }

  private void run(Vertx clients, NginxProcess nginx, int tls, int plain, PlenumServer nodeA, PlenumServer nodeB)
      throws InterruptedException {
    https = clients.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));

    // the port-80 server sends browsers to TLS
    plainHttp = clients.createHttpClient();
    Response redirect = await(send(clients, plainHttp, plain, HttpMethod.GET, "/?code=x", null));
    assertThat(redirect.status).isEqualTo(301);
    assertThat(redirect.headers.get("Location")).isEqualTo("https://127.0.0.1/?code=x");

    // REST through nginx: headers once each, HSTS from nginx, the rest from Plenum
    Response event = await(send(clients, https, tls, HttpMethod.POST, "/api/v1/events", new JsonObject().put("name", "Hybrid congress")));
    assertThat(event.status).as(event.body.toString()).isBetween(200, 201);
    assertThat(event.headers.getAll("Strict-Transport-Security")).containsExactly("max-age=31536000");
    assertThat(event.headers.getAll("X-Frame-Options")).containsExactly("DENY");
    assertThat(event.headers.getAll("Content-Security-Policy")).hasSize(1);
    assertThat(event.headers.get("Content-Security-Policy")).contains("wss://127.0.0.1:" + tls);
    String eventId = event.json().getString("id");
    String stageId = await(send(clients, https, tls, HttpMethod.POST, "/api/v1/events/" + eventId + "/stages",
        new JsonObject().put("name", "Plenary"))).json().getString("id");
    String pollId = await(send(clients, https, tls, HttpMethod.POST, "/api/v1/stages/" + stageId + "/polls",
        new JsonObject().put("kind", "single").put("question", "Which?").put("options", new JsonArray().add("A").add("B").add("C"))
            .put("resultsVisible", true).put("open", true))).json().getJsonObject("poll").getString("id");
    // Plenum's own body limit answers (nginx lets a little more through than Plenum takes)
    Response tooLarge = await(send(clients, https, tls, HttpMethod.POST, "/api/v1/events",
        new JsonObject().put("name", "x".repeat(100_000))));
    assertThat(tooLarge.status).isEqualTo(413);
    assertThat(tooLarge.json().getJsonObject("error").getString("code")).isEqualTo("body_too_large");
    assertThat(await(send(clients, https, tls, HttpMethod.GET, "/metrics", null)).status).as("/metrics is not public").isEqualTo(404);

    // the origin check sees the browser's Host and https through nginx
    WsClient samePage = await(WsClient.connect(clients, wsFrom(clients, "127.0.0.1"), tls,
        Map.of("Origin", "https://127.0.0.1:" + tls)));
    samePage.close();
    Throwable foreign = org.plenum.testing.Await.failure(WsClient.connect(clients, wsFrom(clients, "127.0.0.1"), tls,
        Map.of("Origin", "https://elsewhere.example")));
    assertThat(foreign).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) foreign).getStatus()).isEqualTo(403);

    // viewers from 12 addresses vote through nginx; each node limits an address to 3 sockets, so
    // without X-Forwarded-For read from the trusted nginx most of them would be refused
    WsClient moderator = await(WsClient.connect(clients, wsFrom(clients, "127.0.0.2"), tls, Map.of()));
    assertThat(await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN)).getString("type")).isEqualTo("joined");
    // the moderator's node pushes the counts, wherever the votes landed
    Future<JsonObject> seen = moderator.next(m -> "results".equals(m.getString("type"))
        && m.getJsonObject("results").getInteger("voters") == VOTERS);
    List<Voter> voters = new ArrayList<>();
    for (int i = 0; i < VOTERS; i++) {
      Voter v = new Voter("127.0.0." + (10 + i));
      v.ws = await(WsClient.connect(clients, wsFrom(clients, v.address), tls, Map.of()));
      assertThat(await(v.ws.join(stageId)).getString("type")).isEqualTo("joined");
      assertThat(await(v.ws.vote(pollId, CHOICES.get(i % 3))).getString("type")).isEqualTo("ack");
      voters.add(v);
    }
    assertThat(await(seen, 10).getJsonObject("results").getJsonObject("counts").getInteger("a")).isEqualTo(VOTERS / 3);
    // the per-address limit counts the real client: a 4th socket from one address is refused
    WebSocketClient crowded = wsFrom(clients, "127.0.0.200");
    List<WsClient> three = new ArrayList<>();
    for (int i = 0; i < PER_ADDRESS; i++) {
      three.add(await(WsClient.connect(clients, crowded, tls, Map.of())));
    }
    Throwable fourth = org.plenum.testing.Await.failure(WsClient.connect(clients, crowded, tls, Map.of()));
    assertThat(fourth).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) fourth).getStatus()).as("the 4th socket from 127.0.0.200").isEqualTo(429);
    three.forEach(WsClient::close);

    // rolling restart: drain the node that holds more viewers while every voter changes its vote
    int onA = viewers(clients, nodeA, stageId);
    int onB = viewers(clients, nodeB, stageId);
    assertThat(onA + onB).isEqualTo(VOTERS);
    PlenumServer drained = onA >= onB ? nodeA : nodeB;
    int drainedViewers = Math.max(onA, onB);
    CountDownLatch closedCount = new CountDownLatch(drainedViewers);
    for (int i = 0; i < VOTERS; i++) {
      Voter v = voters.get(i);
      v.ws.closed().onComplete(x -> closedCount.countDown());
      v.secondId = WsClient.nextId("v2");
      v.secondChoice = CHOICES.get((i + 1) % 3);
      v.secondReply = v.ws.vote(v.secondId, pollId, v.secondChoice);
    }
    Future<Void> stopping = drained.stop();
    await(stopping, 20);
    assertThat(closedCount.await(10, TimeUnit.SECONDS)).as("the drained node's viewers see their sockets close").isTrue();

    int reconnected = 0;
    int resent = 0;
    for (Voter v : voters) {
      if (!v.ws.closed().isComplete()) {
        assertThat(await(v.secondReply).getString("type")).as("a vote on the node that stays").isEqualTo("ack");
        continue;
      }
      assertThat(v.ws.closed().result()).as("close code on the drained node").isEqualTo((short) 1001);
      boolean acked = v.secondReply.isComplete() && "ack".equals(v.secondReply.result().getString("type"));
      if (v.secondReply.isComplete() && !acked) {
        assertThat(v.secondReply.result().getString("code")).as("refused while draining").isEqualTo("unavailable");
      }
      // as the web client does: reconnect through nginx, rejoin with the token, resend what has no ack
      WsClient again = await(WsClient.connect(clients, wsFrom(clients, v.address), tls, Map.of()));
      again.token = v.ws.token;
      JsonObject joined = await(again.join(stageId));
      assertThat(joined.getJsonObject("participant").getString("id")).as("the same participant").isEqualTo(v.ws.participantId);
      JsonObject reply = await(again.vote(v.secondId, pollId, v.secondChoice));
      assertThat(reply.getString("type")).isEqualTo("ack");
      if (acked) {
        assertThat(reply.getBoolean("duplicate")).as("a resend of an acked vote").isTrue();
      } else {
        resent++;
      }
      v.ws = again;
      reconnected++;
    }
    assertThat(reconnected).isEqualTo(drainedViewers);
    PlenumServer survivor = drained == nodeA ? nodeB : nodeA;
    assertThat(viewers(clients, survivor, stageId)).as("every viewer is on the node that stayed").isEqualTo(VOTERS);

    Map<String, Integer> expected = new HashMap<>();
    CHOICES.forEach(c -> expected.put(c, 0));
    voters.forEach(v -> expected.merge(v.secondChoice, 1, Integer::sum));
    JsonObject results = await(send(clients, https, tls, HttpMethod.GET, "/api/v1/stages/" + stageId + "/polls/" + pollId, null))
        .json().getJsonObject("results");
    assertThat(results.getInteger("voters")).isEqualTo(VOTERS);
    for (String c : CHOICES) {
      assertThat(results.getJsonObject("counts").getInteger(c, 0)).as("votes for %s", c).isEqualTo(expected.get(c));
    }
    // a moderator who (re)joins through nginx sees the same
    WsClient late = await(WsClient.connect(clients, wsFrom(clients, "127.0.0.3"), tls, Map.of()));
    JsonObject snapshot = await(late.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    JsonObject shown = snapshot.getJsonArray("polls").getJsonObject(0).getJsonObject("results");
    assertThat(shown.getInteger("voters")).isEqualTo(VOTERS);
    System.out.printf("NginxFrontTest: %d viewers on the drained node, %d on the other; %d reconnected through nginx, "
        + "%d resent without an ack; final %s%n", drainedViewers, VOTERS - drainedViewers, reconnected, resent, results.getJsonObject("counts"));
    assertThat(nginx.log()).doesNotContain("[emerg]");
  }

  private static Map<String, String> node(String id, RedisServerProcess redis) {
    return Map.of("PLENUM_ENGINE", "redis", "PLENUM_REDIS_URL", redis.url(), "PLENUM_NODE_ID", id,
        "PLENUM_TRUSTED_PROXIES", "127.0.0.1", "PLENUM_CONNECTIONS_PER_ADDRESS", String.valueOf(PER_ADDRESS),
        "PLENUM_SHUTDOWN_GRACE_MS", "3000");
  }

  /** Replaces each key once; a key the shipped file no longer has fails the test instead of going unnoticed. */
  private static String substitute(String text, Map<String, String> replacements) {
    String out = text;
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      assertThat(out).as("the shipped nginx configuration").contains(r.getKey());
      out = out.replace(r.getKey(), r.getValue());
    }
    return out;
  }

  /** Joined viewers of a stage on one node, from its own /metrics (straight to the node, not through nginx). */
  private static int viewers(Vertx clients, PlenumServer node, String stageId) {
    String metrics = await(new Http(clients, node.port(), TestServer.ORGANISER_TOKEN).getAnonymous("/metrics")).body().toString();
    return metrics.lines()
        .filter(l -> l.startsWith("plenum_connections{") && l.contains("role=\"viewer\"") && l.contains("stage=\"" + stageId + "\""))
        .mapToInt(l -> (int) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /**
   * One TLS WebSocket client per source address, kept: Vert.x closes a client that is no longer
   * referenced once the garbage collector finds it, even with a handshake under way.
   */
  private final Map<String, WebSocketClient> wsClients = new HashMap<>();
  private HttpClient https;
  private HttpClient plainHttp;

  private WebSocketClient wsFrom(Vertx vertx, String sourceAddress) {
    // through a relay from that address: Vert.x 5.1's WebSocket client ignores setLocalAddress (SourceAddressClient)
    return wsClients.computeIfAbsent(sourceAddress, a -> new SourceAddressClient(vertx, a, new WebSocketClientOptions()
        .setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20)));
  }

  private record Response(int status, io.vertx.core.MultiMap headers, Buffer body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private static Future<Response> send(Vertx vertx, HttpClient client, int port, HttpMethod method, String path, JsonObject body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
        .putHeader("Authorization", "Bearer " + TestServer.ORGANISER_TOKEN);
    Buffer payload = body == null ? Buffer.buffer() : body.toBuffer();
    // on an event loop, so the body handler is set in the turn the response arrives
    return Future.future(promise -> vertx.getOrCreateContext().runOnContext(v -> client.request(options)
        .compose(req -> req.putHeader("Content-Type", "application/json").send(payload)
            .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), resp.headers(), b))))
        .onComplete(promise)));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
