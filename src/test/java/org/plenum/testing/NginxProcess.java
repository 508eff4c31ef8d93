package org.plenum.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx for tests, run as the current user without touching /etc or /var: its prefix, pid
 * file, logs and temp directories are in one directory of the test's, and it stays in the
 * foreground ({@code daemon off}) so the test owns the process. The site configuration under test
 * goes into the http context as it is. Blocks the calling (JUnit) thread while starting and
 * stopping, never an event loop.
 */
public final class NginxProcess implements AutoCloseable {
  private final Process process;
  private final Path dir;

  private NginxProcess(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /** The nginx binary on the PATH or Debian's /usr/sbin/nginx (not on a normal user's PATH). */
  public static Optional<Path> binary() {
    return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")), Stream.of("/usr/sbin"))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, "nginx"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Writes {@code site} (http-context directives: upstreams, maps, servers) beside a main
   * configuration of the test's, checks it with {@code nginx -t} and starts nginx; returns once
   * every port in {@code ports} accepts connections.
   */
  public static NginxProcess start(Path dir, String site, List<Integer> ports) {
    Path nginx = binary().orElseThrow(() -> new IllegalStateException("nginx is not installed"));
    try {
      Files.writeString(dir.resolve("site.conf"), site);
      for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
        Files.createDirectories(dir.resolve("temp").resolve(temp));
      }
      String main = String.join("\n",
          "daemon off;",
          "worker_processes 1;",
          // as root the workers would switch to nobody, who cannot read the test's 0700 temp dir
          "root".equals(System.getProperty("user.name")) ? "user root;" : "",
          "pid " + dir.resolve("nginx.pid") + ";",
          "error_log " + dir.resolve("error.log") + " info;",
          "events { worker_connections 1024; }",
          "http {",
          "  access_log " + dir.resolve("access.log") + ";",
          "  client_body_temp_path " + dir.resolve("temp/client_body") + ";",
          "  proxy_temp_path " + dir.resolve("temp/proxy") + ";",
          "  fastcgi_temp_path " + dir.resolve("temp/fastcgi") + ";",
          "  uwsgi_temp_path " + dir.resolve("temp/uwsgi") + ";",
          "  scgi_temp_path " + dir.resolve("temp/scgi") + ";",
          "  include " + dir.resolve("site.conf") + ";",
          "}", "");
      Files.writeString(dir.resolve("nginx.conf"), main);
      List<String> command = List.of(nginx.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
          "-e", dir.resolve("error.log").toString());
      Path checkLog = dir.resolve("nginx-t.log");
      Process check = new ProcessBuilder(Stream.concat(command.stream(), Stream.of("-t")).toList())
          .redirectErrorStream(true).redirectOutput(checkLog.toFile()).start();
      if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
        throw new IllegalStateException("nginx -t refused the configuration:\n" + Files.readString(checkLog)
            + "\n--- site.conf ---\n" + site);
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("nginx.out").toFile()).start();
      NginxProcess started = new NginxProcess(process, dir);
      started.awaitListening(ports);
      return started;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run nginx: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting nginx", e);
    }
  }

  private void awaitListening(List<Integer> ports) {
    try {
      retry(() -> !process.isAlive() || ports.stream().allMatch(NginxProcess::accepts), 500).get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("nginx did not listen on " + ports + " within 20 s:\n" + log(), e);
    }
    if (!process.isAlive()) {
      throw new IllegalStateException("nginx exited with " + process.exitValue() + ":\n" + log());
    }
  }

  /** Checks every 20 ms on a delayed executor (no sleeping thread) until {@code done} holds. */
  private static CompletableFuture<Void> retry(java.util.function.BooleanSupplier done, int attemptsLeft) {
    return CompletableFuture.supplyAsync(done::getAsBoolean, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS))
        .thenCompose(ok -> ok || attemptsLeft <= 0 ? CompletableFuture.completedFuture(null) : retry(done, attemptsLeft - 1));
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** nginx's error log and output so far, for failure messages. */
  public String log() {
    StringBuilder out = new StringBuilder();
    for (String name : List.of("nginx.out", "error.log", "access.log")) {
      try {
        out.append("--- ").append(name).append(" ---\n").append(Files.readString(dir.resolve(name)));
      } catch (IOException e) {
        out.append("(no ").append(name).append(")\n");
      }
    }
    return out.toString();
  }

  /** SIGTERM (nginx's fast shutdown), then waits; SIGKILL if it does not exit within 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
