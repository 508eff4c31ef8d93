package org.plenum.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster on loopback for tests: six {@code redis-server --cluster-enabled yes}
 * processes (no persistence, each in its own temp dir, see {@link RedisServerProcess}), joined by
 * {@code redis-cli --cluster create ... --cluster-replicas 1} into three primaries with one replica
 * each; {@link #start()} returns once every node reports {@code cluster_state:ok} and knows all six.
 * Faults: {@link #failover(int)} ({@code CLUSTER FAILOVER} on a replica: the safe, manual kind) and
 * {@link #kill(int)} (SIGKILL of a node; its replica takes over after the short node timeout).
 *
 * <p>Blocks the calling thread: use it from the JUnit thread, never from an event loop.
 */
public final class RedisClusterProcess implements AutoCloseable {
  private static final int NODES = 6;
  /** Short, so that a killed primary's replica takes over within seconds. */
  private static final int NODE_TIMEOUT_MS = 2_000;
  private static final long WAIT_MS = 30_000;

  private final List<RedisServerProcess> nodes = new ArrayList<>();

  private RedisClusterProcess() {}

  public static RedisClusterProcess start() {
    RedisClusterProcess cluster = new RedisClusterProcess();
    try {
      for (int i = 0; i < NODES; i++) {
        cluster.nodes.add(RedisServerProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT_MS)));
      }
      List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      cluster.nodes.forEach(n -> command.add("127.0.0.1:" + n.port()));
      command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
      }
      cluster.awaitHealthy();
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw new IllegalStateException("cannot start a Redis Cluster: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cluster.close();
      throw new IllegalStateException("interrupted while starting a Redis Cluster", e);
    }
  }

  /** Every node's address as the comma-separated {@code redisUrl} of redisMode=cluster. */
  public String urls() {
    return nodes.stream().map(n -> "redis://127.0.0.1:" + n.port()).collect(Collectors.joining(","));
  }

  public List<Integer> ports() {
    return nodes.stream().map(RedisServerProcess::port).toList();
  }

  /** The port of the primary that owns {@code key}'s slot, as the running nodes see it. */
  public int primaryOf(String key) {
    long slot = (Long) command(anyRunning(), "CLUSTER", "KEYSLOT", key);
    for (String[] node : clusterNodes(anyRunning())) {
      if (node[2].contains("master") && !node[2].contains("fail")) {
        for (int i = 8; i < node.length; i++) {
          String range = node[i];
          if (range.startsWith("[")) {
            continue; // a slot being migrated
          }
          String[] bounds = range.split("-");
          long from = Long.parseLong(bounds[0]);
          long to = Long.parseLong(bounds[bounds.length - 1]);
          if (slot >= from && slot <= to) {
            return port(node[1]);
          }
        }
      }
    }
    throw new IllegalStateException("no primary owns slot " + slot);
  }

  /** The port of a replica of the primary on {@code primaryPort}. */
  public int replicaOf(int primaryPort) {
    List<String[]> view = clusterNodes(primaryPort);
    String primaryId = view.stream().filter(n -> port(n[1]) == primaryPort).findFirst().orElseThrow()[0];
    return view.stream().filter(n -> n[3].equals(primaryId) && !n[2].contains("fail")).map(n -> port(n[1])).findFirst()
        .orElseThrow(() -> new IllegalStateException("the primary on " + primaryPort + " has no replica"));
  }

  /**
   * A manual failover: {@code CLUSTER FAILOVER} on the replica, which waits until it has the
   * primary's whole replication stream before taking over. Returns once every running node sees the
   * replica as the primary and the cluster is healthy again.
   */
  public void failover(int replicaPort) {
    Object reply = command(replicaPort, "CLUSTER", "FAILOVER");
    if (!"OK".equals(reply)) {
      throw new IllegalStateException("CLUSTER FAILOVER answered " + reply);
    }
    await("node " + replicaPort + " to become a primary everywhere", () -> running().allMatch(p -> clusterNodes(p).stream()
        .anyMatch(n -> port(n[1]) == replicaPort && n[2].contains("master"))));
    awaitHealthy();
  }

  /** SIGKILL of one node; its replica is promoted once the others have seen it fail. */
  public void kill(int port) {
    node(port).kill();
  }

  public RedisServerProcess node(int port) {
    return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
  }

  /** Waits until every running node reports {@code cluster_state:ok}. */
  public void awaitHealthy() {
    await("cluster_state:ok on every node", () -> running().allMatch(p -> {
      String info = String.valueOf(command(p, "CLUSTER", "INFO"));
      return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + NODES);
    }));
  }

  /** Sends one command to the node on {@code port} and returns its reply: String, Long, List or null; an error throws. */
  public static Object command(int port, String... args) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new IllegalStateException("no reply from port " + port + ": " + e, e);
    }
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IllegalStateException(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] data = in.readNBytes(length);
        line(in);
        return new String(data, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read(in));
        }
        return items;
      }
      default:
        throw new IOException("unexpected RESP type " + (char) type);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\r') {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      bytes.write(b);
    }
    in.read();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** CLUSTER NODES as split lines: id, host:port@cport, flags, primary id or -, ..., slot ranges from index 8. */
  private static List<String[]> clusterNodes(int port) {
    return String.valueOf(command(port, "CLUSTER", "NODES")).lines().filter(l -> !l.isBlank()).map(l -> l.split(" ")).toList();
  }

  private static int port(String address) {
    String hostPort = address.split("@")[0];
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private java.util.stream.Stream<Integer> running() {
    return nodes.stream().filter(RedisServerProcess::isRunning).map(RedisServerProcess::port);
  }

  private int anyRunning() {
    Optional<Integer> port = running().findFirst();
    return port.orElseThrow(() -> new IllegalStateException("no node is running"));
  }

  /** Polls {@code condition} every 50 ms on a scheduler thread until it holds; the caller waits on a future. */
  public static void await(String what, BooleanSupplier condition) {
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.ScheduledExecutorService poller = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      poller.scheduleWithFixedDelay(() -> {
        try {
          if (condition.getAsBoolean()) {
            done.complete(null);
          }
        } catch (RuntimeException notYet) {
          // a node still starting or failing over answers an error: ask again
        }
      }, 0, 50, TimeUnit.MILLISECONDS);
      done.get(WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out waiting for " + what);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("failed waiting for " + what, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
    } finally {
      poller.shutdownNow();
    }
  }

  @Override
  public void close() {
    nodes.forEach(RedisServerProcess::close);
    nodes.clear();
  }
}
