package org.plenum.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} on a free loopback port, for tests (there is no Docker here). No
 * persistence ({@code --save "" --appendonly no}); its working directory is a fresh temp dir that is
 * deleted on {@link #close()}. {@link #stop()} and {@link #start()} may be used to simulate an
 * outage: the server comes back on the same port, empty (unless started with persistence, e.g.
 * {@code --appendonly yes}, in which case it reloads its files from the same directory). Faults:
 * {@link #pause()} / {@link #resume()} (SIGSTOP / SIGCONT: connections stay open, nothing is
 * answered) and {@link #kill()} (SIGKILL: no shutdown, whatever was not on disk is gone).
 *
 * <p>Blocks the calling thread while starting and stopping: call it from the JUnit thread
 * ({@code @BeforeAll} / {@code @AfterAll}), never from an event loop.
 */
public final class RedisServerProcess implements AutoCloseable {
  private static final long START_TIMEOUT_MS = 10_000;

  private final int port;
  private final Path dir;
  private final List<String> extraArgs;
  private Process process;

  private RedisServerProcess(int port, Path dir, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** Starts a server on a free port and returns once it answers PING. */
  public static RedisServerProcess start(String... extraArgs) {
    try {
      RedisServerProcess server = new RedisServerProcess(freePort(), Files.createTempDirectory("plenum-redis-"),
          List.of(extraArgs));
      server.launch();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare a redis-server: " + e, e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts the server again on the same port (after {@link #stop()}); returns once it answers PING. */
  public void restart() {
    if (isRunning()) {
      throw new IllegalStateException("redis-server on port " + port + " is already running");
    }
    launch();
  }

  /** SIGSTOP: the process keeps its sockets (connects still succeed) but answers nothing until {@link #resume()}. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}: Redis runs whatever its clients sent meanwhile. */
  public void resume() {
    signal("CONT");
  }

  /** SIGKILL, and waits until the process is gone: a crash, nothing flushed on the way out. */
  public void kill() {
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void signal(String name) {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException("redis-server on port " + port + " is not running");
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + p.pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling redis-server", e);
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits until it has exited. */
  public void stop() {
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }

  private void launch() {
    List<String> command = new java.util.ArrayList<>(List.of("redis-server",
        "--save", "", "--appendonly", "no", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--dir", dir.toString()));
    command.addAll(extraArgs); // later arguments override the defaults above
    Path log = dir.resolve("redis.log");
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run redis-server (" + e.getMessage() + "). The Redis engine tests need "
          + "a local Redis binary; run: apt-get install -y redis-server", e);
    }
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (!answersPing()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port
            + ":\n" + readLog(log));
      }
      if (System.currentTimeMillis() > deadline) {
        stop();
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within "
            + START_TIMEOUT_MS + " ms:\n" + readLog(log));
      }
      try {
        Thread.sleep(20); // the JUnit thread polls a starting process; no event loop is involved
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for redis-server", e);
      }
    }
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[7];
      int n = in.readNBytes(reply, 0, reply.length);
      return new String(reply, 0, n, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException notYet) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static String readLog(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
