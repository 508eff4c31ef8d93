package org.plenum.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real Plenum server as a child process ({@code java org.plenum.Main} on the test class path),
 * for tests that need a real signal (SIGTERM, SIGKILL). Its output is kept line by line; start
 * returns once it logged {@code plenum.started}. Blocks the calling (JUnit) thread, never an event loop.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<Void> exited = new CompletableFuture<>();

  private ServerProcess(Map<String, String> env, int port) throws IOException {
    this.port = port;
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.plenum.Main")
        .redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("PLENUM_"));
    builder.environment().putAll(env);
    builder.environment().put("PLENUM_HTTP_PORT", String.valueOf(port));
    builder.environment().put("PLENUM_HTTP_HOST", "127.0.0.1");
    process = builder.start();
    Thread reader = new Thread(this::readOutput, "plenum-child-output-" + port);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts a server with {@link TestServer}'s settings plus {@code overrides} on a free port. */
  public static ServerProcess start(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("PLENUM_ORGANISER_TOKEN", TestServer.ORGANISER_TOKEN);
    env.put("PLENUM_MODERATOR_TICK_MS", "20");
    env.put("PLENUM_VIEWER_TICK_MS", "100");
    for (String kind : List.of("POST", "WORD", "VOTE", "UPVOTE", "REACTION")) {
      env.put("PLENUM_LIMIT_" + kind, "1000/1s");
    }
    env.putAll(overrides);
    try {
      ServerProcess server = new ServerProcess(env, freePort());
      try {
        CompletableFuture.anyOf(server.started, server.exited).get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        server.process.destroyForcibly();
        throw new IllegalStateException("the server did not start within 60 s:\n" + String.join("\n", server.output), e);
      }
      if (!server.started.isDone()) {
        throw new IllegalStateException("the server exited while starting:\n" + String.join("\n", server.output));
      }
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a server process: " + e, e);
    }
  }

  public int port() {
    return port;
  }

  /** Everything the process printed so far. */
  public List<String> output() {
    return List.copyOf(output);
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
        throw new AssertionError("the server did not exit within " + seconds + " s:\n" + String.join("\n", output));
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
