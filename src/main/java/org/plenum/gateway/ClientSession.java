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
  static final short CLOSE_TRY_AGAIN_LATER = 1013;

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
  /** The client address this connection's limits count against (see {@link ClientAddress}). */
  String address;
  /** The participant whose connection count this session holds one of, or null. */
  private String participantSlot;
  private boolean holdingPushes;
  private long slowTimer = -1;
  private boolean closed;

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

  /**
   * Counts this connection against {@code participant}'s open connections (moving its count from
   * the participant it held before, if another), or refuses with {@code too_many_connections}
   * and changes nothing.
   */
  void holdParticipantSlot(String participant, OpenCounts counts) {
    if (participant.equals(participantSlot)) {
      return;
    }
    if (!counts.tryOpen(participant)) {
      throw new org.plenum.protocol.PlenumException(org.plenum.protocol.ErrorCode.TOO_MANY_CONNECTIONS,
          "This participant is already connected " + counts.cap() + " times; close another tab or device first.");
    }
    releaseParticipantSlot(counts);
    participantSlot = participant;
  }

  void releaseParticipantSlot(OpenCounts counts) {
    if (participantSlot != null) {
      counts.close(participantSlot);
      participantSlot = null;
    }
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

  /** Called from the socket's close handler: releases everything this session holds. */
  void closed() {
    closed = true;
    pending.clear();
    if (slowTimer >= 0) {
      vertx.cancelTimer(slowTimer);
      slowTimer = -1;
    }
  }
}
