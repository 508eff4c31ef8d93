package org.plenum;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.plenum.api.Demo;
import org.plenum.config.ConfigException;
import org.plenum.config.ConfigLoader;
import org.plenum.config.PlenumConfig;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.stage.Event;

/** {@code java -jar plenum.jar [--setting value ...]}: loads the configuration and runs one node. */
public final class Main {

  static {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s %5$s%6$s%n");
  }

  /** Created after the format above is set: the console handler reads it once. */
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(ConfigLoader.help());
      return;
    }
    PlenumConfig loaded;
    try {
      loaded = ConfigLoader.load(System.getenv(), args);
    } catch (ConfigException e) {
      System.err.println("plenum: " + e.getMessage());
      System.exit(2);
      return;
    }
    PlenumConfig config = OrganiserTokenFile.keep(loaded);
    PlenumMetrics metrics = new PlenumMetrics();
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setPreferNativeTransport(config.gateway().nativeTransport())
            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(metrics.meterRegistry()))
        .build();
    PlenumServer server;
    try {
      server = PlenumServer.start(vertx, config, metrics).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("plenum: could not start: " + cause.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, vertx, config), "plenum-shutdown"));
    LOG.info(new JsonObject().put("event", "plenum.started").put("version", version()).put("engine", config.engine().name().toLowerCase())
        .put("port", server.port()).put("node", config.nodeId()).put("instances", config.instances())
        .put("transport", transport(vertx, config))
        .put("dataDir", config.dataDir()).encode());
    if (config.organiserTokenGenerated()) {
      System.out.println("Organiser token: " + config.organiserToken() + "  (generated; "
          + (config.dataDir().isEmpty() || config.engine() != org.plenum.config.EngineKind.MEMORY
              ? "valid for this run only; set PLENUM_ORGANISER_TOKEN to keep one)"
              : "kept in " + OrganiserTokenFile.path(config) + "; set PLENUM_ORGANISER_TOKEN to choose one)"));
    }
    if (config.demo()) {
      Event demo = Demo.ensure(server.catalog()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      printLinks(server, config.withHttpPort(server.port()), demo);
    }
  }

  /** Which network transport runs, and why not the native one when it was asked for and did not load. */
  private static String transport(Vertx vertx, PlenumConfig config) {
    if (vertx.isNativeTransportEnabled()) {
      return "native";
    }
    Throwable why = vertx.unavailableNativeTransportCause();
    return config.gateway().nativeTransport() && why != null ? "nio (native unavailable: " + why.getMessage() + ")" : "nio";
  }

  private static void printLinks(PlenumServer server, PlenumConfig config, Event event) throws Exception {
    String base = config.baseUrl();
    List<org.plenum.stage.Stage> stages = server.engine().stages(event.id()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    StringBuilder out = new StringBuilder("\nPlenum is running: " + event.name() + "\n");
    out.append("  Audience (pick a stage): ").append(base).append("/?event=").append(event.id()).append('\n');
    out.append("  Moderator dashboard: ").append(base).append("/moderator.html?event=").append(event.id())
        .append("#token=").append(config.organiserToken()).append('\n');
    out.append("  Organiser console:   ").append(base).append("/organiser.html#token=").append(config.organiserToken()).append('\n');
    for (org.plenum.stage.Stage s : stages) {
      out.append("  ").append(s.name()).append(" (code ").append(s.code()).append(")\n");
      out.append("    viewer:    ").append(base).append("/?code=").append(s.code()).append('\n');
      out.append("    projector: ").append(base).append("/projector.html?stage=").append(s.id()).append('\n');
      out.append("    overlay:   ").append(base).append("/overlay.html?stage=").append(s.id()).append("&show=poll\n");
    }
    System.out.println(out);
  }

  /** On SIGTERM: stop accepting, close sessions with 1001, finish writes, flush the engine. */
  private static void stop(PlenumServer server, Vertx vertx, PlenumConfig config) {
    // straight to stdout: java.util.logging resets its handlers in its own shutdown hook
    lifecycle(new JsonObject().put("event", "plenum.stopping"));
    CompletableFuture<Void> done = server.stop().eventually(vertx::close).toCompletionStage().toCompletableFuture();
    try {
      done.get(config.shutdownGraceMs() + 10_000L, TimeUnit.MILLISECONDS);
      lifecycle(new JsonObject().put("event", "plenum.stopped"));
    } catch (Exception e) {
      System.err.println("plenum: shutdown did not finish cleanly: " + e);
    }
  }

  /**
   * A shutdown step as one structured line in the log format, written straight to stdout: the
   * logger cannot be used here, java.util.logging resets its handlers in its own shutdown hook.
   */
  private static void lifecycle(JsonObject event) {
    System.out.println(org.plenum.stage.Times.now() + " INFO org.plenum.Main " + event.encode());
    System.out.flush();
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
