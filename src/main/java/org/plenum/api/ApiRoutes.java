package org.plenum.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.plenum.config.PlenumConfig;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.protocol.Wire;
import org.plenum.stage.Event;
import org.plenum.stage.Poll;
import org.plenum.stage.PollKind;
import org.plenum.stage.PollSpec;
import org.plenum.stage.Stage;

/** The HTTP surface: REST API v1, OpenAPI document, health, metrics and the web client. */
public final class ApiRoutes {
  private static final Logger LOG = Logger.getLogger(ApiRoutes.class.getName());
  static final int MAX_BODY = 65536;

  private final Vertx vertx;
  private final PlenumConfig config;
  private final Catalog catalog;
  private final PlenumMetrics metrics;
  private final byte[] organiserToken;
  private final Buffer openApi;

  public ApiRoutes(Vertx vertx, PlenumConfig config, Catalog catalog, PlenumMetrics metrics, Buffer openApi) {
    this.vertx = vertx;
    this.config = config;
    this.catalog = catalog;
    this.metrics = metrics;
    this.organiserToken = config.organiserToken().getBytes(StandardCharsets.UTF_8);
    this.openApi = openApi;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
    router.get("/api/v1/openapi.json").handler(this::openApi);
    router.post("/api/v1/events").handler(this::organiser).handler(this::createEvent);
    router.get("/api/v1/events").handler(this::listEvents);
    router.get("/api/v1/events/:eventId").handler(this::getEvent);
    router.post("/api/v1/events/:eventId/stages").handler(this::organiser).handler(this::createStage);
    router.get("/api/v1/stages/:stageId").handler(this::getStage);
    router.get("/api/v1/join/:code").handler(this::getStageByCode);
    router.post("/api/v1/stages/:stageId/polls").handler(this::organiser).handler(this::createPoll);
    router.get("/api/v1/stages/:stageId/polls").handler(this::listPolls);
    router.get("/api/v1/stages/:stageId/polls/:pollId").handler(this::getPoll);
    router.post("/api/v1/stages/:stageId/polls/:pollId/open").handler(this::organiser).handler(ctx -> lifecycle(ctx, p -> p.open(Instant.now())));
    router.post("/api/v1/stages/:stageId/polls/:pollId/close").handler(this::organiser).handler(ctx -> lifecycle(ctx, p -> p.close(Instant.now())));
    router.post("/api/v1/stages/:stageId/polls/:pollId/reveal").handler(this::organiser).handler(ctx -> lifecycle(ctx, p -> p.withResultsVisible(true)));
    router.post("/api/v1/stages/:stageId/polls/:pollId/hide").handler(this::organiser).handler(ctx -> lifecycle(ctx, p -> p.withResultsVisible(false)));
    router.route("/api/*").handler(ctx -> fail(ctx, new PlenumException(ErrorCode.NOT_FOUND, "No such API endpoint: " + ctx.request().method() + " " + ctx.request().path())));
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
    router.route("/api/*").failureHandler(this::failure);
    router.route().handler(webClient());
    return router;
  }

  private StaticHandler webClient() {
    StaticHandler handler = config.webRoot().isEmpty()
        ? StaticHandler.create("webroot")
        : StaticHandler.create(FileSystemAccess.ROOT, new java.io.File(config.webRoot()).getAbsolutePath());
    // a web root on disk is a development copy: do not let browsers cache it
    return handler.setCachingEnabled(config.webRoot().isEmpty()).setIndexPage("index.html");
  }

  // ---- handlers --------------------------------------------------------------------------

  private void openApi(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(openApi);
  }

  private void createEvent(RoutingContext ctx) {
    JsonObject body = body(ctx);
    reply(ctx, 201, catalog.createEvent(body.getString("name")).map(e -> eventJson(e, List.of())));
  }

  private void listEvents(RoutingContext ctx) {
    reply(ctx, 200, catalog.engine().events().compose(events -> {
      List<Future<JsonObject>> withStages = new ArrayList<>();
      for (Event e : events) {
        withStages.add(catalog.engine().stages(e.id()).map(stages -> eventJson(e, stages)));
      }
      return Future.all(withStages).map(all -> new JsonArray(new ArrayList<>(all.list())));
    }));
  }

  private void getEvent(RoutingContext ctx) {
    reply(ctx, 200, catalog.event(ctx.pathParam("eventId"))
        .compose(e -> catalog.engine().stages(e.id()).map(stages -> eventJson(e, stages))));
  }

  private void createStage(RoutingContext ctx) {
    JsonObject body = body(ctx);
    reply(ctx, 201, catalog.createStage(ctx.pathParam("eventId"), requireString(body, "name")).map(Wire::stage));
  }

  private void getStage(RoutingContext ctx) {
    reply(ctx, 200, catalog.stage(ctx.pathParam("stageId")).map(Wire::stage));
  }

  private void getStageByCode(RoutingContext ctx) {
    reply(ctx, 200, catalog.stageByCode(ctx.pathParam("code")).map(Wire::stage));
  }

  private void createPoll(RoutingContext ctx) {
    PollSpec spec = pollSpec(body(ctx));
    reply(ctx, 201, catalog.createPoll(ctx.pathParam("stageId"), spec).compose(p -> withResults(p, true)));
  }

