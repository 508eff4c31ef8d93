package org.plenum.engine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One long-lived, pipelined Redis connection per event loop.
 *
 * <p>Why not the client's pool: it lends a connection per command and takes it back only on the
 * reply, so at most pool-size commands are in flight, and every command hops to the loop that
 * opened the lent connection and back. Profiling the sustained load test (load-tests/README.md)
 * showed those hops and context switches, not Redis, as the limit of the redis engine. A
 * connection opened on a loop delivers its replies on that loop, and Redis answers the commands
 * of one connection in the order sent, so any number of them can share it.
 *
 * <p>A connection that ends, fails or lets a command time out is dropped (its commands fail with
 * {@link OutcomeUnknownException}: they may have run, and are safe to retry under the same action
 * id); the loop's next command opens a new one. So is one whose command failed without a reply from
 * Redis, or with READONLY (it reached a primary that was demoted by a failover): a new connection
 * asks the topology (cluster slots, Sentinel, the replication roles) afresh.
 *
 * <p>On a cluster the loop's connection is the Vert.x cluster connection: one socket per node,
 * each command sent to the node owning its first key (every command and script of the engine
 * declares its keys, all in one slot), so commands for one slot keep their order.
 */
final class RedisPipelines {
  private static final Logger LOG = Logger.getLogger(RedisPipelines.class.getName());
  /** Commands in flight on one connection before the client refuses more; a burst may be large. */
  private static final int MAX_IN_FLIGHT = 100_000;

  private final Vertx vertx;
  private final Redis client;
  private final long timeoutMs;
  private final ConcurrentMap<Thread, Future<RedisConnection>> byLoop = new ConcurrentHashMap<>();
  private volatile boolean closed;

  RedisPipelines(Vertx vertx, RedisTarget target, int connectTimeoutMs, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    RedisOptions options = target.options()
        // one connection per loop (on a cluster: one per loop and node), each held for good: the pool only has to have room for them
        .setMaxPoolSize(Math.max(64, 4 * Runtime.getRuntime().availableProcessors()))
        .setMaxPoolWaiting(1_000)
        .setMaxWaitingHandlers(MAX_IN_FLIGHT);
    options.getNetClientOptions().setConnectTimeout(connectTimeoutMs);
    this.client = Redis.createClient(vertx, options);
  }

  /** Whether the caller is on one of this Vert.x's event loops, where {@link #send} may be used. */
  boolean usable() {
    Context context = Vertx.currentContext();
    return !closed && context != null && context.owner() == vertx && Context.isOnEventLoopThread();
  }

  /**
   * Sends on the calling loop's connection; call only where {@link #usable()} holds. Fails with
   * {@link OutcomeUnknownException} when the command was handed to a connection but no reply came
   * (timeout, connection lost): Redis may have run it. Any other failure means it was not run.
   */
  Future<Response> send(Request request) {
    Thread loop = Thread.currentThread();
    Future<RedisConnection> connection = connection(loop);
    // Both flags are touched on this loop only. A connection that opens after the caller gave up
    // must not carry the command any more: the caller was told it was not sent.
    boolean[] handedOver = {false};
    boolean[] givenUp = {false};
    return connection.compose(c -> {
          if (givenUp[0]) {
            return Future.failedFuture(new IllegalStateException("not sent: the connection opened too late"));
          }
          handedOver[0] = true;
          return c.send(request);
        })
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(err -> {
          givenUp[0] = true;
          if (err instanceof java.util.concurrent.TimeoutException) {
            drop(loop, connection, "a command timed out after " + timeoutMs + " ms");
          } else if (handedOver[0] && isStale(err)) {
            drop(loop, connection, String.valueOf(err));
          }
          return Future.failedFuture(handedOver[0] ? OutcomeUnknownException.classify(err) : err);
        });
  }

  /**
   * Whether a failure says the connection no longer leads to the right primary: it was lost (no
   * Redis reply at all), or Redis answered READONLY. An ordinary error reply (NOSCRIPT, a script's
   * error) and a full waiting queue leave the connection in place.
   */
  private static boolean isStale(Throwable err) {
    String message = String.valueOf(err.getMessage());
    if (err instanceof Response reply && reply.type() == io.vertx.redis.client.ResponseType.ERROR) {
      return message.startsWith("READONLY") || message.startsWith("CONNECTION_CLOSED");
    }
    return !message.startsWith("Redis waiting queue is full");
  }

  private Future<RedisConnection> connection(Thread loop) {
    Future<RedisConnection> existing = byLoop.get(loop);
    if (existing != null) {
      return existing;
    }
    Promise<RedisConnection> opening = Promise.promise();
    Future<RedisConnection> future = opening.future();
    byLoop.put(loop, future);
    client.connect().onComplete(ar -> {
      if (ar.failed()) {
        byLoop.remove(loop, future);
        opening.fail(ar.cause());
        return;
      }
      RedisConnection c = ar.result();
      c.exceptionHandler(err -> drop(loop, future, String.valueOf(err)));
      c.endHandler(v -> drop(loop, future, "the connection ended"));
      if (closed) {
        c.close();
      }
      opening.complete(c);
    });
    return future;
  }

  private void drop(Thread loop, Future<RedisConnection> connection, String why) {
    if (byLoop.remove(loop, connection)) {
      if (!closed) {
        LOG.warning("dropping the Redis connection of " + loop.getName() + " (" + why + "); the next command opens a new one");
      }
      connection.onSuccess(RedisConnection::close);
    }
  }

  Future<Void> close() {
    closed = true;
    List<Future<?>> closing = new ArrayList<>();
    byLoop.forEach((loop, connection) -> {
      byLoop.remove(loop, connection);
      closing.add(connection.compose(RedisConnection::close).recover(err -> Future.succeededFuture()));
    });
    return Future.join(closing).eventually(client::close).mapEmpty();
  }
}
