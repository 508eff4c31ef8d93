package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.testing.TestVertx;

/**
 * Plenum's tests and its load generator rely on Vert.x's clients leaving from the source address
 * they are given ({@code ClientOptionsBase#setLocalAddress}): the per-address limits
 * (FairLimitsTest, GatewayDefencesTest, NginxFrontTest) open connections from 127.0.0.2 and on,
 * and load-tests/ spreads its sockets over loopback addresses to pass the per-address cap. Vert.x
 * 5.1.6 dropped that for its HTTP and WebSocket clients (connections left from 127.0.0.1 whatever
 * was set), so this pins it for every client kind the project uses: an upgrade that loses it
 * fails here, by name, instead of as a limit test that suddenly counts every client as one.
 */
class ClientLocalAddressTest {
  private static final String SOURCE = "127.0.0.2";

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = TestVertx.create();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  @Test
  void aWebSocketClientLeavesFromItsLocalAddress() {
    Promise<String> seen = Promise.promise();
    HttpServer server = await(vertx.createHttpServer()
        .webSocketHandler(ws -> seen.tryComplete(ws.remoteAddress().hostAddress()))
        .listen(0, "127.0.0.1"));
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(SOURCE));
    await(client.connect(server.actualPort(), "127.0.0.1", "/ws"));
    assertThat(await(seen.future())).as("the source address the server saw").isEqualTo(SOURCE);
    await(client.close());
  }

  @Test
  void anHttpClientLeavesFromItsLocalAddress() {
    HttpServer server = await(vertx.createHttpServer()
        .requestHandler(req -> req.response().end(req.remoteAddress().hostAddress()))
        .listen(0, "127.0.0.1"));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setLocalAddress(SOURCE));
    assertThat(get(client, server.actualPort())).as("the source address the server saw").isEqualTo(SOURCE);
    await(client.close());
  }

  @Test
  void anHttpClientFromTheBuilderLeavesFromItsLocalAddress() {
    HttpServer server = await(vertx.createHttpServer()
        .requestHandler(req -> req.response().end(req.remoteAddress().hostAddress()))
        .listen(0, "127.0.0.1"));
    HttpClient client = vertx.httpClientBuilder().with(new HttpClientOptions().setLocalAddress(SOURCE)).build();
    assertThat(get(client, server.actualPort())).as("the source address the server saw").isEqualTo(SOURCE);
    await(client.close());
  }

  @Test
  void aNetClientLeavesFromItsLocalAddress() {
    Promise<String> seen = Promise.promise();
    NetServer server = await(vertx.createNetServer()
        .connectHandler(socket -> seen.tryComplete(socket.remoteAddress().hostAddress()))
        .listen(0, "127.0.0.1"));
    NetClient client = vertx.createNetClient(new NetClientOptions().setLocalAddress(SOURCE));
    await(client.connect(server.actualPort(), "127.0.0.1"));
    assertThat(await(seen.future())).as("the source address the server saw").isEqualTo(SOURCE);
    await(client.close());
  }

  private String get(HttpClient client, int port) {
    return await(client.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(req -> req.send())
        .compose(res -> res.body())
        .map(body -> body.toString()));
  }
}
