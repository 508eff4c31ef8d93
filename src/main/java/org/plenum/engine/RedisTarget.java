package org.plenum.engine;

import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import java.net.URI;
import java.util.List;
import org.plenum.config.RedisMode;

/**
 * Where the Redis engine's Redis is and how to reach it: the mode, its endpoints and (Sentinel) the
 * master name. Builds the Vert.x client options for each of the engine's clients, so the command
 * pool, the pipelined per-loop connections and the subscribers all follow the same topology.
 *
 * <p>Cluster: the client reads the slot map with CLUSTER SLOTS from the seeds, routes each command
 * by its first key, follows MOVED (and refreshes its map at once) and ASK, retries TRYAGAIN and
 * CLUSTERDOWN with a back-off, and re-reads the map every {@link #TOPOLOGY_TTL_MS} anyway, so a
 * failover is picked up within about a second even when no MOVED told it. Sentinel: the client asks
 * the Sentinels for the current primary; with auto-failover it also listens for +switch-master.
 */
record RedisTarget(RedisMode mode, List<String> endpoints, String masterName) {
  /** How long the cluster client trusts its slot map (and the Sentinel client its topology). */
  static final long TOPOLOGY_TTL_MS = 1_000;

  RedisTarget {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no Redis endpoint");
    }
  }

  static RedisTarget standalone(String url) {
    return new RedisTarget(RedisMode.STANDALONE, List.of(url), "mymaster");
  }

  boolean cluster() {
    return mode == RedisMode.CLUSTER;
  }

  /** Client options for this topology; the caller adds pool sizes and timeouts. */
  RedisOptions options() {
    RedisOptions options = new RedisOptions();
    endpoints.forEach(options::addConnectionString);
    switch (mode) {
      case STANDALONE -> options.setType(RedisClientType.STANDALONE);
      case CLUSTER -> options.setType(RedisClientType.CLUSTER)
          .setUseReplicas(RedisReplicas.NEVER)
          .setTopologyCacheTTL(TOPOLOGY_TTL_MS);
      case SENTINEL -> options.setType(RedisClientType.SENTINEL)
          .setMasterName(masterName)
          .setRole(RedisRole.MASTER)
          .setAutoFailover(true)
          .setTopologyCacheTTL(TOPOLOGY_TTL_MS);
      case REPLICATION -> options.setType(RedisClientType.REPLICATION)
          .setUseReplicas(RedisReplicas.NEVER)
          .setTopologyCacheTTL(TOPOLOGY_TTL_MS);
    }
    return options;
  }

  /**
   * A connection string for one cluster node at {@code hostAndPort}, with the scheme and credentials
   * of the first seed (cluster nodes share them).
   */
  String node(String host, int port) {
    URI seed = URI.create(endpoints.get(0));
    String userInfo = seed.getRawUserInfo() == null ? "" : seed.getRawUserInfo() + "@";
    String h = host == null || host.isEmpty() ? seed.getHost() : host.contains(":") ? "[" + host + "]" : host;
    return seed.getScheme() + "://" + userInfo + h + ":" + port;
  }
}
