package org.plenum.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Load generator for Plenum. Exit codes: 0 pass, 1 the run failed its checks, 2 bad options or
 * a non-loopback target, 3 the server could not be set up for the run, 4 the hard time cap hit.
 */
public final class LoadMain {

  private LoadMain() {
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("plenum-load: " + e.getMessage());
      System.err.println(Options.usage());
      return 2;
    }
    if (o.help) {
      System.out.println(Options.usage());
      return 0;
    }
    try {
      for (java.net.URI u : o.urls) {
        Loopback.requireLoopbackHost(u.getHost());
      }
    } catch (IllegalArgumentException e) {
      System.err.println("plenum-load: " + e.getMessage());
      return 2;
    }

    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(o.eventLoops)
        .setWorkerPoolSize(2).setBlockedThreadCheckInterval(5000)).build();
    Harness h = new Harness(vertx, o, mapper);
    startWatchdog(h);
    String startedAt = Instant.now().toString();
    System.out.printf("plenum-load: scenario %s against %s%s for at most %d s%n", o.scenario,
        o.urls.size() == 1 ? o.url : o.urls.size() + " nodes " + o.urls,
        o.parts > 1 ? " as part " + o.part + "/" + o.parts : "", o.durationSeconds);

    String setupFailure = null;
    try {
      int ready = h.awaitSetup(h.rest.health("/health/ready"));
      if (ready != 200) {
        throw new IllegalStateException("GET /health/ready answered " + ready);
      }
      h.initConnector();
      System.out.println("plenum-load: connecting from " + h.notes().get("sourceAddresses"));
      h.startSampler();
      Scenarios.run(h);
    } catch (Exception e) {
      setupFailure = Harness.reason(e);
      System.err.println("plenum-load: " + setupFailure);
    } finally {
      h.m.endPhase();
      h.shutdown();
    }

    ObjectNode report = Report.build(h, startedAt, Instant.now().toString(), setupFailure);
    System.out.println();
    System.out.print(Report.render(report));
    if (o.reportPath != null) {
      try {
        Path p = Path.of(o.reportPath);
        if (p.toAbsolutePath().getParent() != null) {
          Files.createDirectories(p.toAbsolutePath().getParent());
        }
        Files.writeString(p, mapper.writeValueAsString(report));
        System.out.println("report written to " + p);
      } catch (IOException e) {
        System.err.println("plenum-load: cannot write report: " + e.getMessage());
      }
    }
    try {
      vertx.close().await(3, TimeUnit.SECONDS);
    } catch (Exception e) {
      // exiting anyway
    }
    if (setupFailure != null) {
      return 3;
    }
    return "PASS".equals(report.path("result").asText()) ? 0 : 1;
  }

  /** The hard cap: whatever hangs, the process ends shortly after --duration. */
  private static void startWatchdog(Harness h) {
    Thread t = new Thread(() -> {
      long until = h.hardDeadlineNanos + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < until) {
        try {
          Thread.sleep(Math.max(1, Math.min(1000, (until - System.nanoTime()) / 1_000_000)));
        } catch (InterruptedException e) {
          return;
        }
      }
      System.err.println("plenum-load: hard time cap exceeded, halting");
      Runtime.getRuntime().halt(4);
    }, "plenum-load-watchdog");
    t.setDaemon(true);
    t.start();
  }
}
