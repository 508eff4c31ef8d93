package org.plenum.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens WebSocket connections to {@code /ws} of one or more nodes, spread round-robin over
 * loopback source addresses.
 *
 * <p>In Vert.x 5 the local (source) address is a client option ({@code ClientOptionsBase#setLocalAddress}),
 * not a per-connection one, so there is one {@link WebSocketClient} per source address. With one
 * source address the kernel's ephemeral range (about 28,000 ports) limits the connections to one
 * server port; every further address adds another range.
 */
public final class Connector {

  /** The nodes, as --url lists them; a session picks one by index. */
  private final List<URI> targets;
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final List<String> sourceAddresses;
  private final AtomicInteger next = new AtomicInteger();

  private Connector(Vertx vertx, List<URI> targets, List<String> sourceAddresses) {
    this.targets = List.copyOf(targets);
    this.sourceAddresses = List.copyOf(sourceAddresses);
    if (sourceAddresses.isEmpty()) {
      clients.add(vertx.createWebSocketClient(options(null)));
    } else {
      for (String a : sourceAddresses) {
        clients.add(vertx.createWebSocketClient(options(a)));
      }
    }
  }

  private static WebSocketClientOptions options(String localAddress) {
    WebSocketClientOptions o = new WebSocketClientOptions()
        .setConnectTimeout(10_000)
        .setMaxConnections(100_000) // default 50 per endpoint would queue our viewers
        .setTcpNoDelay(true)
        .setClosingTimeout(2)
        .setMaxFrameSize(65_536)
        .setMaxMessageSize(1 << 20);
    if (localAddress != null) {
      o.setLocalAddress(localAddress);
    }
    return o;
  }

  /**
   * Builds a connector on the given source addresses after checking that the first one can be
   * bound (an HTTP GET of /health/live from it). When it cannot, falls back to the kernel's choice
   * (127.0.0.1) and says so through {@link #sourceAddresses()} being empty.
   */
  public static Future<Connector> create(Vertx vertx, URI base, List<String> wanted, StringBuilder note) {
    return create(vertx, List.of(base), wanted, note);
  }

  /** As above, for several nodes (the probe goes to the first). */
  public static Future<Connector> create(Vertx vertx, List<URI> targets, List<String> wanted, StringBuilder note) {
    URI base = targets.get(0);
    if (wanted.isEmpty()) {
      note.append("kernel default (127.0.0.1)");
      return Future.succeededFuture(new Connector(vertx, targets, List.of()));
    }
    HttpClient probe = vertx.createHttpClient(new HttpClientOptions().setLocalAddress(wanted.get(0))
        .setConnectTimeout(5000));
    int port = base.getPort() > 0 ? base.getPort() : 80;
    return probe.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(base.getHost()).setPort(port)
            .setURI("/health/live").setTimeout(5000))
        .compose(req -> req.send())
        .compose(resp -> resp.body())
        .transform(ar -> {
          probe.close();
          if (ar.succeeded()) {
            note.append(wanted.size()).append(" source addresses ").append(wanted.get(0)).append(" .. ")
                .append(wanted.get(wanted.size() - 1));
            return Future.succeededFuture(new Connector(vertx, targets, wanted));
          }
          note.append("source address ").append(wanted.get(0)).append(" not usable (")
              .append(ar.cause().getMessage()).append("); fell back to kernel default (127.0.0.1)");
          return Future.succeededFuture(new Connector(vertx, targets, List.of()));
        });
  }

  public List<String> sourceAddresses() {
    return sourceAddresses;
  }

  /** Opens one connection to the first node; call it on the context that should own the socket. */
  public Future<WebSocket> connect(long handshakeTimeoutMs) {
    return connect(0, handshakeTimeoutMs);
  }

  /** Opens one connection to node {@code node} (an index into --url). */
  public Future<WebSocket> connect(int node, long handshakeTimeoutMs) {
    URI target = targets.get(Math.floorMod(node, targets.size()));
    String host = target.getHost();
    int port = target.getPort() > 0 ? target.getPort() : 80;
    WebSocketClient c = clients.get(Math.floorMod(next.getAndIncrement(), clients.size()));
    Future<WebSocket> f = c.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/ws")
        .setConnectTimeout(10_000));
    Future<WebSocket> bounded = f.timeout(handshakeTimeoutMs, TimeUnit.MILLISECONDS);
    // A handshake that completes after we gave up must not leak a socket.
    bounded.onFailure(t -> f.onSuccess(ws -> ws.close()));
    return bounded;
  }

  public Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    for (WebSocketClient c : clients) {
      all.add(c.close());
    }
    return Future.join(all).mapEmpty();
  }
}
