package org.plenum.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A WebSocket client whose connections reach the server from a given source address, for the
 * per-address limit tests (FairLimitsTest, CrossNodeLimitsTest, NginxFrontTest).
 *
 * <p>Why not {@code WebSocketClientOptions.setLocalAddress}: Vert.x 5.1 ignores it for its HTTP
 * and WebSocket clients. {@code TcpClientConfig(ClientOptionsBase)}, which
 * {@code HttpClientConfig(HttpClientOptions)} calls (and {@code VertxImpl.createWebSocketClientImpl}
 * through it), copies the connect timeout, metrics name and proxy settings but not the local
 * address; only {@code TcpClientConfig(NetClientOptions)} does. The bytecode of every 5.1.x and
 * 5.2.x core served here (up to 5.2.3) is the same; {@code ClientLocalAddressTest} notices a fix.
 * A {@link NetClient} does bind its local address, so each target gets a relay on 127.0.0.1: a TCP
 * server whose every connection is piped, byte for byte and with back-pressure, into a connection
 * to the target that a NetClient opens from the source address. The server under test sees a real
 * TCP connection from that address, and TLS (NginxFrontTest) passes through the relay untouched.
 * Public API only; sockets opened through {@link #webSocket()} are not supported.
 */
public final class SourceAddressClient implements WebSocketClient {
  private final Vertx vertx;
  private final boolean ssl;
  private final WebSocketClient inner;
  private final NetClient fromSource;
  /** "host:port" of a target to its relay. */
  private final Map<String, Future<NetServer>> relays = new ConcurrentHashMap<>();

  public SourceAddressClient(Vertx vertx, String sourceAddress, WebSocketClientOptions options) {
    this.vertx = vertx;
    this.ssl = options.isSsl();
    this.inner = vertx.createWebSocketClient(options);
    this.fromSource = vertx.createNetClient(new NetClientOptions().setLocalAddress(sourceAddress).setTcpNoDelay(true));
  }

  @Override
  public Future<WebSocket> connect(WebSocketConnectOptions options) {
    boolean tls = options.isSsl() != null ? options.isSsl() : ssl;
    String host = options.getHost() != null ? options.getHost() : "localhost";
    int port = options.getPort() != null ? options.getPort() : tls ? 443 : 80;
    WebSocketConnectOptions viaRelay = new WebSocketConnectOptions(options).setHost("127.0.0.1");
    // the handshake names the target, not the relay, exactly as a direct connection would (Netty's
    // handshaker keeps a Host and an Origin the caller set): the server's Origin check compares them
    String authority = host + (port == (tls ? 443 : 80) ? "" : ":" + port);
    if (viaRelay.getHeaders() == null || !viaRelay.getHeaders().contains("Host")) {
      viaRelay.putHeader("Host", authority);
    }
    if (viaRelay.getAllowOriginHeader() && !viaRelay.getHeaders().contains("Origin")) {
      viaRelay.putHeader("Origin", (tls ? "https://" : "http://") + authority);
    }
    return relayTo(host, port).compose(relay -> inner.connect(viaRelay.setPort(relay.actualPort())));
  }

  private Future<NetServer> relayTo(String host, int port) {
    return relays.computeIfAbsent(host + ":" + port, k -> vertx.createNetServer()
        .connectHandler(in -> {
          in.pause();
          fromSource.connect(port, host).onComplete(ar -> {
            if (ar.failed()) {
              in.close();
              return;
            }
            NetSocket out = ar.result();
            // a close on either side closes the other (pipeTo ends its destination when the source ends)
            in.pipeTo(out);
            out.pipeTo(in);
          });
        })
        .listen(0, "127.0.0.1"));
  }

  @Override
  public ClientWebSocket webSocket() {
    throw new UnsupportedOperationException("SourceAddressClient relays only connect(WebSocketConnectOptions)");
  }

  @Override
  public Future<Boolean> updateSSLOptions(ClientSSLOptions options, boolean force) {
    return inner.updateSSLOptions(options, force);
  }

  @Override
  public Future<Void> shutdown(Duration timeout) {
    List<Future<?>> all = new ArrayList<>();
    all.add(inner.shutdown(timeout));
    relays.values().forEach(r -> all.add(r.compose(NetServer::close)));
    return Future.join(all).compose(v -> fromSource.close());
  }
}
