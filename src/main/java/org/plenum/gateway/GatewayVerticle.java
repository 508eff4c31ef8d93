package org.plenum.gateway;

import io.netty.channel.ChannelHandlerContext;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.plenum.config.PlenumConfig;
import org.plenum.engine.Change;
import org.plenum.engine.Engine;
import org.plenum.hub.Hub;
import org.plenum.hub.ReadModels;
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
 * {@link Hub} for the sessions it accepted, fed by the node's {@link ReadModels} (one per stage,
 * shared by every instance).
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
  private final ReadModels readModels;
  /** The port asked for: the configured one, or the node's shared random port (negative, see PlenumServer). */
  private final int listenPort;
  private final Set<ClientSession> sessions = new HashSet<>();
  private Hub hub;
  private FrameBatch batch;
  private StageActions actions;
  private QuizActions quiz;
  private HttpServer server;
  private MessageConsumer<Change> changes;
  private long limitsTimer;
  /** Shutting down: new connections and new actions are refused, in-flight ones get their replies. */
  private boolean draining;
  private OriginPolicy origins;
  private RequestHeadTimeout heads;

  public GatewayVerticle(PlenumConfig config, Engine engine, PlenumMetrics metrics, ParticipantTokens tokens,
                         Supplier<Router> routes, int index, NodeLimits limits, ReadModels readModels,
                         int listenPort) {
    this.limits = limits;
    this.listenPort = listenPort;
    this.readModels = readModels;
    this.config = config;
    this.engine = engine;
    this.metrics = metrics;
    this.tokens = tokens;
    this.routes = routes;
    this.index = index;
  }

  @Override
  public Future<?> start() {
    hub = new Hub(vertx, readModels, metrics);
    batch = new FrameBatch(context);
    hub.start(config.gateway().keepAliveMs());
    // one sweep per node is enough: the limits are shared by every gateway of the node
    limitsTimer = index == 0 ? vertx.setPeriodic(10_000, id -> limits.sweep(System.nanoTime())) : -1;
    actions = new StageActions(engine, hub, tokens, metrics, config, limits);
    quiz = new QuizActions(engine, actions, limits);
    changes = vertx.eventBus().localConsumer(Change.ADDRESS, message -> changed(message.body()));
    origins = new OriginPolicy(config.allowedOrigins(), config.publicUrl());
    heads = new RequestHeadTimeout(vertx, config.gateway().requestHeaderTimeoutMs());
    Router router = routes.get();
    server = vertx.createHttpServer(new HttpServerOptions()
            .setMaxWebSocketFrameSize(HARD_FRAME_LIMIT)
            .setMaxWebSocketMessageSize(HARD_FRAME_LIMIT)
            .setCompressionSupported(true)
            // HTTP/1.1 only: with h2c detection on, Vert.x announces a connection only once its
            // first request is complete, too late for the request head timeout
            .setHttp2ClearTextEnabled(false)
            // nothing read for this long (a WebSocket answers the server's pings): the connection goes
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            .setIdleTimeout(0)
            .setReadIdleTimeout(config.gateway().idleTimeoutMs()))
        .connectionHandler(heads::opened)
        .webSocketHandshakeHandler(this::handshake)
        .webSocketHandler(this::connected)
        .requestHandler(request -> {
          heads.arrived(request.remoteAddress());
          request.response().endHandler(v -> heads.awaitNext(request.remoteAddress()));
          router.handle(request);
        });
    return changes.completion().compose(v -> server.listen(listenPort, config.httpHost()));
  }

  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Graceful stop: refuse new connections and actions (actions get the retryable
   * {@code unavailable}), wait up to {@code graceMs} until every session's in-flight actions have
   * their replies written, then close each session with 1001 (its acks go out before the close
   * frame), and let the HTTP server finish its requests in what is left of the grace period.
   */
  public Future<Void> shutdown(long graceMs) {
    return vertx.getOrCreateContext().equals(context) ? doShutdown(graceMs) : Future.<Void>future(p ->
        context.runOnContext(v -> doShutdown(graceMs).onComplete(p)));
  }

  private Future<Void> doShutdown(long graceMs) {
    draining = true;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs);
    List<Future<Void>> closing = new ArrayList<>();
    for (ClientSession s : new ArrayList<>(sessions)) {
      closing.add(closeWhenAnswered(s, graceMs));
    }
    return Future.join(closing).transform(x -> server.shutdown(
        Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS));
  }

  /** Closes with 1001 once the session's in-flight actions are answered, or when the grace period ends. */
  private Future<Void> closeWhenAnswered(ClientSession session, long graceMs) {
    return session.whenAnswered()
        .timeout(Math.max(1, graceMs), TimeUnit.MILLISECONDS)
        .otherwise(err -> {
          LOG.warning("a session still had unanswered actions after the shutdown grace period; closing it anyway");
          return null;
        })
        .andThen(x -> session.close(ClientSession.CLOSE_GOING_AWAY, "server shutting down"));
  }

  @Override
  public Future<?> stop() {
    Future<Void> hubStopped = hub.stop();
    if (limitsTimer >= 0) {
      vertx.cancelTimer(limitsTimer);
    }
    return Future.join(hubStopped, changes.unregister());
  }

  /** A change announced by the engine: revocations end sessions here, everything else is the hub's. */
  private void changed(Change change) {
    if (change.kind() == Change.Kind.MODERATOR) {
      for (ClientSession s : new ArrayList<>(sessions)) {
        if (change.id().equals(s.moderatorId)) {
          s.close(ClientSession.CLOSE_ACCESS_REVOKED, "access revoked");
        }
      }
      return;
    }
    if (change.kind() == Change.Kind.STAGE_DELETED || change.kind() == Change.Kind.STAGE_RESET) {
      boolean deleted = change.kind() == Change.Kind.STAGE_DELETED;
      for (ClientSession s : new ArrayList<>(sessions)) {
        if (s.rooms.containsKey(change.stageId())) {
          s.close(deleted ? ClientSession.CLOSE_STAGE_DELETED : ClientSession.CLOSE_STAGE_RESET,
              deleted ? "stage deleted" : "stage reset: join again");
        }
      }
    }
    hub.onChange(change);
  }

  private void handshake(ServerWebSocketHandshake handshake) {
    heads.arrived(handshake.remoteAddress());
    if (!"/ws".equals(handshake.path())) {
      handshake.reject(404);
      return;
    }
    if (draining) {
      handshake.reject(503);
      return;
    }
    if (!origins.allows(handshake.headers().get("Origin"), handshake.scheme(), handshake.headers())) {
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
    ChannelHandlerContext channel = VertxChannels.channelOf(ws);
    if (channel != null) {
      FrameGuard.install(channel);
    }
    ClientSession session = new ClientSession(ws, vertx, metrics,
        new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), System.nanoTime()),
        config.slowClientTimeoutMs(), config.writeQueueMaxBytes(), config.gateway().writeQueueHardLimitBytes(), batch);
    session.address = address;
    ws.setWriteQueueMaxSize(config.writeQueueMaxBytes());
    session.expectJoinWithin(config.gateway().joinTimeoutMs());
    sessions.add(session);
    ws.textMessageHandler(text -> received(session, text));
    ws.binaryMessageHandler(bytes -> refuse(session, null,
        new PlenumException(ErrorCode.BAD_JSON, "Binary frames are not part of the protocol; send JSON text.")));
    ws.exceptionHandler(err -> LOG.log(Level.FINE, "websocket error", err));
    // No ws.shutdownHandler: doShutdown closes every session itself once its actions are answered, and
    // in Vert.x 5.1 a handler set there also runs for ws.close(code), which then no longer closes.
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
    if (session.isClosed()) {
      return; // closing: a client that does not read gets no more answers
    }
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
    if (draining && !(message instanceof ClientMessage.Ping)) {
      refuse(session, message.id(), new PlenumException(ErrorCode.UNAVAILABLE,
          "The server is shutting down; reconnect and resend with the same id."));
      return;
    }
    session.accepted();
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
        } else if (refusal.code() == ErrorCode.OUTCOME_UNKNOWN) {
          actions.outcomeUnknown(session, message.id());
        }
        refuse(session, message.id(), refusal);
      }
      session.answered();
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
    if (message instanceof ClientMessage.Posts page) {
      return actions.posts(session, page);
    }
    if (message instanceof ClientMessage.SurveyAnswers answers) {
      return actions.survey(session, answers);
    }
    if (message instanceof ClientMessage.Answer answer) {
      return actions.answer(session, answer);
    }
    if (message instanceof ClientMessage.Nickname nickname) {
      return quiz.nickname(session, nickname);
    }
    if (message instanceof ClientMessage.Standing standing) {
      return quiz.standing(session, standing);
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
