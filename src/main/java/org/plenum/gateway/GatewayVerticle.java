package org.plenum.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.plenum.config.PlenumConfig;
import org.plenum.engine.Change;
import org.plenum.engine.Engine;
import org.plenum.hub.Hub;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.ClientCodec;
import org.plenum.protocol.ClientMessage;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.protocol.ServerMessages;
import org.plenum.stage.TextShape;

/**
 * One event loop's front door: the HTTP server (REST, web client, health, metrics through the
 * router) and the WebSocket gateway at /ws. Several instances share the port; each owns a
 * {@link Hub} for the sessions it accepted.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(GatewayVerticle.class.getName());
  /** Frames above this are refused by the WebSocket layer itself (close 1009). */
  static final int HARD_FRAME_LIMIT = 65536;

  private final PlenumConfig config;
  private final Engine engine;
  private final PlenumMetrics metrics;
  private final ParticipantTokens tokens;
  private final Supplier<Router> routes;
  private final int index;
  private final NodeLimits limits;
  private final Set<ClientSession> sessions = new HashSet<>();
  private Hub hub;
  private FrameBatch batch;
  private StageActions actions;
  private HttpServer server;
  private MessageConsumer<Change> changes;
  private long limitsTimer;

  public GatewayVerticle(PlenumConfig config, Engine engine, PlenumMetrics metrics, ParticipantTokens tokens,
                         Supplier<Router> routes, int index, NodeLimits limits) {
    this.limits = limits;
    this.config = config;
    this.engine = engine;
    this.metrics = metrics;
    this.tokens = tokens;
    this.routes = routes;
    this.index = index;
  }

  @Override
  public Future<?> start() {
    hub = new Hub(vertx, engine, metrics, config.nodeId() + "/" + index, config.reactions());
    batch = new FrameBatch(context);
    hub.start(config.moderatorTickMs(), config.viewerTickMs());
    // one sweep per node is enough: the limits are shared by every gateway of the node
    limitsTimer = index == 0 ? vertx.setPeriodic(10_000, id -> limits.sweep(System.nanoTime())) : -1;
    actions = new StageActions(engine, hub, tokens, metrics, config, limits);
    changes = vertx.eventBus().localConsumer(Change.ADDRESS, message -> hub.onChange(message.body()));
    server = vertx.createHttpServer(new HttpServerOptions()
            .setMaxWebSocketFrameSize(HARD_FRAME_LIMIT)
            .setMaxWebSocketMessageSize(HARD_FRAME_LIMIT)
            .setCompressionSupported(true)
            .setIdleTimeout(0))
        .webSocketHandshakeHandler(this::handshake)
        .webSocketHandler(this::connected)
        .requestHandler(routes.get());
    return changes.completion().compose(v -> server.listen(config.httpPort(), config.httpHost()));
  }

  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Graceful stop: stop accepting, tell every connected client (1001), give in-flight writes
   * {@code graceMs} to finish.
   */
  public Future<Void> shutdown(long graceMs) {
    return vertx.getOrCreateContext().equals(context) ? doShutdown(graceMs) : Future.<Void>future(p ->
        context.runOnContext(v -> doShutdown(graceMs).onComplete(p)));
  }

  private Future<Void> doShutdown(long graceMs) {
    for (ClientSession s : new ArrayList<>(sessions)) {
      s.close(ClientSession.CLOSE_GOING_AWAY, "server shutting down");
    }
    return server.shutdown(graceMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<?> stop() {
    hub.stop();
    if (limitsTimer >= 0) {
      vertx.cancelTimer(limitsTimer);
    }
    return changes.unregister();
  }

  private void handshake(ServerWebSocketHandshake handshake) {
    if (!"/ws".equals(handshake.path())) {
      handshake.reject(404);
      return;
    }
    String origin = handshake.headers().get("Origin");
    if (origin != null && !config.allowedOrigins().isEmpty() && !config.allowedOrigins().contains(origin)) {
      handshake.reject(403);
      return;
    }
    if (limits.connectionsByAddress.isFull(limits.addresses.of(handshake.remoteAddress(), handshake.headers()))) {
      metrics.error(ErrorCode.TOO_MANY_CONNECTIONS.wire());
      handshake.reject(429);
      return;
    }
    handshake.accept();
  }

  private void connected(ServerWebSocket ws) {
    String address = limits.addresses.of(ws.remoteAddress(), ws.headers());
    if (!limits.connectionsByAddress.tryOpen(address)) {
      // the handshake check raced another connection from the same address to the last slot
      metrics.error(ErrorCode.TOO_MANY_CONNECTIONS.wire());
      ws.close(ClientSession.CLOSE_TRY_AGAIN_LATER, "too many connections from your address");
      return;
    }
    ClientSession session = new ClientSession(ws, vertx, metrics,
        new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), System.nanoTime()),
        config.slowClientTimeoutMs(), batch);
    session.address = address;
    ws.setWriteQueueMaxSize(config.writeQueueMaxBytes());
    sessions.add(session);
    ws.textMessageHandler(text -> received(session, text));
    ws.binaryMessageHandler(bytes -> refuse(session, null,
        new PlenumException(ErrorCode.BAD_JSON, "Binary frames are not part of the protocol; send JSON text.")));
    ws.exceptionHandler(err -> LOG.log(Level.FINE, "websocket error", err));
    ws.shutdownHandler(v -> session.close(ClientSession.CLOSE_GOING_AWAY, "server shutting down"));
    ws.closeHandler(v -> {
      session.closed();
      limits.connectionsByAddress.close(address);
      session.releaseParticipantSlot(limits.connectionsByParticipant);
      sessions.remove(session);
      for (String stageId : session.rooms.keySet()) {
        hub.leave(stageId, session);
      }
      session.rooms.clear();
    });
  }

  private void received(ClientSession session, String text) {
    long retryAfter = session.limiter.tryAcquire(System.nanoTime());
    if (retryAfter > 0) {
      if (session.limiter.isFlooding()) {
        session.close(ClientSession.CLOSE_FLOODING, "flooding");
        return;
      }
      refuse(session, ClientCodecIds.peekId(text), new PlenumException(ErrorCode.RATE_LIMITED,
          "Too many messages; retry in " + retryAfter + " ms.", retryAfter));
      return;
    }
    if (text.length() > config.maxFrameBytes()
        || text.getBytes(StandardCharsets.UTF_8).length > config.maxFrameBytes()) {
      refuse(session, ClientCodecIds.peekId(text), new PlenumException(ErrorCode.FRAME_TOO_LARGE,
          "Frames are limited to " + config.maxFrameBytes() + " bytes."));
      return;
    }
    if (TextShape.hasLongCombiningRun(text)) {
      refuse(session, ClientCodecIds.peekId(text), new PlenumException(ErrorCode.INVALID_FIELD,
          "The frame has more than " + TextShape.MAX_COMBINING_RUN + " combining marks in a row; nothing was changed."));
      return;
    }
    ClientMessage message;
    try {
      message = ClientCodec.decode(text);
    } catch (ClientCodec.Refused e) {
      refuse(session, e.actionId(), e);
      return;
    }
    metrics.messageIn(typeOf(message));
    Future<JsonObject> reply;
    try {
      reply = dispatch(session, message);
    } catch (PlenumException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(result -> {
      if (result.succeeded()) {
        if (result.result() != null) {
          session.reply(result.result());
        }
      } else {
        Throwable err = result.cause();
        PlenumException refusal = err instanceof PlenumException p ? p
            : new PlenumException(ErrorCode.UNAVAILABLE, "The action could not be stored right now; retry with the same id.");
        if (!(err instanceof PlenumException)) {
          LOG.log(Level.WARNING, "engine failure on " + typeOf(message), err);
        }
        refuse(session, message.id(), refusal);
      }
    });
  }

  private Future<JsonObject> dispatch(ClientSession session, ClientMessage message) {
    if (message instanceof ClientMessage.Join join) {
      return actions.join(session, join);
    }
    if (message instanceof ClientMessage.Vote vote) {
      return actions.vote(session, vote);
    }
    if (message instanceof ClientMessage.Word word) {
      return actions.word(session, word);
    }
    if (message instanceof ClientMessage.Post post) {
      return actions.post(session, post);
    }
    if (message instanceof ClientMessage.Upvote upvote) {
      return actions.upvote(session, upvote);
    }
    if (message instanceof ClientMessage.Delete delete) {
      return actions.delete(session, delete);
    }
    if (message instanceof ClientMessage.React react) {
      return actions.react(session, react);
    }
    return Future.succeededFuture(ServerMessages.pong(message.id()));
  }

  private void refuse(ClientSession session, String id, PlenumException e) {
    metrics.error(e.code().wire());
    session.reply(ServerMessages.error(id, e));
  }

  /** The wire type of a message, for metrics: the record's name in lower case. */
  private static String typeOf(ClientMessage m) {
    return m.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
