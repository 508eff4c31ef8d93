package org.plenum.config;

import java.util.Locale;

/**
 * How the Redis engine reaches Redis: one server, a Redis Cluster, a primary found through
 * Sentinel, or a primary with replicas listed by hand. Each maps onto the Vert.x Redis client's own
 * client type, which follows slot moves (cluster) and failovers (sentinel) itself.
 */
public enum RedisMode {
  /** One server at {@code redisUrl}. */
  STANDALONE,
  /** A Redis Cluster; {@code redisUrl} lists seed nodes, the client learns the rest. */
  CLUSTER,
  /** {@code redisUrl} lists Sentinels; they name the primary of {@code redisMasterName}. */
  SENTINEL,
  /** {@code redisUrl} lists a primary and its replicas; writes go to whichever is the primary. */
  REPLICATION;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode of a setting's text, or null if it names none. */
  public static RedisMode parse(String text) {
    for (RedisMode mode : values()) {
      if (mode.wire().equals(text.strip().toLowerCase(Locale.ROOT))) {
        return mode;
      }
    }
    return null;
  }
}
