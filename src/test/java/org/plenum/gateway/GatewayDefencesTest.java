package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.RawSocket;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * What one misbehaving connection gets, over real sockets: close codes for broken frames, time
 * limits for sockets that hold on without doing their part, the origin check, the browser
 * security headers, and revocations and settings that take effect at once.
 */
class GatewayDefencesTest {
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private String stageId;
  private String eventId;

  @BeforeEach
  void start(TestInfo test) {
    Map<String, String> env = new HashMap<>();
    String name = test.getTestMethod().orElseThrow().getName();
    if (name.contains("HalfSent")) {
      env.put("PLENUM_REQUEST_HEADER_TIMEOUT_MS", "1500");
    }
    if (name.contains("Silent")) {
      env.put("PLENUM_IDLE_TIMEOUT_MS", "1000");
    }
    if (name.contains("NeverJoins")) {
      env.put("PLENUM_JOIN_TIMEOUT_MS", "300");
    }
    if (name.contains("PublicUrl")) {
      env.put("PLENUM_PUBLIC_URL", "https://plenum.example.org/");
    }
    if (name.contains("EveryEventLoop")) {
      env.put("PLENUM_INSTANCES", "2");
    }
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    server = await(TestServer.start(serverVertx, env));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    JsonObject stage = await(http.stage());
    stageId = stage.getString("id");
    eventId = stage.getString("eventId");
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private String joinFrame() {
    return new JsonObject().put("type", "join").put("id", "j-1").put("stageId", stageId).encode();
  }

  @Test
  void aTextFrameOfInvalidUtf8IsClosedWith1007() throws Exception {
    try (RawSocket raw = RawSocket.webSocket(server.port())) {
      raw.sendText(joinFrame());
      assertThat(raw.readText()).contains("\"joined\"");
      byte[] broken = "{\"type\":\"ping\",\"id\":\"p-\u00e9\"}".getBytes(StandardCharsets.UTF_8);
      broken[broken.length - 4] = (byte) 0xC3; // a lead byte followed by a quote: not UTF-8
      broken[broken.length - 3] = (byte) 0x22;
      raw.sendText(broken);
      assertThat(raw.readUntilClosed(5_000)).isEqualTo(1007);
    }
  }

  @Test
  void aFrameOverTheHardLimitIsClosedWith1009EvenWhenOnlyItsHeaderArrived() throws Exception {
    try (RawSocket raw = RawSocket.webSocket(server.port())) {
      raw.sendFrameHeader(65_537);
      assertThat(raw.readUntilClosed(5_000)).isEqualTo(1009);
    }
  }

  @Test
  void aHalfSentRequestHeadIsClosedAfterTheHeaderTimeout() throws Exception {
    try (RawSocket raw = RawSocket.open(server.port())) {
      raw.writeRaw("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      assertThat(raw.endsWithin(5_000)).isTrue();
    }
    // a kept-alive connection that sends nothing after its answer is closed the same way
    try (RawSocket raw = RawSocket.open(server.port())) {
      raw.writeRaw("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(raw.endsWithin(5_000)).isTrue();
    }
  }

  @Test
  void aSilentWebSocketThatNeverAnswersPingsIsClosedAfterTheIdleTimeout() throws Exception {
    try (RawSocket raw = RawSocket.webSocket(server.port())) {
      raw.sendText(joinFrame());
      assertThat(raw.readText()).contains("\"joined\"");
      // from now on it reads (and sees the server's pings) but never answers or sends
      raw.readUntilClosed(5_000);
    }
  }

  @Test
  void aSilentWebSocketWhoseClientAnswersPingsStaysOpen() {
    WsClient viewer = await(WsClient.connect(clientVertx, server.port()));
    await(viewer.join(stageId));
    // three idle timeouts pass with nothing sent but the client's automatic pongs
    await(io.vertx.core.Future.<Void>future(p -> clientVertx.setTimer(3_000, id -> p.complete())));
    assertThat(viewer.closed().isComplete()).isFalse();
    assertThat(await(viewer.request(new JsonObject().put("type", "ping").put("id", "still-there"))).getString("type"))
        .isEqualTo("pong");
  }

  @Test
  void aConnectionThatNeverJoinsIsClosedWith4401() {
    WsClient idle = await(WsClient.connect(clientVertx, server.port()));
    assertThat(await(idle.closed(), 5)).isEqualTo((short) 4401);
  }

  @Test
  void aCrossOriginWebSocketIsRefusedByDefaultAndTheSameOriginAccepted() throws Exception {
    try (RawSocket raw = RawSocket.open(server.port())) {
      assertThat(raw.upgrade("https://evil.example.com")).isEqualTo(403);
    }
    try (RawSocket raw = RawSocket.open(server.port())) {
      assertThat(raw.upgrade("http://127.0.0.1:" + server.port())).isEqualTo(101);
    }
    try (RawSocket raw = RawSocket.open(server.port())) {
      assertThat(raw.upgrade(null)).as("a client without Origin is not a browser").isEqualTo(101);
    }
  }

  @Test
  void withAPublicUrlOnlyItsOriginMayOpenTheWebSocket() throws Exception {
    try (RawSocket raw = RawSocket.open(server.port())) {
      assertThat(raw.upgrade("https://plenum.example.org")).isEqualTo(101);
    }
    try (RawSocket raw = RawSocket.open(server.port())) {
      assertThat(raw.upgrade("http://127.0.0.1:" + server.port())).isEqualTo(403);
    }
  }

  @Test
  void everyResponseCarriesTheSecurityHeadersAndOnlyTheOverlayMayBeFramed() {
    HttpHeadersSeen page = headers("/");
    assertThat(page.get("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(page.get("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.get("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.get("X-Content-Type-Options")).isEqualTo("nosniff");
    HttpHeadersSeen api = headers("/api/v1/stages/" + stageId);
    assertThat(api.get("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(api.get("X-Frame-Options")).isEqualTo("DENY");
    HttpHeadersSeen overlay = headers("/overlay.html");
    assertThat(overlay.get("X-Frame-Options")).isNull();
    assertThat(overlay.get("Content-Security-Policy")).contains("frame-ancestors *").contains("script-src 'self'");
    assertThat(overlay.get("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  private record HttpHeadersSeen(io.vertx.core.MultiMap headers) {
    String get(String name) {
      return headers.get(name);
    }
  }

  private HttpHeadersSeen headers(String path) {
    io.vertx.core.http.HttpClient client = clientVertx.createHttpClient();
    return new HttpHeadersSeen(await(client.request(HttpMethod.GET, server.port(), "127.0.0.1", path)
        .compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.headers()))));
  }

  @Test
  void revokingAModeratorAccessClosesThatModeratorsOpenSession() {
    JsonObject access = await(http.post("/api/v1/events/" + eventId + "/moderators",
        new JsonObject().put("label", "Saal 1"))).json();
    WsClient moderator = await(WsClient.connect(clientVertx, server.port()));
    assertThat(await(moderator.joinAsModerator(stageId, access.getString("token"))).getString("type")).isEqualTo("joined");
    WsClient organiser = await(WsClient.connect(clientVertx, server.port()));
    await(organiser.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    assertThat(await(http.send(HttpMethod.DELETE, "/api/v1/events/" + eventId + "/moderators/" + access.getString("id"),
        null, TestServer.ORGANISER_TOKEN)).status()).isEqualTo(204);
    assertThat(await(moderator.closed(), 5)).isEqualTo((short) 4403);
    assertThat(organiser.closed().isComplete()).as("the organiser's session is not that access").isFalse();
  }

  @Test
  void preModerationSwitchedOnIsInForceForTheNextPostOnEveryEventLoop() {
    WsClient[] viewers = new WsClient[4]; // with two event loops, some of them are on the other loop than the REST call
    for (int i = 0; i < viewers.length; i++) {
      viewers[i] = await(WsClient.connect(clientVertx, server.port(), new WebSocketClientOptions()));
      await(viewers[i].join(stageId));
    }
    for (int round = 0; round < 10; round++) {
      boolean moderated = round % 2 == 0;
      await(http.send(HttpMethod.PATCH, "/api/v1/stages/" + stageId + "/settings",
          new JsonObject().put("questionModeration", moderated), TestServer.ORGANISER_TOKEN));
      for (WsClient viewer : viewers) {
        JsonObject ack = await(viewer.request(new JsonObject().put("type", "post").put("id", "q-" + round + "-" + viewer.participantId)
            .put("kind", "question").put("text", "Frage " + round)));
        String state = await(http.get("/api/v1/stages/" + stageId + "/posts/" + ack.getString("postId"))).json()
            .getString("state");
        assertThat(state).as("round %d, questionModeration %s", round, moderated).isEqualTo(moderated ? "pending" : "published");
      }
    }
  }
}