  private void listPolls(RoutingContext ctx) {
    boolean organiser = isOrganiser(ctx);
    reply(ctx, 200, catalog.polls(ctx.pathParam("stageId")).compose(polls -> {
      List<Future<JsonObject>> out = new ArrayList<>();
      for (Poll p : polls) {
        if (organiser || p.isPublic()) {
          out.add(withResults(p, organiser));
        }
      }
      return Future.all(out).map(all -> new JsonArray(new ArrayList<>(all.list())));
    }));
  }

  private void getPoll(RoutingContext ctx) {
    boolean organiser = isOrganiser(ctx);
    reply(ctx, 200, catalog.poll(ctx.pathParam("stageId"), ctx.pathParam("pollId")).compose(p -> {
      if (!organiser && !p.isPublic()) {
        return Future.failedFuture(new PlenumException(ErrorCode.UNKNOWN_POLL, "No poll " + p.id() + " on stage " + p.stageId() + "."));
      }
      return withResults(p, organiser);
    }));
  }

  private void lifecycle(RoutingContext ctx, java.util.function.UnaryOperator<Poll> step) {
    reply(ctx, 200, catalog.change(ctx.pathParam("stageId"), ctx.pathParam("pollId"), step).compose(p -> withResults(p, true)));
  }

  private void ready(RoutingContext ctx) {
    boolean ready = catalog.engine().isReady();
    json(ctx, ready ? 200 : 503, new JsonObject().put("status", ready ? "UP" : "DOWN").put("engine", catalog.engine().name()));
  }

  // ---- helpers ---------------------------------------------------------------------------

  private Future<JsonObject> withResults(Poll p, boolean organiser) {
    if (!organiser && !p.resultsVisible()) {
      return Future.succeededFuture(Wire.pollWithResults(p, null));
    }
    return catalog.results(p).map(r -> Wire.pollWithResults(p, r));
  }

  private static JsonObject eventJson(Event e, List<Stage> stages) {
    JsonArray list = new JsonArray();
    stages.forEach(s -> list.add(Wire.stage(s)));
    return Wire.event(e).put("stages", list);
  }

  private static PollSpec pollSpec(JsonObject body) {
    PollKind kind = PollKind.parse(requireString(body, "kind"));
    List<String> options = null;
    Object raw = body.getValue("options");
    if (raw != null) {
      if (!(raw instanceof JsonArray array)) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, "options: must be an array of labels");
      }
      options = new ArrayList<>();
      for (Object o : array) {
        if (!(o instanceof String s)) {
          throw new PlenumException(ErrorCode.INVALID_FIELD, "options: every label must be a string");
        }
        options.add(s);
      }
    }
    return new PollSpec(kind, requireString(body, "question"), options, optionalInt(body, "maxSelections"),
        optionalInt(body, "scale"), optionalBoolean(body, "resultsVisible"), optionalBoolean(body, "open"));
  }

  private static String requireString(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, field + ": required");
    }
    if (!(v instanceof String s)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": must be a string");
    }
    return s;
  }

  private static Integer optionalInt(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": must be a whole number");
    }
    long n = ((Number) v).longValue();
    if (n < -1000 || n > 1000) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": out of range");
    }
    return (int) n;
  }

  private static boolean optionalBoolean(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": must be true or false");
    }
    return b;
  }

  private static JsonObject body(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      throw new PlenumException(ErrorCode.BAD_JSON, "The request needs a JSON object body.");
    }
    try {
      return new JsonObject(raw);
    } catch (DecodeException | ClassCastException e) {
      throw new PlenumException(ErrorCode.BAD_JSON, "The body is not a JSON object.");
    }
  }

  private void organiser(RoutingContext ctx) {
    if (isOrganiser(ctx)) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"plenum\"");
      fail(ctx, new PlenumException(ErrorCode.UNAUTHORIZED, "This needs the organiser token: Authorization: Bearer <token>."));
    }
  }

  private boolean isOrganiser(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(organiserToken, header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
  }

  private static void reply(RoutingContext ctx, int status, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        Object value = ar.result();
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(value instanceof JsonArray a ? a.toBuffer() : ((JsonObject) value).toBuffer());
      } else {
        fail(ctx, ar.cause());
      }
    });
  }

  private void failure(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      fail(ctx, new PlenumException(ErrorCode.BODY_TOO_LARGE, "Request bodies are limited to " + MAX_BODY + " bytes."));
    } else {
      fail(ctx, ctx.failure() == null ? new PlenumException(ErrorCode.INTERNAL, "HTTP " + ctx.statusCode()) : ctx.failure());
    }
  }

  static void fail(RoutingContext ctx, Throwable err) {
    PlenumException e;
    if (err instanceof PlenumException p) {
      e = p;
    } else {
      LOG.log(Level.WARNING, "request failed: " + ctx.request().method() + " " + ctx.request().path(), err);
      e = new PlenumException(ErrorCode.UNAVAILABLE, "The server could not complete this right now; retry.");
    }
    if (ctx.response().ended()) {
      return;
    }
    json(ctx, e.code().httpStatus(), new JsonObject().put("error",
        new JsonObject().put("code", e.code().wire()).put("message", e.getMessage())));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
