package org.plenum.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real Plenum server in a child JVM ({@code org.plenum.Main} on the test class path), for faults
 * a test cannot inflict on a server in its own JVM: a real signal (SIGTERM, {@code kill -9}) and a
 * file-size limit ({@code ulimit -f}, under which writes fail with EFBIG as on a full disk). Started
 * through {@code bash -c} so such a limit applies to the server alone. Its output is kept line by
 * line for assertions and failure messages.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<Void> exited = new CompletableFuture<>();

  private ServerProcess(Map<String, String> env, long fileSizeLimitKib, int port) throws IOException {
    this.port = port;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String limit = fileSizeLimitKib > 0 ? "ulimit -f " + fileSizeLimitKib + "; " : "";
    List<String> command = new ArrayList<>(List.of("bash", "-c", limit + "exec \"$@\"", "plenum",
        java, "-XX:-UsePerfData", "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.plenum.Main"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("PLENUM_"));
    builder.environment().putAll(env);
    builder.environment().put("PLENUM_HTTP_PORT", String.valueOf(port));
    builder.environment().put("PLENUM_HTTP_HOST", "127.0.0.1");
    process = builder.start();
    Thread reader = new Thread(this::readOutput, "plenum-child-output-" + port);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts a server with {@link TestServer}'s token, fast ticks and raised per-participant limits,
   * plus {@code overrides}, on a free port; returns once it logged {@code plenum.started}. Blocks
   * the calling (JUnit) thread, never an event loop.
   */
  public static ServerProcess start(Map<String, String> overrides) {
    Map<String, String> env = baseEnv();
    env.put("PLENUM_MODERATOR_TICK_MS", "20");
    env.put("PLENUM_VIEWER_TICK_MS", "100");
    env.putAll(overrides);
    ServerProcess server = launch(env, 0);
    try {
      CompletableFuture.anyOf(server.started, server.exited).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.process.destroyForcibly();
      throw new IllegalStateException("the server did not start within 60 s:\n" + server.outputText(), e);
    }
    if (!server.started.isDone()) {
      throw new IllegalStateException("the server exited while starting:\n" + server.outputText());
    }
    return server;
  }

  /**
   * Starts a one-loop memory-engine server on {@code dataDir} without waiting; see {@link #ready}.
   *
   * @param fileSizeLimitKib the largest file the server may write, in KiB ({@code ulimit -f}); 0 = none
   */
  public static ServerProcess start(Path dataDir, long fileSizeLimitKib, Map<String, String> extraEnv) {
    Map<String, String> env = baseEnv();
    env.put("PLENUM_DATA_DIR", dataDir.toString());
    env.put("PLENUM_INSTANCES", "1");
    env.put("PLENUM_SHUTDOWN_GRACE_MS", "500");
    env.put("PLENUM_RATE_LIMIT_PER_SECOND", "1000");
    env.put("PLENUM_RATE_LIMIT_BURST", "1000");
    env.putAll(extraEnv);
    return launch(env, fileSizeLimitKib);
  }

  private static Map<String, String> baseEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("PLENUM_ORGANISER_TOKEN", TestServer.ORGANISER_TOKEN);
    for (String kind : List.of("POST", "WORD", "VOTE", "UPVOTE", "REACTION")) {
      env.put("PLENUM_LIMIT_" + kind, "1000/1s");
    }
    return env;
  }

  private static ServerProcess launch(Map<String, String> env, long fileSizeLimitKib) {
    try {
      return new ServerProcess(env, fileSizeLimitKib, freePort());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a server process: " + e, e);
    }
  }

  public int port() {
    return port;
  }

  /** Everything the process printed so far, line by line. */
  public List<String> output() {
    return List.copyOf(output);
  }

  /** Everything the process printed so far, as one text (for failure messages). */
  public String outputText() {
    return String.join("\n", output);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Completes once {@code /health/ready} answers 200 (checked every 50 ms); fails if the process exits. */
  public Future<Void> ready(Vertx vertx) {
    Http http = new Http(vertx, port, TestServer.ORGANISER_TOKEN);
    Promise<Void> promise = Promise.promise();
    vertx.setPeriodic(50, 50, id -> {
      if (!process.isAlive()) {
        vertx.cancelTimer(id);
        promise.tryFail("the server exited with " + process.exitValue() + ":\n" + outputText());
        return;
      }
      http.getAnonymous("/health/ready").onSuccess(r -> {
        if (r.status() == 200 && promise.tryComplete()) {
          vertx.cancelTimer(id);
        }
      });
    });
    return promise.future();
  }

  /** SIGTERM, as an orchestrator stops a server; does not wait. */
  public void terminate() {
    // through the handle: Process.destroy() would also close our end of its output
    process.toHandle().destroy();
  }

  /** Waits until the process has exited and its output is read; returns its exit code. */
  public int awaitExit(long seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the server did not exit within " + seconds + " s:\n" + outputText());
      }
      exited.get(10, TimeUnit.SECONDS);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (Exception e) {
      throw new AssertionError("the server's output did not end", e);
    }
  }

  /** Sends {@code kill -9} without waiting for the process to be gone (safe on an event loop). */
  public void killNow() {
    process.destroyForcibly();
  }

  /** {@code kill -9}: no shutdown hook, no flush, nothing; waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        output.add(line);
        if (line.contains("\"event\":\"plenum.started\"")) {
          started.complete(null);
        }
      }
    } catch (IOException ignored) {
      // the process is gone; what it printed is kept
    } finally {
      exited.complete(null);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
