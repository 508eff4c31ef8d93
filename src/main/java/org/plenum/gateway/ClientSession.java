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
 * outgoing side.
 *
 * <p>Every frame this session writes — push, reply or snapshot — counts against one budget: the
 * bytes handed to the socket whose write has not completed yet, plus the pushes held back. While
 * that is at or over {@code budgetBytes}, pushes are held, only the newest frame per aggregate;
 * a session that stays over budget for {@code slowTimeoutMs} is closed with 4008, and one that
 * reaches {@code hardLimitBytes} (a reply that would not fit, say) is closed at once. Replies are
 * never dropped silently: they are written in order, or the session is closed. Touched only from
 * its event loop.
 */
final class ClientSession implements Subscriber {
  static final short CLOSE_SLOW_CONSUMER = 4008;
  static final short CLOSE_FLOODING = 4029;
  static final short CLOSE_GOING_AWAY = 1001;
  static final short CLOSE_JOIN_TIMEOUT = 4401;
  static final short CLOSE_ACCESS_REVOKED = 4403;
  /** The stage the session joined was deleted by the organiser: do not reconnect to it. */
  static final short CLOSE_STAGE_DELETED = 4404;
  /** The stage was reset after a rehearsal: reconnect and join again for a fresh snapshot. */
  static final short CLOSE_STAGE_RESET = 4205;
  /** After a close frame, how long a peer that reads nothing may keep the socket before it is cut. */
  private static final long CLOSE_GRACE_MS = 2_000;
  static final short CLOSE_TRY_AGAIN_LATER = 1013;

  private final ServerWebSocket ws;
  private final Vertx vertx;
  private final PlenumMetrics metrics;
  private final long slowTimeoutMs;
  private final long budgetBytes;
  private final long hardLimitBytes;
  private final FrameBatch batch;
  final RateLimiter limiter;
  final Map<String, StageRoom> rooms = new LinkedHashMap<>();
  private final Map<String, SharedFrame> pending = new LinkedHashMap<>();
  /** Lengths of the writes on their way; one listener for all of them (see {@link WrittenLengths}). */
  private final WrittenLengths writing = new WrittenLengths();
  private final FrameBatch.Completion onWritten = FrameBatch.completion(this::written);
  private Role role;
  String participantId;
  String token;
  /** The moderator access this session joined with, or null (organiser, audience). */
  String moderatorId;
  /** The client address this connection's limits count against (see {@link ClientAddress}). */
  String address;
  /** The participant whose connection count this session holds one of, or null. */
  private String participantSlot;
  private boolean holdingPushes;
  private long unsentBytes;
  private long heldBytes;
  private long slowTimer = -1;
  private long joinTimer = -1;
  private boolean hasJoined;
  private boolean closing;
  private boolean closed;
  /** Messages received and not yet answered; a graceful shutdown waits for their replies. */
  private int inFlight;
  private io.vertx.core.Promise<Void> idle;

