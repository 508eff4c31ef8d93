package org.plenum.config;

/**
 * What one connection may cost the server: its outgoing bytes, the size of the snapshot a join
 * buys, and how long it may hold a socket without doing its part.
 *
 * @param writeQueueHardLimitBytes outgoing bytes not yet on the socket at which a session is closed at once
 * @param joinPostsLimit           posts in a {@code joined} snapshot and in one page of older posts
 * @param requestHeaderTimeoutMs   time a new connection has to send a complete request head
 * @param idleTimeoutMs            time a connection may stay silent (the server pings WebSockets at a third of it)
 * @param joinTimeoutMs            time a WebSocket has to join a stage
 * @param nativeTransport          use Netty's native epoll transport where it loads (Linux x86-64), else Java NIO
 */
public record GatewayLimits(int writeQueueHardLimitBytes, int joinPostsLimit, int requestHeaderTimeoutMs,
                            int idleTimeoutMs, int joinTimeoutMs, boolean nativeTransport) {

  /** Limits as before the transport could be chosen (NIO). */
  public GatewayLimits(int writeQueueHardLimitBytes, int joinPostsLimit, int requestHeaderTimeoutMs,
                       int idleTimeoutMs, int joinTimeoutMs) {
    this(writeQueueHardLimitBytes, joinPostsLimit, requestHeaderTimeoutMs, idleTimeoutMs, joinTimeoutMs, false);
  }

  /** How often the server pings a WebSocket: well inside the idle timeout, at most every 30 s. */
  public long keepAliveMs() {
    return Math.min(30_000, idleTimeoutMs / 3);
  }
}
