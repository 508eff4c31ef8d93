package org.plenum.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.plenum.hub.SharedFrame;
import org.plenum.hub.StageRoom;
import org.plenum.hub.Subscriber;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.Role;

/**
 * One WebSocket connection: its participant, role, joined stages, rate limit, and the bounded
 * outgoing side. When the socket's write queue is full, pushes are not queued without bound:
 * only the newest frame per aggregate is kept, and a session that stays full for
 * {@code slowClientTimeoutMs} is closed with 4008. Touched only from its event loop.
 */
final class ClientSession implements Subscriber {
  static final short CLOSE_SLOW_CONSUMER = 4008;
  static final short CLOSE_FLOODING = 4029;
  static final short CLOSE_GOING_AWAY = 1001;

  private final ServerWebSocket ws;
  private final Vertx vertx;
  private final PlenumMetrics metrics;
  private final long slowTimeoutMs;
  private final FrameBatch batch;
  final RateLimiter limiter;
  final Map<String, StageRoom> rooms = new LinkedHashMap<>();
  private final Map<String, SharedFrame> pending = new LinkedHashMap<>();
  private Role role;
  String participantId;
  String token;
  private boolean holdingPushes;
  private long slowTimer = -1;
  private boolean closed;
  /** Messages received and not yet answered; a graceful shutdown waits for their replies. */
  private int inFlight;
  private io.vertx.core.Promise<Void> idle;

  ClientSession(ServerWebSocket ws, Vertx vertx, PlenumMetrics metrics, RateLimiter limiter, long slowTimeoutMs,
                FrameBatch batch) {
    this.ws = ws;
    this.batch = batch;
    this.vertx = vertx;
    this.metrics = metrics;
    this.limiter = limiter;
    this.slowTimeoutMs = slowTimeoutMs;
    ws.drainHandler(v -> drain());
  }

  @Override
  public String participantId() {
    return participantId;
  }

  @Override
  public Role role() {
    return role;
  }

  void role(Role role) {
    this.role = role;
  }

  boolean isClosed() {
    return closed;
  }

  /** Replies (ack, error, joined, pong) always go out: they are bounded by the client's own rate. */
  void reply(JsonObject message) {
    if (closed) {
      return;
    }
    ws.writeTextMessage(message.encode());
    metrics.messageOut(message.getString("type"), 1);
  }

  @Override
  public void push(SharedFrame frame, String aggregate) {
    if (closed || ws.isClosed()) {
      return; // closing: the close handler runs soon and releases the session
    }
    if (holdingPushes || ws.writeQueueFull()) {
      pending.remove(aggregate); // re-insert so delivery order follows the newest change
      pending.put(aggregate, frame);
      if (!holdingPushes) {
        startSlowTimer();
      }
      return;
    }
    batch.write(ws, frame);
  }

  /** Joining: keep pushes until the snapshot has been sent, so the client sees joined first. */
  void holdPushes() {
    holdingPushes = true;
  }

  void releasePushes() {
    holdingPushes = false;
    drain();
  }

  @Override
  public void keepAlive() {
    if (!closed && !ws.isClosed()) {
      ws.writePing(Buffer.buffer());
    }
  }

  private void drain() {
    if (ws.isClosed()) {
      return;
    }
    Iterator<SharedFrame> it = pending.values().iterator();
    while (it.hasNext() && !ws.writeQueueFull() && !closed) {
      it.next().writeTo(ws);
      it.remove();
    }
    if (pending.isEmpty() && slowTimer >= 0) {
      vertx.cancelTimer(slowTimer);
      slowTimer = -1;
    } else if (!pending.isEmpty()) {
      startSlowTimer();
    }
  }

  private void startSlowTimer() {
    if (slowTimer >= 0) {
      return;
    }
    slowTimer = vertx.setTimer(slowTimeoutMs, id -> {
      slowTimer = -1;
      if (!closed && !ws.isClosed() && (ws.writeQueueFull() || !pending.isEmpty())) {
        metrics.slowClientClosed();
        close(CLOSE_SLOW_CONSUMER, "slow consumer");
      }
    });
  }

  void close(short code, String reason) {
    if (!closed) {
      ws.close(code, reason);
    }
  }

  /** A message was accepted for processing; {@link #answered()} follows once its reply is written. */
  void accepted() {
    inFlight++;
  }

  void answered() {
    if (inFlight > 0 && --inFlight == 0 && idle != null) {
      io.vertx.core.Promise<Void> waiting = idle;
      idle = null;
      waiting.complete();
    }
  }

  /** Completes once every accepted message has its reply written (at once if none is pending). */
  io.vertx.core.Future<Void> whenAnswered() {
    if (inFlight == 0 || closed) {
      return io.vertx.core.Future.succeededFuture();
    }
    if (idle == null) {
      idle = io.vertx.core.Promise.promise();
    }
    return idle.future();
  }

  /** Called from the socket's close handler: releases everything this session holds. */
  void closed() {
    closed = true;
    if (idle != null) {
      idle.tryComplete(); // nothing more can be written
      idle = null;
    }
    pending.clear();
    if (slowTimer >= 0) {
      vertx.cancelTimer(slowTimer);
      slowTimer = -1;
    }
  }
}
