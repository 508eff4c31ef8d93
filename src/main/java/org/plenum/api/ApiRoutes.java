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
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.plenum.config.PlenumConfig;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.protocol.Wire;
import org.plenum.stage.Event;
import org.plenum.stage.ModeratorAccess;
import org.plenum.stage.Presentation;
import org.plenum.stage.Poll;
import org.plenum.stage.PollKind;
import org.plenum.stage.PollSpec;
import org.plenum.stage.PollTimer;
import org.plenum.stage.Post;
import org.plenum.stage.PostState;
import org.plenum.stage.Stage;
import org.plenum.stage.Times;

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
  private final BooleanSupplier draining;
  /** The passcode of closed events on audience reads (issue 12). */
  private final ClosedEvents closedEvents;

  /**
   * @param draining true once the node shuts down: readiness fails first, so a load balancer
   *     stops sending new connections while the node finishes what it has
   */
  public ApiRoutes(Vertx vertx, PlenumConfig config, Catalog catalog, PlenumMetrics metrics, Buffer openApi,
                   BooleanSupplier draining, org.plenum.gateway.PasscodeAttempts passcodes) {
    this.closedEvents = new ClosedEvents(catalog, passcodes);
    this.vertx = vertx;
    this.draining = draining;
    this.config = config;
    this.catalog = catalog;
    this.metrics = metrics;
    this.organiserToken = config.organiserToken().getBytes(StandardCharsets.UTF_8);
    this.openApi = openApi;
  }

  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(SecurityHeaders::apply);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
    router.route("/api/*").handler(this::identify);
    router.route("/api/v1/stages/*").handler(this::stageScope);
    router.get("/api/v1/openapi.json").handler(this::openApi);
    router.post("/api/v1/events").handler(this::organiser).handler(this::createEvent);
    router.get("/api/v1/events").handler(this::listEvents);
    router.get("/api/v1/events/:eventId").handler(this::getEvent);
    router.post("/api/v1/events/:eventId/stages").handler(this::organiser).handler(this::createStage);
    router.get("/api/v1/stages/:stageId").handler(this::getStage);
    router.get("/api/v1/join/:code").handler(this::getStageByCode);
    router.post("/api/v1/stages/:stageId/polls").handler(this::moderator).handler(this::createPoll);
    router.get("/api/v1/stages/:stageId/polls").handler(this::listPolls);
    router.get("/api/v1/stages/:stageId/polls/:pollId").handler(this::getPoll);
    router.post("/api/v1/stages/:stageId/polls/:pollId/open").handler(this::moderator).handler(this::openPoll);
    router.post("/api/v1/stages/:stageId/polls/:pollId/timer").handler(this::moderator).handler(this::setTimer);
    router.post("/api/v1/stages/:stageId/polls/:pollId/close").handler(this::moderator).handler(ctx -> lifecycle(ctx, p -> p.close(Times.now())));
    router.post("/api/v1/stages/:stageId/polls/:pollId/reveal").handler(this::moderator).handler(ctx -> lifecycle(ctx, p -> p.withResultsVisible(true)));
    router.post("/api/v1/stages/:stageId/polls/:pollId/hide").handler(this::moderator).handler(ctx -> lifecycle(ctx, p -> p.withResultsVisible(false)));
    router.get("/api/v1/events/:eventId/blocklist").handler(this::organiser).handler(this::getBlocklist);
    router.put("/api/v1/events/:eventId/blocklist").handler(this::organiser).handler(this::setBlocklist);
    router.patch("/api/v1/stages/:stageId/settings").handler(this::moderator).handler(this::changeSettings);
    router.post("/api/v1/stages/:stageId/clouds").handler(this::moderator).handler(this::createCloud);
    router.get("/api/v1/stages/:stageId/clouds").handler(this::listClouds);
    router.get("/api/v1/stages/:stageId/clouds/:cloudId").handler(this::getCloud);
    router.post("/api/v1/stages/:stageId/clouds/:cloudId/open").handler(this::moderator).handler(ctx -> cloudStep(ctx, c -> c.open(Times.now())));
    router.post("/api/v1/stages/:stageId/clouds/:cloudId/close").handler(this::moderator).handler(ctx -> cloudStep(ctx, c -> c.close(Times.now())));
    router.post("/api/v1/stages/:stageId/clouds/:cloudId/reveal").handler(this::moderator).handler(ctx -> cloudStep(ctx, c -> c.withResultsVisible(true)));
    router.post("/api/v1/stages/:stageId/clouds/:cloudId/hide").handler(this::moderator).handler(ctx -> cloudStep(ctx, c -> c.withResultsVisible(false)));
    router.post("/api/v1/stages/:stageId/clouds/:cloudId/hide-word").handler(this::moderator).handler(this::hideWord);
    router.post("/api/v1/stages/:stageId/clouds/:cloudId/merge").handler(this::moderator).handler(this::mergeWords);
    router.get("/api/v1/stages/:stageId/posts").handler(this::listPosts);
    router.get("/api/v1/stages/:stageId/posts/:postId").handler(this::getPost);
    router.post("/api/v1/stages/:stageId/posts/:postId/approve").handler(this::moderator).handler(ctx -> moderate(ctx, Post::approve));
    router.post("/api/v1/stages/:stageId/posts/:postId/reject").handler(this::moderator).handler(ctx -> moderate(ctx, Post::reject));
    router.post("/api/v1/stages/:stageId/posts/:postId/answer").handler(this::moderator).handler(ctx -> moderate(ctx, p -> p.markAnswered(true)));
    router.post("/api/v1/stages/:stageId/posts/:postId/unanswer").handler(this::moderator).handler(ctx -> moderate(ctx, p -> p.markAnswered(false)));
    router.post("/api/v1/stages/:stageId/posts/:postId/pin").handler(this::moderator).handler(this::pin);
    router.post("/api/v1/stages/:stageId/posts/:postId/unpin").handler(this::moderator).handler(ctx -> moderate(ctx, p -> p.pin(false)));
    router.post("/api/v1/stages/:stageId/posts/:postId/edit").handler(this::moderator).handler(this::edit);
    router.post("/api/v1/stages/:stageId/posts/:postId/reply").handler(this::moderator).handler(this::reply);
    router.post("/api/v1/stages/:stageId/posts/:postId/mute-author").handler(this::moderator).handler(ctx -> muteAuthor(ctx, true));
    router.post("/api/v1/stages/:stageId/posts/:postId/unmute-author").handler(this::moderator).handler(ctx -> muteAuthor(ctx, false));
    router.post("/api/v1/stages/:stageId/posts/:postId/remove-author-votes").handler(this::moderator).handler(this::removeAuthorVotes);
    router.get("/api/v1/stages/:stageId/reactions").handler(this::reactions);
    router.get("/api/v1/stages/:stageId/presentation").handler(this::getPresentation);
    router.put("/api/v1/stages/:stageId/presentation").handler(this::moderator).handler(this::present);
    router.post("/api/v1/stages/:stageId/talks").handler(this::moderator).handler(this::createTalk);
    router.get("/api/v1/stages/:stageId/talks").handler(this::listTalks);
    router.put("/api/v1/stages/:stageId/talks/:talkId").handler(this::moderator).handler(this::replaceTalk);
    router.delete("/api/v1/stages/:stageId/talks/:talkId").handler(this::moderator).handler(this::deleteTalk);
    router.post("/api/v1/events/:eventId/moderators").handler(this::organiser).handler(this::createModerator);
    router.get("/api/v1/events/:eventId/moderators").handler(this::organiser).handler(this::listModerators);
    router.delete("/api/v1/events/:eventId/moderators/:moderatorId").handler(this::organiser).handler(this::deleteModerator);
    // organiser control (issue 8): edit, duplicate, reorder, delete, reset
    router.put("/api/v1/stages/:stageId/polls/:pollId").handler(this::moderator).handler(this::editPoll);
    router.post("/api/v1/stages/:stageId/polls/:pollId/duplicate").handler(this::moderator)
        .handler(ctx -> reply(ctx, 201, catalog.duplicatePoll(ctx.pathParam("stageId"), ctx.pathParam("pollId"))
            .compose(p -> withResults(p, true))));
    router.delete("/api/v1/stages/:stageId/polls/:pollId").handler(this::moderator)
        .handler(ctx -> noContent(ctx, catalog.deletePoll(ctx.pathParam("stageId"), ctx.pathParam("pollId"))));
    router.put("/api/v1/stages/:stageId/clouds/:cloudId").handler(this::moderator).handler(this::editCloud);
    router.post("/api/v1/stages/:stageId/clouds/:cloudId/duplicate").handler(this::moderator)
        .handler(ctx -> reply(ctx, 201, catalog.duplicateCloud(ctx.pathParam("stageId"), ctx.pathParam("cloudId"))
            .compose(c -> cloudWithResults(c, true))));
    router.delete("/api/v1/stages/:stageId/clouds/:cloudId").handler(this::moderator)
        .handler(ctx -> noContent(ctx, catalog.deleteCloud(ctx.pathParam("stageId"), ctx.pathParam("cloudId"))));
    router.put("/api/v1/stages/:stageId/order").handler(this::moderator).handler(this::reorder);
    router.patch("/api/v1/stages/:stageId").handler(this::organiser).handler(this::editStage);
    router.delete("/api/v1/stages/:stageId").handler(this::organiser)
        .handler(ctx -> noContent(ctx, catalog.deleteStage(ctx.pathParam("stageId"))));
    router.post("/api/v1/stages/:stageId/reset").handler(this::organiser)
        .handler(ctx -> noContent(ctx, catalog.resetStage(ctx.pathParam("stageId"))));
    router.patch("/api/v1/events/:eventId").handler(this::organiser).handler(this::editEvent);
    router.put("/api/v1/events/:eventId/order").handler(this::organiser).handler(this::reorderStages);
    router.delete("/api/v1/events/:eventId").handler(this::organiser)
        .handler(ctx -> noContent(ctx, catalog.deleteEvent(ctx.pathParam("eventId"), ctx.queryParams().get("confirm"))));
    // feedback surveys per talk (issue 12)
    SurveyRoutes surveys = new SurveyRoutes(catalog.engine());
    router.put("/api/v1/stages/:stageId/talks/:talkId/survey").handler(this::moderator).handler(surveys::define);
    router.post("/api/v1/stages/:stageId/talks/:talkId/survey/open").handler(this::moderator).handler(surveys::open);
    router.post("/api/v1/stages/:stageId/talks/:talkId/survey/close").handler(this::moderator).handler(surveys::close);
    router.get("/api/v1/stages/:stageId/talks/:talkId/survey").handler(ctx -> surveys.get(ctx, isOrganiser(ctx)));
    ExportRoutes exports = new ExportRoutes(vertx, catalog);
    router.get("/api/v1/events/:eventId/export").handler(this::exporter).handler(exports::event);
    router.get("/api/v1/stages/:stageId/export").handler(this::exporter).handler(exports::stage);
    router.get("/api/v1/stages/:stageId/talks/:talkId/export").handler(this::exporter).handler(exports::talk);
    router.route("/api/*").handler(ctx -> fail(ctx, new PlenumException(ErrorCode.NOT_FOUND, "No such API endpoint: " + ctx.request().method() + " " + ctx.request().path())));
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
    router.route("/api/*").failureHandler(this::failure);
    router.route().handler(ApiRoutes::cachePolicy);
    router.route().handler(webClient());
    return router;
  }

  /** Pages must be revalidated (they name the current asset files); hashed assets are immutable. */
  private static void cachePolicy(RoutingContext ctx) {
    if (!ctx.request().path().startsWith("/assets/")) {
      ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-cache"));
    }
    ctx.next();
  }

  private StaticHandler webClient() {
    StaticHandler handler = config.webRoot().isEmpty()
        ? StaticHandler.create("webroot")
        : StaticHandler.create(FileSystemAccess.ROOT, new java.io.File(config.webRoot()).getAbsolutePath());
    // a web root on disk is a development copy: do not let browsers cache it
    return handler.setCachingEnabled(config.webRoot().isEmpty()).setMaxAgeSeconds(365L * 24 * 3600)
        .setIndexPage("index.html");
  }

  // ---- handlers --------------------------------------------------------------------------

  private void openApi(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(openApi);
  }

  private void createEvent(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body.getValue("name") != null && !(body.getValue("name") instanceof String)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "name: must be a string"); // getString would turn {} into "{}"
    }
    String passcode = body.containsKey("passcode") ? optionalText(body, "passcode") : null;
    reply(ctx, 201, catalog.createEvent((String) body.getValue("name"), passcode).map(e -> eventJson(e, List.of(), true)));
  }

  private void listEvents(RoutingContext ctx) {
    Caller caller = caller(ctx);
    reply(ctx, 200, catalog.engine().events().compose(events -> {
      List<Future<JsonObject>> withStages = new ArrayList<>();
      for (Event e : events) {
        if (e.closed() && !caller.staffOf(e.id())) {
          withStages.add(Future.succeededFuture(eventJson(e, List.of(), false))); // a closed event's stages need its passcode
          continue;
        }
        withStages.add(catalog.engine().stages(e.id()).map(stages -> eventJson(e, stages, caller.organiser())));
      }
      return Future.all(withStages).map(all -> new JsonArray(new ArrayList<>(all.list())));
    }));
  }

  private void getEvent(RoutingContext ctx) {
    Caller caller = caller(ctx);
    reply(ctx, 200, catalog.event(ctx.pathParam("eventId"))
        .compose(e -> (caller.staffOf(e.id()) ? Future.<Void>succeededFuture() : closedEvents.admit(ctx, e))
            .compose(v -> catalog.engine().stages(e.id()).map(stages -> eventJson(e, stages, caller.organiser())))));
  }

  private void createStage(RoutingContext ctx) {
    JsonObject body = body(ctx);
    reply(ctx, 201, catalog.createStage(ctx.pathParam("eventId"), requireString(body, "name")).map(Wire::stage));
  }

  private void getStage(RoutingContext ctx) {
    reply(ctx, 200, catalog.stage(ctx.pathParam("stageId")).map(Wire::stage));
  }

  private void getStageByCode(RoutingContext ctx) {
    Caller caller = caller(ctx);
    reply(ctx, 200, catalog.stageByCode(ctx.pathParam("code")).compose(s -> closedEvents.admit(ctx, s.eventId(),
        caller.organiser(), caller.moderator() == null ? null : caller.moderator().eventId()).map(v -> Wire.stage(s))));
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

  /** Opens a poll; with {@code {"seconds": N}} its timer closes it N seconds from now (an open poll just gets the timer). */
  private void openPoll(RoutingContext ctx) {
    Long seconds = timerSeconds(optionalBody(ctx), "seconds");
    Instant now = Times.now();
    lifecycle(ctx, p -> seconds == null ? p.open(now) : p.openFor(now, seconds.intValue()));
  }

  /**
   * Sets, extends or clears an open poll's timer: {@code {"seconds": N}} closes it N seconds from
   * now, {@code {"seconds": null}} removes the timer, {@code {"addSeconds": N}} moves the deadline on.
   */
  private void setTimer(RoutingContext ctx) {
    JsonObject body = body(ctx);
    boolean set = body.containsKey("seconds");
    boolean add = body.containsKey("addSeconds");
    if (set == add) {
      throw new PlenumException(set ? ErrorCode.INVALID_FIELD : ErrorCode.MISSING_FIELD,
          "seconds or addSeconds: send exactly one (seconds " + PollTimer.MIN_SECONDS + "-" + PollTimer.MAX_SECONDS
              + " or null to clear; addSeconds 1-" + PollTimer.MAX_SECONDS + ")");
    }
    Instant now = Times.now();
    if (add) {
      Long extra = timerSeconds(body, "addSeconds");
      if (extra == null) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, "addSeconds: a whole number of seconds, 1-" + PollTimer.MAX_SECONDS);
      }
      lifecycle(ctx, p -> p.withClosesAt(PollTimer.extended(p, now, extra)));
      return;
    }
    Long seconds = timerSeconds(body, "seconds");
    if (seconds != null) {
      PollTimer.deadline(now, seconds); // a bad value is refused before the poll is even read
    }
    lifecycle(ctx, p -> p.withClosesAt(seconds == null ? null : PollTimer.deadline(now, seconds)));
  }

  /** A timer length in whole seconds, null if absent or null; range-checked by {@link PollTimer}. */
  private static Long timerSeconds(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": a whole number of seconds ("
          + PollTimer.MIN_SECONDS + "-" + PollTimer.MAX_SECONDS + ")");
    }
    long n = ((Number) v).longValue();
    if (field.equals("seconds")) {
      PollTimer.deadline(Instant.EPOCH, n); // refuses out-of-range values with the range in the message
    }
    return n;
  }

  private static JsonObject optionalBody(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    return raw == null || raw.length() == 0 ? new JsonObject() : body(ctx);
  }

  private void lifecycle(RoutingContext ctx, java.util.function.UnaryOperator<Poll> step) {
    reply(ctx, 200, catalog.change(ctx.pathParam("stageId"), ctx.pathParam("pollId"), step).compose(p -> withResults(p, true)));
  }

  private void getBlocklist(RoutingContext ctx) {
    reply(ctx, 200, catalog.event(ctx.pathParam("eventId")).map(e -> new JsonObject()
        .put("words", new JsonArray(new ArrayList<>(e.blockedWords())))
        .put("defaults", new JsonArray(new ArrayList<>(org.plenum.stage.Blocklist.DEFAULTS)))));
  }

  private void setBlocklist(RoutingContext ctx) {
    List<String> words = stringList(body(ctx), "words");
    reply(ctx, 200, catalog.setBlockedWords(ctx.pathParam("eventId"), words).map(e -> new JsonObject()
        .put("words", new JsonArray(new ArrayList<>(e.blockedWords())))
        .put("defaults", new JsonArray(new ArrayList<>(org.plenum.stage.Blocklist.DEFAULTS)))));
  }

  private void changeSettings(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Boolean anonymous = optionalFlag(body, "anonymousQuestions");
    Boolean questions = optionalFlag(body, "questionModeration");
    Boolean comments = optionalFlag(body, "commentModeration");
    reply(ctx, 200, catalog.changeSettings(ctx.pathParam("stageId"), s -> new org.plenum.stage.StageSettings(
        anonymous == null ? s.anonymousQuestions() : anonymous,
        questions == null ? s.questionModeration() : questions,
        comments == null ? s.commentModeration() : comments)).map(Wire::stage));
  }

  private void createCloud(RoutingContext ctx) {
    JsonObject body = body(ctx);
    reply(ctx, 201, catalog.createCloud(ctx.pathParam("stageId"), requireString(body, "prompt"),
        optionalInt(body, "maxEntries"), optionalBoolean(body, "resultsVisible"), optionalBoolean(body, "open"))
        .compose(c -> cloudWithResults(c, true)));
  }

  private void listClouds(RoutingContext ctx) {
    boolean organiser = isOrganiser(ctx);
    reply(ctx, 200, catalog.clouds(ctx.pathParam("stageId")).compose(clouds -> {
      List<Future<JsonObject>> out = new ArrayList<>();
      for (org.plenum.stage.WordCloud c : clouds) {
        if (organiser || c.isPublic()) {
          out.add(cloudWithResults(c, organiser));
        }
      }
      return Future.all(out).map(all -> new JsonArray(new ArrayList<>(all.list())));
    }));
  }

  private void getCloud(RoutingContext ctx) {
    boolean organiser = isOrganiser(ctx);
    reply(ctx, 200, catalog.cloud(ctx.pathParam("stageId"), ctx.pathParam("cloudId")).compose(c -> {
      if (!organiser && !c.isPublic()) {
        return Future.failedFuture(new PlenumException(ErrorCode.UNKNOWN_CLOUD, "No word cloud " + c.id() + " on stage " + c.stageId() + "."));
      }
      return cloudWithResults(c, organiser);
    }));
  }

  private void cloudStep(RoutingContext ctx, java.util.function.UnaryOperator<org.plenum.stage.WordCloud> step) {
    reply(ctx, 200, catalog.changeCloud(ctx.pathParam("stageId"), ctx.pathParam("cloudId"), step).compose(c -> cloudWithResults(c, true)));
  }

  private void hideWord(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String key = requireString(body, "key");
    Boolean hidden = optionalFlag(body, "hidden");
    reply(ctx, 200, catalog.hideWord(ctx.pathParam("stageId"), ctx.pathParam("cloudId"), key, hidden == null || hidden)
        .compose(c -> cloudWithResults(c, true)));
  }

  private void mergeWords(RoutingContext ctx) {
    JsonObject body = body(ctx);
    reply(ctx, 200, catalog.mergeWords(ctx.pathParam("stageId"), ctx.pathParam("cloudId"), requireString(body, "from"),
        requireString(body, "into")).compose(c -> cloudWithResults(c, true)));
  }

  private Future<JsonObject> cloudWithResults(org.plenum.stage.WordCloud c, boolean organiser) {
    if (!organiser && !c.resultsVisible()) {
      return Future.succeededFuture(Wire.cloudWithResults(c, null));
    }
    return catalog.engine().cloudResults(c, org.plenum.stage.WordCloud.TOP)
        .map(r -> Wire.cloudWithResults(c, organiser ? r : r.publicView()));
  }

  private void listPosts(RoutingContext ctx) {
    boolean organiser = isOrganiser(ctx);
    String kind = ctx.queryParams().get("kind");
    String sort = ctx.queryParams().get("sort");
    String pollId = ctx.queryParams().get("pollId");
    if (kind != null) {
      org.plenum.stage.PostKind.parse(kind);
    }
    if (sort != null && !sort.equals("time") && !sort.equals("votes")) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "sort: time or votes");
    }
    reply(ctx, 200, catalog.posts(ctx.pathParam("stageId")).map(posts -> {
      List<org.plenum.stage.PostView> shown = new ArrayList<>();
      for (org.plenum.stage.PostView v : posts) {
        boolean visible = organiser ? v.post().state() != org.plenum.stage.PostState.DELETED : v.post().isPublic();
        if (visible && (kind == null || v.post().kind().wire().equals(kind))
            && (pollId == null || pollId.equals(v.post().pollId()))) { // ?pollId=: the answers to one text poll
          shown.add(v);
        }
      }
      if ("votes".equals(sort)) {
        shown.sort(java.util.Comparator.comparingLong(org.plenum.stage.PostView::upvotes).reversed());
      }
      JsonArray out = new JsonArray();
      shown.forEach(v -> out.add(Wire.postView(v, false, organiser)));
      return out;
    }));
  }

  private void getPost(RoutingContext ctx) {
    boolean organiser = isOrganiser(ctx);
    reply(ctx, 200, catalog.post(ctx.pathParam("stageId"), ctx.pathParam("postId")).compose(v -> {
      // a deleted post is a tombstone for live clients only: by id it is gone, as in every list
      if (v.post().state() == PostState.DELETED || !organiser && !v.post().isPublic()) {
        return Future.failedFuture(new PlenumException(ErrorCode.UNKNOWN_POST, "No post " + v.post().id() + "."));
      }
      return Future.succeededFuture(Wire.postView(v, false, organiser));
    }));
  }

  private void moderate(RoutingContext ctx, java.util.function.UnaryOperator<Post> step) {
    reply(ctx, 200, catalog.moderate(ctx.pathParam("stageId"), ctx.pathParam("postId"), step).map(v -> Wire.postView(v, false, true)));
  }

  private void pin(RoutingContext ctx) {
    reply(ctx, 200, catalog.pin(ctx.pathParam("stageId"), ctx.pathParam("postId")).map(v -> Wire.postView(v, false, true)));
  }

  private void edit(RoutingContext ctx) {
    String text = requireString(body(ctx), "text");
    moderate(ctx, p -> p.edit(text));
  }

  private void reply(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Object text = body.getValue("text");
    if (text != null && !(text instanceof String)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "text: must be a string (or null to remove the reply)");
    }
    moderate(ctx, p -> p.withReply((String) text));
  }

  private void muteAuthor(RoutingContext ctx, boolean muted) {
    String postId = ctx.pathParam("postId");
    reply(ctx, 200, catalog.muteAuthor(ctx.pathParam("stageId"), postId, muted)
        .map(hidden -> new JsonObject().put("postId", postId).put("authorMuted", muted).put("hidden", hidden)));
  }

  private void removeAuthorVotes(RoutingContext ctx) {
    String postId = ctx.pathParam("postId");
    reply(ctx, 200, catalog.removeAuthorVotes(ctx.pathParam("stageId"), postId)
        .map(removed -> new JsonObject().put("postId", postId).put("polls", new io.vertx.core.json.JsonArray(removed.polls()))));
  }

  private void getPresentation(RoutingContext ctx) {
    reply(ctx, 200, catalog.presentation(ctx.pathParam("stageId")).map(Wire::presentation));
  }

  private void present(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String kindName = requireString(body, "kind");
    Presentation.Kind kind = Presentation.Kind.parse(kindName);
    if (kind == null) {
      throw new PlenumException(ErrorCode.INVALID_FIELD,
          "kind: must be auto, nothing, poll, results, cloud, question or questions");
    }
    String target = body.getValue("target") == null ? null : requireString(body, "target");
    reply(ctx, 200, catalog.present(ctx.pathParam("stageId"), kind, target).map(Wire::presentation));
  }

  private void reactions(RoutingContext ctx) {
    String stageId = ctx.pathParam("stageId");
    reply(ctx, 200, catalog.reactionTotals(stageId).compose(totals -> catalog.reactionTimeline(stageId).map(timeline -> {
      JsonObject t = new JsonObject();
      totals.totals().forEach(t::put);
      JsonArray minutes = new JsonArray();
      for (org.plenum.stage.ReactionMinute m : timeline) {
        JsonObject counts = new JsonObject();
        m.counts().forEach(counts::put);
        minutes.add(new JsonObject().put("minute", Wire.time(m.minute())).put("counts", counts));
      }
      return new JsonObject().put("stageId", stageId).put("version", totals.version()).put("totals", t).put("timeline", minutes);
    })));
  }

  private void createTalk(RoutingContext ctx) {
    Catalog.TalkSpec spec = talkSpec(body(ctx));
    reply(ctx, 201, catalog.createTalk(ctx.pathParam("stageId"), spec).map(Wire::talk));
  }

  private void listTalks(RoutingContext ctx) {
    reply(ctx, 200, catalog.talks(ctx.pathParam("stageId")).map(Wire::talks));
  }

  private void replaceTalk(RoutingContext ctx) {
    Catalog.TalkSpec spec = talkSpec(body(ctx));
    reply(ctx, 200, catalog.replaceTalk(ctx.pathParam("stageId"), ctx.pathParam("talkId"), spec).map(Wire::talk));
  }

  private void deleteTalk(RoutingContext ctx) {
    noContent(ctx, catalog.deleteTalk(ctx.pathParam("stageId"), ctx.pathParam("talkId")));
  }

  private void createModerator(RoutingContext ctx) {
    String label = requireString(body(ctx), "label");
    reply(ctx, 201, catalog.createModerator(ctx.pathParam("eventId"), label)
        .map(created -> Wire.moderator(created.access()).put("token", created.token())));
  }

  private void listModerators(RoutingContext ctx) {
    reply(ctx, 200, catalog.moderators(ctx.pathParam("eventId")).map(all -> {
      JsonArray out = new JsonArray();
      all.forEach(m -> out.add(Wire.moderator(m)));
      return out;
    }));
  }

  private void deleteModerator(RoutingContext ctx) {
    noContent(ctx, catalog.deleteModerator(ctx.pathParam("eventId"), ctx.pathParam("moderatorId")));
  }

  private void editPoll(RoutingContext ctx) {
    JsonObject body = body(ctx);
    List<String> options = body.getValue("options") == null ? null : stringList(body, "options");
    Catalog.PollEdit edit = new Catalog.PollEdit(optionalString(body, "question"), options,
        optionalInt(body, "maxSelections"), optionalInt(body, "scale"), optionalFlag(body, "resultsVisible"));
    reply(ctx, 200, catalog.editPoll(ctx.pathParam("stageId"), ctx.pathParam("pollId"), edit).compose(p -> withResults(p, true)));
  }

  private void editCloud(RoutingContext ctx) {
    JsonObject body = body(ctx);
    reply(ctx, 200, catalog.editCloud(ctx.pathParam("stageId"), ctx.pathParam("cloudId"), optionalString(body, "prompt"),
        optionalInt(body, "maxEntries"), optionalFlag(body, "resultsVisible")).compose(c -> cloudWithResults(c, true)));
  }

  private void reorder(RoutingContext ctx) {
    JsonObject body = body(ctx);
    List<String> polls = body.getValue("polls") == null ? null : stringList(body, "polls");
    List<String> clouds = body.getValue("clouds") == null ? null : stringList(body, "clouds");
    String stageId = ctx.pathParam("stageId");
    reply(ctx, 200, catalog.reorder(stageId, polls, clouds)
        .compose(v -> catalog.polls(stageId))
        .compose(ps -> catalog.clouds(stageId).map(cs -> new JsonObject().put("stageId", stageId)
            .put("polls", new JsonArray(ps.stream().map(Poll::id).map(Object.class::cast).toList()))
            .put("clouds", new JsonArray(cs.stream().map(org.plenum.stage.WordCloud::id).map(Object.class::cast).toList())))));
  }

  private void editStage(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String name = optionalString(body, "name");
    Boolean anonymous = optionalFlag(body, "anonymousQuestions");
    Boolean questions = optionalFlag(body, "questionModeration");
    Boolean comments = optionalFlag(body, "commentModeration");
    reply(ctx, 200, catalog.editStage(ctx.pathParam("stageId"), name, s -> new org.plenum.stage.StageSettings(
        anonymous == null ? s.anonymousQuestions() : anonymous,
        questions == null ? s.questionModeration() : questions,
        comments == null ? s.commentModeration() : comments)).map(Wire::stage));
  }

  /** {@code PATCH events/{id}}: any of {@code name} and {@code moderatorsMayExport}, at least one. */
  private void editEvent(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String name = body.containsKey("name") ? requireString(body, "name") : null;
    Boolean mayExport = optionalFlag(body, "moderatorsMayExport");
    // passcode: a string sets or changes it, null (or blank) removes it, absent keeps it
    java.util.Optional<String> passcode = body.containsKey("passcode")
        ? java.util.Optional.ofNullable(org.plenum.stage.Passcode.check(optionalText(body, "passcode"))) : null;
    if (name == null && mayExport == null && passcode == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "name, moderatorsMayExport or passcode: give at least one");
    }
    reply(ctx, 200, catalog.editEvent(ctx.pathParam("eventId"), name, mayExport, passcode)
        .compose(e -> catalog.engine().stages(e.id()).map(stages -> eventJson(e, stages, true))));
  }

  private void reorderStages(RoutingContext ctx) {
    List<String> stages = stringList(body(ctx), "stages");
    String eventId = ctx.pathParam("eventId");
    reply(ctx, 200, catalog.reorderStages(eventId, stages).compose(v -> catalog.event(eventId))
        .compose(e -> catalog.engine().stages(e.id()).map(all -> eventJson(e, all, true))));
  }

  private static String optionalString(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": must be a string");
    }
    return (String) v;
  }

  private static Catalog.TalkSpec talkSpec(JsonObject body) {
    String title = requireString(body, "title");
    Object speakers = body.getValue("speakers");
    if (speakers != null && !(speakers instanceof String)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "speakers: must be a string or null");
    }
    return new Catalog.TalkSpec(title, (String) speakers, requireInstant(body, "startsAt"), requireInstant(body, "endsAt"));
  }

  private static Instant requireInstant(JsonObject body, String field) {
    String text = requireString(body, field);
    try {
      return java.time.OffsetDateTime.parse(text, java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": an ISO-8601 instant such as 2026-11-22T09:00:00Z");
    }
  }

  private static List<String> stringList(JsonObject body, String field) {
    Object raw = body.getValue(field);
    if (raw == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, field + ": required");
    }
    if (!(raw instanceof JsonArray array)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof String s)) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": every entry must be a string");
      }
      out.add(s);
    }
    return out;
  }

  private static Boolean optionalFlag(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean b)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": must be true or false");
    }
    return b;
  }

  private void ready(RoutingContext ctx) {
    boolean stopping = draining.getAsBoolean();
    boolean ready = !stopping && catalog.engine().isReady();
    JsonObject body = new JsonObject().put("status", ready ? "UP" : "DOWN").put("engine", catalog.engine().name());
    if (stopping) {
      body.put("draining", true);
    }
    json(ctx, ready ? 200 : 503, body);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private Future<JsonObject> withResults(Poll p, boolean organiser) {
    if (!organiser && !p.resultsVisible()) {
      return Future.succeededFuture(Wire.pollWithResults(p, null));
    }
    return catalog.results(p).map(r -> Wire.pollWithResults(p, r, organiser));
  }

  /**
   * The event as the API shows it: its blocklist only through the organiser's blocklist endpoint,
   * its passcode only to the organiser ({@code organiser}), everyone else reads {@code passcodeRequired}.
   */
  private static JsonObject eventJson(Event e, List<Stage> stages, boolean organiser) {
    JsonArray list = new JsonArray();
    stages.forEach(s -> list.add(Wire.stage(s)));
    JsonObject json = Wire.event(e).put("stages", list);
    json.remove("blockedWords");
    if (organiser && e.closed()) {
      json.put("passcode", e.passcode());
    }
    return json;
  }

  /** A string field that may be null (null, absent); anything else than a string is invalid_field. */
  private static String optionalText(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": must be a string or null");
    }
    return (String) v;
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
    return QuizFields.into(new PollSpec(kind, requireString(body, "question"), options, optionalInt(body, "maxSelections"),
        optionalInt(body, "scale"), optionalBoolean(body, "resultsVisible"), optionalBoolean(body, "open"),
        timerSeconds(body, "seconds") == null ? null : timerSeconds(body, "seconds").intValue()), body);
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

  // ---- who is calling -------------------------------------------------------------------

  private static final String CALLER = "plenum.caller";
  private static final String PRIVILEGED = "plenum.privileged";

  /** The caller of a request: the organiser, a moderator of one event, or the audience (no token). */
  private record Caller(boolean organiser, ModeratorAccess moderator) {
    static final Caller AUDIENCE = new Caller(false, null);
    static final Caller ORGANISER = new Caller(true, null);

    /** The organiser, or a moderator of event {@code eventId}: exempt from its passcode. */
    boolean staffOf(String eventId) {
      return organiser || (moderator != null && moderator.eventId().equals(eventId));
    }
  }

  /**
   * Reads the bearer token once per request: none reads as the audience; the organiser token or a
   * live moderator token identifies the caller; anything else is refused (401) rather than silently
   * read as the audience, so a client learns at once that its token is wrong.
   */
  private void identify(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      ctx.put(CALLER, Caller.AUDIENCE);
      ctx.next();
      return;
    }
    String token = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
    if (MessageDigest.isEqual(organiserToken, token.getBytes(StandardCharsets.UTF_8))) {
      ctx.put(CALLER, Caller.ORGANISER);
      ctx.next();
      return;
    }
    catalog.moderatorByToken(token).onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ar.cause());
      } else if (ar.result().isEmpty()) {
        unauthorized(ctx);
      } else {
        ctx.put(CALLER, new Caller(false, ar.result().get()));
        ctx.next();
      }
    });
  }

  /**
   * On stage paths: a moderator token counts only on its own event's stages (403 on another
   * event's); the organiser may everything. Sets whether the caller has the organiser's view here.
   */
  private void stageScope(RoutingContext ctx) {
    Caller caller = caller(ctx);
    if (caller.moderator() == null) {
      ctx.put(PRIVILEGED, caller.organiser());
      if (!caller.organiser() && audienceRead(ctx)) {
        String[] path = ctx.normalizedPath().split("/");
        closedEvents.admitStage(ctx, path.length > 4 ? path[4] : "", false, null).onComplete(ar -> {
          if (ar.failed()) {
            fail(ctx, ar.cause());
          } else {
            ctx.next();
          }
        });
        return;
      }
      ctx.next();
      return;
    }
    String[] parts = ctx.normalizedPath().split("/");
    String stageId = parts.length > 4 ? parts[4] : "";
    catalog.stage(stageId).onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ar.cause());
      } else if (ar.result().eventId().equals(caller.moderator().eventId())) {
        ctx.put(PRIVILEGED, true);
        ctx.next();
      } else {
        fail(ctx, new PlenumException(ErrorCode.FORBIDDEN, "This moderator token is for another event."));
      }
    });
  }

  /**
   * A read of a stage by the audience, which a closed event's passcode guards: a GET, other than
   * an export (those need a token anyway, and say so with 401).
   */
  private static boolean audienceRead(RoutingContext ctx) {
    return ctx.request().method() == io.vertx.core.http.HttpMethod.GET && !ctx.normalizedPath().endsWith("/export");
  }

  /** Organiser-only operations: 401 without a valid token, 403 for a moderator token. */
  private void organiser(RoutingContext ctx) {
    Caller caller = caller(ctx);
    if (caller.organiser()) {
      ctx.next();
    } else if (caller.moderator() != null) {
      fail(ctx, new PlenumException(ErrorCode.FORBIDDEN, "This needs the organiser token; a moderator token may not do this."));
    } else {
      unauthorized(ctx);
    }
  }

  /**
   * Exports: the organiser; a moderator of the export's event only where the organiser allowed it
   * ({@code moderatorsMayExport}); another event's moderator never. The event is that of the path's
   * event or stage (an unknown one is a 404 for whoever asks).
   */
  private void exporter(RoutingContext ctx) {
    Caller caller = caller(ctx);
    if (caller.organiser()) {
      ctx.next();
      return;
    }
    if (caller.moderator() == null) {
      unauthorized(ctx);
      return;
    }
    String eventParam = ctx.pathParam("eventId");
    Future<org.plenum.stage.Event> event = eventParam != null ? catalog.event(eventParam)
        : catalog.stage(ctx.pathParam("stageId")).compose(s -> catalog.event(s.eventId()));
    event.onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ar.cause());
      } else if (!ar.result().id().equals(caller.moderator().eventId())) {
        fail(ctx, new PlenumException(ErrorCode.FORBIDDEN, "This moderator token is for another event."));
      } else if (!ar.result().moderatorsMayExport()) {
        fail(ctx, new PlenumException(ErrorCode.FORBIDDEN,
            "The organiser has not allowed this event's moderators to export its data (moderatorsMayExport)."));
      } else {
        ctx.next();
      }
    });
  }

  /** Moderation of a stage: the organiser or a moderator of the stage's event (checked by {@link #stageScope}). */
  private void moderator(RoutingContext ctx) {
    if (privileged(ctx)) {
      ctx.next();
    } else {
      unauthorized(ctx);
    }
  }

  private static void unauthorized(RoutingContext ctx) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"plenum\"");
    fail(ctx, new PlenumException(ErrorCode.UNAUTHORIZED,
        "This needs the organiser token or a moderator token of the event: Authorization: Bearer <token>."));
  }

  private static Caller caller(RoutingContext ctx) {
    Caller caller = ctx.get(CALLER);
    return caller == null ? Caller.AUDIENCE : caller;
  }

  /** Whether the caller sees what the organiser sees (drafts, hidden words, pending posts) on this request's stage. */
  private static boolean isOrganiser(RoutingContext ctx) {
    return privileged(ctx);
  }

  private static boolean privileged(RoutingContext ctx) {
    Boolean privileged = ctx.get(PRIVILEGED);
    return privileged != null ? privileged : caller(ctx).organiser();
  }

  private static void noContent(RoutingContext ctx, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(204).end();
      } else {
        fail(ctx, ar.cause());
      }
    });
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
        new JsonObject().put("code", e.code().wire()).put("message", org.plenum.protocol.RefusalTexts.message(e))));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
