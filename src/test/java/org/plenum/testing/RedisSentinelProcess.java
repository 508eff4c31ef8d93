package org.plenum.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A primary, one replica and one Sentinel watching them as {@code mymaster}, all real processes on
 * loopback, for tests of redisMode=sentinel. {@link #failover()} is {@code SENTINEL FAILOVER}: the
 * manual kind, where the replica takes over once it has the primary's whole stream.
 *
 * <p>Blocks the calling thread: use it from the JUnit thread, never from an event loop.
 */
public final class RedisSentinelProcess implements AutoCloseable {
  public static final String MASTER_NAME = "mymaster";

  private final RedisServerProcess primary;
  private final RedisServerProcess replica;
  private final int sentinelPort;
  private final Path dir;
  private Process sentinel;

  private RedisSentinelProcess(RedisServerProcess primary, RedisServerProcess replica, int sentinelPort, Path dir) {
    this.primary = primary;
    this.replica = replica;
    this.sentinelPort = sentinelPort;
    this.dir = dir;
  }

  public static RedisSentinelProcess start() {
    RedisServerProcess primary = RedisServerProcess.start();
    RedisServerProcess replica = RedisServerProcess.start("--replicaof", "127.0.0.1", String.valueOf(primary.port()));
    try {
      Path dir = Files.createTempDirectory("plenum-sentinel-");
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(conf, String.join("\n",
          "port " + port, "bind 127.0.0.1", "dir " + dir,
          "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + primary.port() + " 1",
          "sentinel down-after-milliseconds " + MASTER_NAME + " 2000",
          "sentinel failover-timeout " + MASTER_NAME + " 10000", ""));
      RedisSentinelProcess set = new RedisSentinelProcess(primary, replica, port, dir);
      set.sentinel = new ProcessBuilder("redis-server", conf.toString(), "--sentinel").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sentinel.log").toFile())).start();
      RedisClusterProcess.await("the replica to be in sync", () ->
          String.valueOf(RedisClusterProcess.command(replica.port(), "INFO", "replication")).contains("master_link_status:up"));
      RedisClusterProcess.await("the Sentinel to know the primary and its replica", () -> {
        List<?> replicas = (List<?>) RedisClusterProcess.command(port, "SENTINEL", "REPLICAS", MASTER_NAME);
        return replicas != null && !replicas.isEmpty();
      });
      return set;
    } catch (IOException | RuntimeException e) {
      primary.close();
      replica.close();
      throw new IllegalStateException("cannot start a Sentinel set: " + e, e);
    }
  }

  /** The Sentinel's address: the {@code redisUrl} of redisMode=sentinel. */
  public String url() {
    return "redis://127.0.0.1:" + sentinelPort;
  }

  /** The port of the server the Sentinel names as primary now. */
  public int primaryPort() {
    List<?> address = (List<?>) RedisClusterProcess.command(sentinelPort, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
    return Integer.parseInt((String) address.get(1));
  }

  public int replicaPort() {
    return primaryPort() == primary.port() ? replica.port() : primary.port();
  }

  /**
   * SENTINEL FAILOVER; returns once the former replica is the primary the Sentinel names and says so
   * itself, and the former primary has been turned into its replica. SENTINEL FAILOVER is not
   * coordinated with the old primary: until the Sentinel reconfigures it (some seconds later) it
   * still accepts writes, which are lost when it becomes a replica.
   */
  public void failover() {
    int previous = primaryPort();
    int next = replicaPort();
    RedisClusterProcess.command(sentinelPort, "SENTINEL", "FAILOVER", MASTER_NAME);
    RedisClusterProcess.await("the Sentinel to promote " + next, () -> primaryPort() == next
        && String.valueOf(RedisClusterProcess.command(next, "INFO", "replication")).contains("role:master"));
    RedisClusterProcess.await("the Sentinel to demote " + previous, () ->
        String.valueOf(RedisClusterProcess.command(previous, "INFO", "replication")).contains("role:slave"));
  }

  @Override
  public void close() {
    if (sentinel != null) {
      sentinel.destroy();
      try {
        if (!sentinel.waitFor(10, TimeUnit.SECONDS)) {
          sentinel.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    primary.close();
    replica.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }
}