  ClientSession(ServerWebSocket ws, Vertx vertx, PlenumMetrics metrics, RateLimiter limiter, long slowTimeoutMs,
                long budgetBytes, long hardLimitBytes, FrameBatch batch) {
    this.ws = ws;
    this.batch = batch;
    this.vertx = vertx;
    this.metrics = metrics;
    this.limiter = limiter;
    this.slowTimeoutMs = slowTimeoutMs;
    this.budgetBytes = budgetBytes;
    this.hardLimitBytes = hardLimitBytes;
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

  /** The link the last join came by (hall, stream or other). */
  org.plenum.stage.JoinSource source = org.plenum.stage.JoinSource.OTHER;

  @Override
  public org.plenum.stage.JoinSource source() {
    return source;
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
    return closed || closing;
  }

  /** Outgoing bytes not yet on the socket: written and unfinished, plus held pushes. */
  long outgoingBytes() {
    return unsentBytes + heldBytes;
  }

  /** Closes the session with 4401 unless it has joined a stage within {@code timeoutMs}. */
  void expectJoinWithin(long timeoutMs) {
    joinTimer = vertx.setTimer(timeoutMs, id -> {
      joinTimer = -1;
      if (!hasJoined) {
        close(CLOSE_JOIN_TIMEOUT, "join timeout");
      }
    });
  }

  /** The session has received its first {@code joined}: the join timeout no longer applies. */
  void joined() {
    hasJoined = true;
    if (joinTimer >= 0) {
      vertx.cancelTimer(joinTimer);
      joinTimer = -1;
    }
  }

  /**
   * Replies (ack, error, joined, pong, a page of posts) go out in order, counted like every other
   * frame; one that would take the session past the hard limit closes it instead.
   */
  void reply(JsonObject message) {
    if (isClosed()) {
      return;
    }
    SharedFrame frame = SharedFrame.of(message);
    if (outgoingBytes() + frame.length() > hardLimitBytes) {
      closeSlow();
      return;
    }
    send(frame);
    metrics.messageOut(frame.type(), 1);
    checkBudget();
  }

  @Override
  public void push(SharedFrame frame, String aggregate) {
    if (isClosed() || ws.isClosed()) {
      return; // closing: the close handler runs soon and releases the session
    }
    if (holdingPushes || unsentBytes >= budgetBytes || !pending.isEmpty()) {
      SharedFrame older = pending.remove(aggregate); // re-insert so delivery order follows the newest change
      if (older != null) {
        heldBytes -= older.length();
      }
      pending.put(aggregate, frame);
      heldBytes += frame.length();
      checkBudget();
      return;
    }
    send(frame);
    checkBudget();
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
    if (!isClosed() && !ws.isClosed()) {
      ws.writePing(Buffer.buffer());
    }
  }

  private void send(SharedFrame frame) {
    int length = frame.length();
    unsentBytes += length;
    writing.add(length);
    batch.write(ws, frame, onWritten);
  }

  /** The oldest write completed (or failed because the socket closed): its bytes no longer count. */
  private void written() {
    unsentBytes -= writing.takeOldest();
    if (unsentBytes < budgetBytes) {
      drain();
    }
  }

  private void drain() {
    if (isClosed() || ws.isClosed()) {
      return;
    }
    Iterator<SharedFrame> it = pending.values().iterator();
    while (it.hasNext() && !holdingPushes && unsentBytes < budgetBytes && !isClosed()) {
      SharedFrame next = it.next();
      it.remove();
      heldBytes -= next.length();
      send(next);
    }
    if (outgoingBytes() <= budgetBytes && slowTimer >= 0) {
      vertx.cancelTimer(slowTimer);
      slowTimer = -1;
    }
  }

  private void checkBudget() {
    long outgoing = outgoingBytes();
    if (outgoing > hardLimitBytes) {
      closeSlow();
    } else if (outgoing > budgetBytes) {
      startSlowTimer();
    }
  }

  private void startSlowTimer() {
    if (slowTimer >= 0) {
      return;
    }
    slowTimer = vertx.setTimer(slowTimeoutMs, id -> {
      slowTimer = -1;
      if (!isClosed() && !ws.isClosed() && outgoingBytes() > budgetBytes) {
        closeSlow();
      }
    });
  }

  private void closeSlow() {
    if (!isClosed()) {
      metrics.slowClientClosed();
      close(CLOSE_SLOW_CONSUMER, "slow consumer");
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

  /**
   * Sends a close frame and stops writing. A peer that reads nothing never sees that frame, so
   * the socket is cut after a short grace either way; held pushes are released at once.
   */
  void close(short code, String reason) {
    if (isClosed()) {
      return;
    }
    closing = true;
    pending.clear();
    heldBytes = 0;
    ws.close(code, reason);
    vertx.setTimer(CLOSE_GRACE_MS, id -> {
      if (!closed) {
        batch.cut(ws);
      }
    });
  }

  /** Called from the socket's close handler: releases everything this session holds. */
  void closed() {
    closed = true;
    if (idle != null) {
      idle.tryComplete(); // nothing more can be written
      idle = null;
    }
    pending.clear();
    heldBytes = 0;
    if (slowTimer >= 0) {
      vertx.cancelTimer(slowTimer);
      slowTimer = -1;
    }
    joined();
  }
}
