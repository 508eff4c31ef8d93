package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.testing.SourceAddressClient;
import org.plenum.testing.TestVertx;

/**
 * Which of Vert.x's clients leave from the source address they are given. Plenum's per-address
 * limit tests (FairLimitsTest, CrossNodeLimitsTest, NginxFrontTest) open connections from
 * 127.0.0.2 and on, and load-tests/ spreads its sockets over loopback addresses.
 *
 * <p>Vert.x 5.1 (checked up to the 5.2.3 core) drops {@code ClientOptionsBase#setLocalAddress} for
 * its HTTP and WebSocket clients: {@code HttpClientConfig(HttpClientOptions)} builds its TCP
 * settings with {@code new TcpClientConfig(ClientOptionsBase)}, which does not copy the local
 * address (only {@code TcpClientConfig(NetClientOptions)} does), and
 * {@code VertxImpl.createWebSocketClientImpl} goes through the same constructor. The last two tests
 * pin that: when a release fixes it they fail, and {@link SourceAddressClient} (the relay the limit
 * tests use instead) and the load generator's pin to 5.0.10 can go. What the suite relies on is
 * pinned by the first three: a NetClient binds its address, an HTTP client built from an
 * {@link HttpClientConfig} whose TCP settings carry the address binds it, and so a
 * SourceAddressClient's WebSockets reach the server from the address.
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

  @Test
  void anHttpClientFromAConfigWithATcpLocalAddressLeavesFromIt() {
    HttpServer server = await(echoingServer());
    HttpClientConfig config = new HttpClientConfig(new HttpClientOptions());
    config.getTcpConfig().setLocalAddress(SocketAddress.inetSocketAddress(0, SOURCE));
    HttpClient client = vertx.createHttpClient(config);
    assertThat(get(client, server.actualPort())).as("the source address the server saw").isEqualTo(SOURCE);
    await(client.close());
  }

  @Test
  void aSourceAddressClientsWebSocketsReachTheServerFromItsAddress() {
    Promise<String> seen = Promise.promise();
    HttpServer server = await(vertx.createHttpServer()
        .webSocketHandler(ws -> seen.tryComplete(ws.remoteAddress().hostAddress()))
        .listen(0, "127.0.0.1"));
    WebSocketClient client = new SourceAddressClient(vertx, SOURCE, new WebSocketClientOptions());
    WebSocket ws = await(client.connect(server.actualPort(), "127.0.0.1", "/ws"));
    assertThat(await(seen.future())).as("the source address the server saw").isEqualTo(SOURCE);
    Promise<Void> closed = Promise.promise();
    ws.closeHandler(v -> closed.tryComplete());
    await(ws.close());
    await(closed.future());
    await(client.close());
  }

  @Test
  void webSocketClientOptionsLocalAddressIsIgnoredByThisVertx() {
    Promise<String> seen = Promise.promise();
    HttpServer server = await(vertx.createHttpServer()
        .webSocketHandler(ws -> seen.tryComplete(ws.remoteAddress().hostAddress()))
        .listen(0, "127.0.0.1"));
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(SOURCE));
    await(client.connect(server.actualPort(), "127.0.0.1", "/ws"));
    assertThat(await(seen.future()))
        .as("Vert.x now binds WebSocketClientOptions.localAddress: SourceAddressClient's relay can go")
        .isEqualTo("127.0.0.1");
    await(client.close());
  }

  @Test
  void httpClientOptionsLocalAddressIsIgnoredByThisVertx() {
    HttpServer server = await(echoingServer());
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setLocalAddress(SOURCE));
    assertThat(get(client, server.actualPort()))
        .as("Vert.x now binds HttpClientOptions.localAddress: the HttpClientConfig detour can go")
        .isEqualTo("127.0.0.1");
    await(client.close());
  }

  private Future<HttpServer> echoingServer() {
    return vertx.createHttpServer()
        .requestHandler(req -> req.response().end(req.remoteAddress().hostAddress()))
        .listen(0, "127.0.0.1");
  }

  private String get(HttpClient client, int port) {
    return await(client.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(req -> req.send())
        .compose(res -> res.body())
        .map(body -> body.toString()));
  }
}
