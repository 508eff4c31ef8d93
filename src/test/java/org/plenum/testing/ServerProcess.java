package org.plenum.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Plenum node in a child JVM (memory engine on a data directory), for faults a test cannot
 * inflict on a server in its own JVM: {@code kill -9}, and a file-size limit ({@code ulimit -f},
 * under which writes fail with EFBIG as on a full disk). Started through {@code bash -c} so the
 * limit applies to the server alone; its output is kept for the failure message.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final StringBuffer output = new StringBuffer();

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
    Thread drain = new Thread(() -> drain(process.getInputStream()), "server-process-output");
    drain.setDaemon(true);
    drain.start();
  }

  /**
   * @param fileSizeLimitKib the largest file the server may write, in KiB ({@code ulimit -f}); 0 = none
   */
  public static ServerProcess start(Path dataDir, long fileSizeLimitKib, Map<String, String> extraEnv) throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-XX:-UsePerfData", "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), "org.plenum.Main"));
    String limit = fileSizeLimitKib > 0 ? "ulimit -f " + fileSizeLimitKib + "; " : "";
    List<String> shell = new ArrayList<>(List.of("bash", "-c", limit + "exec \"$@\"", "plenum"));
    shell.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(shell);
    Map<String, String> env = builder.environment();
    env.put("PLENUM_HTTP_PORT", String.valueOf(port));
    env.put("PLENUM_HTTP_HOST", "127.0.0.1");
    env.put("PLENUM_DATA_DIR", dataDir.toString());
    env.put("PLENUM_INSTANCES", "1");
    env.put("PLENUM_ORGANISER_TOKEN", TestServer.ORGANISER_TOKEN);
    env.put("PLENUM_SHUTDOWN_GRACE_MS", "500");
    env.put("PLENUM_LIMIT_VOTE", "1000/1s");
    env.put("PLENUM_LIMIT_REACTION", "1000/1s");
    env.put("PLENUM_RATE_LIMIT_PER_SECOND", "1000");
    env.put("PLENUM_RATE_LIMIT_BURST", "1000");
    env.putAll(extraEnv);
    builder.redirectErrorStream(true);
    return new ServerProcess(builder.start(), port);
  }

  public int port() {
    return port;
  }

  public String output() {
    return output.toString();
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
        promise.tryFail("the server exited with " + process.exitValue() + ":\n" + output);
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
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private void drain(InputStream in) {
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException ignored) {
      // the process is gone
    }
  }
}
