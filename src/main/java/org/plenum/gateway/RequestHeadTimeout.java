package org.plenum.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Closes a connection that does not send a complete request head (or WebSocket upgrade) in
 * time, so half-sent headers cannot hold a socket: armed when the connection opens and again
 * after each response, disarmed when a head arrives. Vert.x has no such option; its idle
 * timeout alone lets a client that sends one byte now and then keep a socket forever. One per
 * event loop; touched only from that loop.
 */
final class RequestHeadTimeout {
  private final Vertx vertx;
  private final long timeoutMs;
  private final Map<SocketAddress, Waiting> waiting = new HashMap<>();

  private static final class Waiting {
    final HttpConnection connection;
    long timer = -1;

    Waiting(HttpConnection connection) {
      this.connection = connection;
    }
  }

  RequestHeadTimeout(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  void opened(HttpConnection connection) {
    SocketAddress peer = connection.remoteAddress();
    Waiting w = new Waiting(connection);
    waiting.put(peer, w);
    connection.closeHandler(v -> {
      Waiting gone = waiting.remove(peer);
      if (gone != null && gone.timer >= 0) {
        vertx.cancelTimer(gone.timer);
      }
    });
    arm(w);
  }

  /** A request head (or upgrade) arrived on the connection from {@code peer}. */
  void arrived(SocketAddress peer) {
    Waiting w = waiting.get(peer);
    if (w != null && w.timer >= 0) {
      vertx.cancelTimer(w.timer);
      w.timer = -1;
    }
  }

  /** A response ended: a kept-alive connection has the same time again for its next head. */
  void awaitNext(SocketAddress peer) {
    Waiting w = waiting.get(peer);
    if (w != null && w.timer < 0) {
      arm(w);
    }
  }

  private void arm(Waiting w) {
    w.timer = vertx.setTimer(timeoutMs, id -> {
      w.timer = -1;
      w.connection.close();
    });
  }
}
