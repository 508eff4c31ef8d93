package org.plenum.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * One client connection speaking protocol v1, as a viewer or a moderator. All of its state is
 * touched only on its own Vert.x context; other threads call the public methods, which hop onto
 * that context and return Futures.
 *
 * <p>A viewer whose connection drops reconnects with backoff, joins again with its participant
 * token and resends every action still waiting for its answer under the same id (checklist step 5).
 */
public final class Session {

  public enum Role { VIEWER, MODERATOR }

  /** An {@code error} frame answering one of our actions. */
  public static final class ServerError extends RuntimeException {
    public final String code;
    public final long retryAfterMs;

    ServerError(String code, String message, long retryAfterMs) {
      super(code + ": " + message, null, false, false);
      this.code = code;
      this.retryAfterMs = retryAfterMs;
    }
  }

  /** No answer: timeout, or the connection was lost for good. The action may or may not be applied. */
  public static final class NoAnswer extends RuntimeException {
    public final String reason;

    NoAnswer(String reason) {
      super(reason, null, false, false);
      this.reason = reason;
    }
  }

  /** A reply with the time its action was first written and the time the answer arrived. */
  public record Reply(JsonNode message, long sentNanos, long receivedNanos) {
  }

  private static final class Request {
    final String id;
    final String text;
    final boolean resendable;
    /** A join: written while the connection is not yet ready for actions. */
    boolean join;
    /** Error codes the caller expects and handles (they do not count as unexpected). */
    java.util.Set<String> tolerated = java.util.Set.of();
    final Promise<Reply> promise = Promise.promise();
    final LongConsumer onSent;
    long sentNanos = -1;
    long timer = -1;

    Request(String id, String text, boolean resendable, LongConsumer onSent) {
      this.id = id;
      this.text = text;
      this.resendable = resendable;
      this.onSent = onSent;
    }
  }

  /** One physical connection; a session has a series of them over reconnects. */
  private static final class Conn {
    final WebSocket ws;
    boolean closingOnPurpose;
    /** Closed on purpose to reconnect at once: actions in flight are resent, not failed. */
    boolean reconnecting;

    Conn(WebSocket ws) {
      this.ws = ws;
    }
  }

  private static final String RESULTS_PREFIX = "{\"type\":\"results\"";
  /** Pushes only observers parse (see onText). */
  private static final String[] BULK_PREFIXES = {RESULTS_PREFIX, "{\"type\":\"words\"", "{\"type\":\"reactions\"",
      "{\"type\":\"post\"", "{\"type\":\"presence\""};

  /** One words snapshot as a moderator received it. */
  public record WordsSnapshot(long atNanos, long entries, long contributors, Map<String, Long> counts) {
  }

  private final Harness h;
  public final int index;
  public final Role role;
  /** The node (index into --url) this session connects to, also after a reconnect. */
  public final int node;
  /** Moderators: every presence figure (viewers) they were told, with its receive time. */
  private final List<long[]> presenceSeen = new ArrayList<>();
  private final Context ctx;
  private final boolean observer;
  private final List<String> stageIds = new ArrayList<>();
  private final String actionPrefix;
  private int actionCounter;

  private Conn conn;
  /** Joined on the current connection: actions may be written. */
  private boolean ready;
  private boolean stopped;
  private int reconnectsLeft;
  private String token;
  private volatile String participantId;
  private volatile long joinedNanos = -1;
  private volatile boolean everJoined;
  private final Map<String, Request> inFlight = new HashMap<>();
  private final Map<String, Long> lastVersion = new HashMap<>();
  private final Map<String, ResultsTimeline> timelines = new ConcurrentHashMap<>();
  private final java.util.Set<String> joinedStages = ConcurrentHashMap.newKeySet();
  private final Map<String, List<WordsSnapshot>> wordsHistory = new ConcurrentHashMap<>();
  /** postId -> first receive time of any push or snapshot naming it (observers and moderators). */
  private final Map<String, Long> postFirstSeen = new ConcurrentHashMap<>();
  /** postId -> first receive time with state published. */
  private final Map<String, Long> postPublishedSeen = new ConcurrentHashMap<>();
  /** Post ids this participant's own posts got (for the mine checks). */
  private final java.util.Set<String> ownPosts = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> lastPostVersion = new HashMap<>();
  private volatile List<String> reactionSet = List.of();
  /** Polls and clouds this session was told (joined, poll / cloud push) are open. */
  private final java.util.Set<String> openSeen = ConcurrentHashMap.newKeySet();
  private volatile boolean joinedHasAudienceFeatures;
  Session(Harness h, int index, Role role, boolean observer) {
    this(h, index, role, observer, 0);
  }

  Session(Harness h, int index, Role role, boolean observer, int node) {
    this.h = h;
    this.index = index;
    this.role = role;
    this.node = node;
    this.observer = observer || role == Role.MODERATOR;
    this.ctx = h.vertx.getOrCreateContext();
    this.reconnectsLeft = role == Role.VIEWER ? h.options.maxReconnects : 0;
    this.actionPrefix = (role == Role.VIEWER ? "v" : "m") + index + "-"
        + Long.toString(ThreadLocalRandom.current().nextLong() & 0xffffffL, 36) + "-";
  }

  public boolean isObserver() {
    return observer;
  }

  /** When the first {@code joined} arrived, or -1. */
  public long joinedNanos() {
    return joinedNanos;
  }

  public boolean hasJoined() {
    return everJoined;
  }

  /** Whether this session has joined the stage (moderators may be on several). */
  public boolean isOn(String stageId) {
    return joinedStages.contains(stageId);
  }

  public String participantId() {
    return participantId;
  }

  public ResultsTimeline timeline(String pollId) {
    return timelines.get(pollId);
  }

  /** Timeline of a word cloud's {@code entries}. */
  public ResultsTimeline wordsTimeline(String cloudId) {
    return timelines.get("words:" + cloudId);
  }

  /** Timeline of the sum of a stage's reaction totals. */
  public ResultsTimeline reactionsTimeline(String stageId) {
    return timelines.get("reactions:" + stageId);
  }

  /** Timeline of one question's {@code upvotes}. */
  public ResultsTimeline upvotesTimeline(String postId) {
    return timelines.get("upvotes:" + postId);
  }

  public List<WordsSnapshot> wordsHistory(String cloudId) {
    List<WordsSnapshot> l = wordsHistory.get(cloudId);
    if (l == null) {
      return List.of();
    }
    synchronized (l) {
      return new ArrayList<>(l);
    }
  }

  public Long postFirstSeen(String postId) {
    return postFirstSeen.get(postId);
  }

  public Long postPublishedSeen(String postId) {
    return postPublishedSeen.get(postId);
  }

  /** Remembers a post id this participant's own post got, so pushes of it may say mine: true. */
  public void ownPost(String postId) {
    ownPosts.add(postId);
  }

  /** The emoji the last joined snapshot allowed (reactionSet). */
  public List<String> reactionSet() {
    return reactionSet;
  }

  /**
   * Completes once this session has been told that the poll or cloud is open (a viewer learns of
   * it from its joined snapshot or a poll / cloud push, and acts only then), or after {@code capMs}.
   */
  public Future<Void> awaitOpen(String id, long capMs) {
    if (openSeen.contains(id)) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    long until = System.nanoTime() + capMs * 1_000_000;
    ctx.runOnContext(v -> checkOpen(id, until, p));
    return p.future();
  }

  private void checkOpen(String id, long until, Promise<Void> p) {
    if (openSeen.contains(id) || stopped) {
      p.tryComplete();
    } else if (System.nanoTime() >= until) {
      h.m.observation("a viewer was not told within 2 s (joined or poll / cloud push) that a poll or cloud "
          + "opened through REST is open; it acted anyway", id);
      p.tryComplete();
    } else {
      h.vertx.setTimer(5, t -> checkOpen(id, until, p));
    }
  }

  /** Whether the joined snapshot carried clouds, posts and reactions (the server has those features). */
  public boolean audienceFeatures() {
    return joinedHasAudienceFeatures;
  }

  /** A fresh client action id, unique for this participant. */
  public String nextActionId() {
    synchronized (this) {
      return actionPrefix + (++actionCounter);
    }
  }

  private <T> Future<T> onContext(Supplier<Future<T>> work) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> {
      try {
        work.get().onComplete(p);
      } catch (Throwable t) {
        p.tryFail(t);
      }
    });
    return p.future();
  }

  /** Runs {@code task} on this session's context after {@code delayMs}. */
  public void schedule(long delayMs, Runnable task) {
    ctx.runOnContext(v -> h.vertx.setTimer(Math.max(1, delayMs), id -> task.run()));
  }

  /** Connects and joins the given stages (a viewer: exactly one). */
  public Future<Void> start(List<String> stages) {
    return onContext(() -> {
      stageIds.clear();
      stageIds.addAll(stages);
      return connectAndJoin(true);
    });
  }

  private Future<Void> connectAndJoin(boolean first) {
    long t0 = System.nanoTime();
    return h.connector.connect(node, h.options.requestTimeoutSeconds * 1000L)
        .transform(ar -> {
          if (ar.failed()) {
            h.m.connectFailed(Harness.reason(ar.cause()));
            return Future.failedFuture(ar.cause());
          }
          if (stopped) {
            ar.result().close();
            return Future.failedFuture(new NoAnswer("stopped"));
          }
          h.m.connected((System.nanoTime() - t0) / 1000);
          Conn c = new Conn(ar.result());
          conn = c;
          ready = false;
          c.ws.textMessageHandler(this::onText);
          c.ws.binaryMessageHandler(b -> h.m.discrepancy("server sent a binary frame", null));
          c.ws.exceptionHandler(t -> {
            if (!c.closingOnPurpose && !stopped) {
              h.m.clientFailure("socket exception: " + t.getClass().getSimpleName());
            }
          });
          c.ws.closeHandler(v -> onClose(c));
          return joinAll(0, first).onSuccess(v -> {
            if (conn == c) {
              ready = true;
              writePending();
            }
          });
        });
  }

  private Future<Void> joinAll(int i, boolean first) {
    if (i >= stageIds.size()) {
      return Future.succeededFuture();
    }
    String stageId = stageIds.get(i);
    ObjectNode join = h.mapper.createObjectNode().put("type", "join").put("id", nextActionId()).put("stageId", stageId);
    if (role == Role.MODERATOR) {
      join.put("role", "moderator").put("auth", h.options.organiserToken);
    }
    String presented = token;
    if (presented != null) {
      join.put("token", presented);
    }
    return request(join, false, null, true).compose(reply -> {
      onJoined(reply, stageId, presented, first && i == 0);
      return joinAll(i + 1, first);
    }, err -> {
      // a join storm beyond the node's admission rate is told when to come back: do as a client must
      if (err instanceof ServerError e && e.code.equals("rate_limited") && !stopped) {
        Promise<Void> later = Promise.promise();
        h.vertx.setTimer(e.retryAfterMs > 0 ? e.retryAfterMs : 500, t -> joinAll(i, first).onComplete(later));
        return later.future();
      }
      return Future.failedFuture(err);
    });
  }

  private void onJoined(Reply reply, String stageId, String presented, boolean record) {
    JsonNode j = reply.message();
    if (!"joined".equals(j.path("type").asText())) {
      h.m.discrepancy("join answered with type " + j.path("type").asText() + " instead of joined", j.toString());
      return;
    }
    if (record) {
      h.m.joined((reply.receivedNanos() - reply.sentNanos()) / 1000);
      joinedNanos = reply.receivedNanos();
    }
    everJoined = true;
    joinedStages.add(stageId);
    String expectedRole = role == Role.MODERATOR ? "moderator" : "viewer";
    if (!expectedRole.equals(j.path("role").asText())) {
      h.m.discrepancy("joined.role differs from the requested role", j.path("role").asText());
    }
    if (!stageId.equals(j.path("stage").path("id").asText())) {
      h.m.discrepancy("joined.stage.id differs from the stage joined", j.path("stage").toString());
    }
    JsonNode participant = j.path("participant");
    String newToken = participant.path("token").asText(null);
    String newId = participant.path("id").asText(null);
    if (newToken == null || newId == null) {
      h.m.discrepancy("joined.participant lacks id or token", participant.toString());
    } else {
      if (presented != null && presented.equals(token)) {
        if (participant.path("renewed").asBoolean(false) || !newId.equals(participantId)) {
          h.m.discrepancy("a valid participant token was not honoured on re-join (renewed or new id)",
              participant.toString());
        }
      }
      token = newToken;
      participantId = newId;
    }
    boolean hasPresence = j.has("presence") && !j.get("presence").isNull();
    if (role == Role.VIEWER && hasPresence) {
      h.m.discrepancy("joined carries presence for a viewer (moderators only)", null);
    }
    if (role == Role.MODERATOR && !hasPresence) {
      h.m.discrepancy("joined lacks presence for a moderator", null);
    }
    if (role == Role.MODERATOR && hasPresence) {
      notePresence(j.get("presence"), reply.receivedNanos());
    }
    onJoinedAudienceParts(j, stageId, reply.receivedNanos());
    JsonNode polls = j.path("polls");
    if (!polls.isArray()) {
      h.m.discrepancy("joined.polls is not an array", j.toString());
      return;
    }
    for (JsonNode entry : polls) {
      JsonNode poll = entry.path("poll");
      noteOpen(poll);
      checkPollForRole(poll, entry.path("results"), "joined.polls");
      JsonNode results = entry.path("results");
      if (results.isObject()) {
        observe(results, reply.receivedNanos());
      }
    }
  }

  /** clouds, posts, reactions and reactionSet of a joined snapshot (protocol: "joined"). */
  private void onJoinedAudienceParts(JsonNode j, String stageId, long now) {
    boolean any = j.has("clouds") || j.has("posts") || j.has("reactions");
    joinedHasAudienceFeatures = any;
    if (!any) {
      return;
    }
    if (!j.path("clouds").isArray() || !j.path("posts").isArray() || !j.path("reactions").isObject()
        || !j.path("reactionSet").isArray()) {
      h.m.discrepancy("joined lacks one of clouds / posts / reactions / reactionSet (or has the wrong type)",
          abbreviate(j.toString()));
    }
    List<String> set = new ArrayList<>();
    j.path("reactionSet").forEach(e -> set.add(e.asText()));
    reactionSet = List.copyOf(set);
    if (role == Role.VIEWER && !j.path("upvoted").isArray()) {
      h.m.discrepancy("joined lacks upvoted for a viewer", null);
    }
    for (JsonNode entry : j.path("clouds")) {
      JsonNode cloud = entry.path("cloud");
      noteOpen(cloud);
      JsonNode results = entry.path("results");
      checkCloudForRole(cloud, results, "joined.clouds");
      if (results.isObject()) {
        observeWords(results, now);
      }
    }
    for (JsonNode post : j.path("posts")) {
      observePost(post, now, "joined.posts");
    }
    JsonNode reactions = j.path("reactions");
    if (reactions.isObject() && observer) {
      observeReactions(stageId, reactions, now);
    }
  }

  private void noteOpen(JsonNode pollOrCloud) {
    String id = pollOrCloud.path("id").asText(null);
    if (id == null) {
      return;
    }
    if ("open".equals(pollOrCloud.path("state").asText())) {
      openSeen.add(id);
    } else {
      openSeen.remove(id);
    }
  }

  private void checkCloudForRole(JsonNode cloud, JsonNode results, String where) {
    if (role != Role.VIEWER) {
      if (!results.isObject()) {
        h.m.discrepancy(where + ": moderator got a word cloud without results", cloud.path("id").asText());
      }
      return;
    }
    if ("draft".equals(cloud.path("state").asText())) {
      h.m.discrepancy(where + ": viewer was sent a draft word cloud", cloud.path("id").asText());
    }
    if (!cloud.path("resultsVisible").asBoolean(false) && results.isObject()) {
      h.m.discrepancy(where + ": viewer got results of a word cloud whose results are hidden", cloud.path("id").asText());
    }
  }

  private void checkPollForRole(JsonNode poll, JsonNode results, String where) {
    if (role != Role.VIEWER) {
      if (results.isNull() || results.isMissingNode()) {
        h.m.discrepancy(where + ": moderator got a poll without results", poll.path("id").asText());
      }
      return;
    }
    if ("draft".equals(poll.path("state").asText())) {
      h.m.discrepancy(where + ": viewer was sent a draft poll", poll.path("id").asText());
    }
    if (!poll.path("resultsVisible").asBoolean(false) && results.isObject()) {
      h.m.discrepancy(where + ": viewer got results of a poll whose results are hidden", poll.path("id").asText());
    }
  }

  /** Sends an action and completes with its reply; see {@link Reply}, {@link ServerError}, {@link NoAnswer}. */
  public Future<Reply> send(ObjectNode message, boolean resendOnReconnect, LongConsumer onSent) {
    return onContext(() -> request(message, resendOnReconnect, onSent, false));
  }

  /** As {@link #send}, with error codes that the caller handles and that do not fail the run. */
  public Future<Reply> send(ObjectNode message, boolean resendOnReconnect, LongConsumer onSent,
                            java.util.Set<String> tolerated) {
    return onContext(() -> {
      Future<Reply> f = request(message, resendOnReconnect, onSent, false);
      Request r = inFlight.get(message.path("id").asText());
      if (r != null) {
        r.tolerated = tolerated;
      }
      return f;
    });
  }

  private Future<Reply> request(ObjectNode message, boolean resendable, LongConsumer onSent, boolean join) {
    String id = message.path("id").asText();
    if (inFlight.containsKey(id)) {
      return Future.failedFuture(new IllegalStateException("action " + id + " already in flight"));
    }
    Request r = new Request(id, message.toString(), resendable, onSent);
    r.join = join;
    inFlight.put(id, r);
    r.timer = h.vertx.setTimer(h.options.requestTimeoutSeconds * 1000L, t -> {
      if (inFlight.remove(id, r)) {
        h.m.clientFailure("timeout waiting for reply");
        r.promise.tryFail(new NoAnswer("timeout"));
      }
    });
    if (conn != null && !conn.ws.isClosed() && (ready || join)) {
      write(r);
    } else if (!resendable) {
      inFlight.remove(id);
      h.vertx.cancelTimer(r.timer);
      r.promise.tryFail(new NoAnswer("not connected"));
    } // else: written once the (re)connection has joined
    return r.promise.future();
  }

  /**
   * Once a (re)connection has joined: actions still waiting for their answer are resent under
   * their ids (checklist step 5), and actions asked for meanwhile go out for the first time.
   */
  private void writePending() {
    for (Request r : new ArrayList<>(inFlight.values())) {
      if (r.join || conn == null) {
        continue;
      }
      if (r.sentNanos >= 0) {
        if (r.resendable) {
          h.m.resendsSent.increment();
          write(r);
        }
      } else {
        write(r);
      }
    }
  }

  private void write(Request r) {
    if (r.sentNanos < 0) {
      r.sentNanos = System.nanoTime();
      if (r.onSent != null) {
        r.onSent.accept(r.sentNanos);
      }
    }
    conn.ws.writeTextMessage(r.text).onFailure(t -> h.m.clientFailure("write failed"));
  }

  private void onText(String text) {
    long now = System.nanoTime();
    h.m.framesReceived.increment();
    if (!observer) {
      // Thousands of viewers get a results (words, reactions, post) push every viewer tick; parsing
      // them all would make the generator, not the server, the bottleneck. Observers (every
      // moderator and --observers viewers) parse and check every frame.
      for (String prefix : BULK_PREFIXES) {
        if (text.startsWith(prefix)) {
          h.m.pushesReceived.increment();
          return;
        }
      }
    }
    JsonNode msg;
    try {
      msg = h.mapper.readTree(text);
    } catch (Exception e) {
      h.m.discrepancy("server frame is not JSON", text);
      return;
    }
    String type = msg.path("type").asText("");
    switch (type) {
      case "joined", "ack", "pong" -> reply(msg, now);
      case "error" -> {
        String code = msg.path("code").asText("?");
        if (msg.path("id").isNull() || !msg.has("id")) {
          h.m.serverError(code);
          h.m.discrepancy("error without an action id (code " + code + ")", text);
          return;
        }
        Request r = inFlight.remove(msg.path("id").asText());
        h.m.serverError(code, r != null && r.tolerated.contains(code));
        if (r == null) {
          h.m.discrepancy("error for an action id not in flight", text);
          return;
        }
        h.vertx.cancelTimer(r.timer);
        r.promise.tryFail(new ServerError(code, msg.path("message").asText(""), msg.path("retryAfterMs").asLong(0)));
      }
      case "results" -> {
        h.m.pushesReceived.increment();
        if (role == Role.VIEWER && !h.resultsVisible(msg.path("results").path("pollId").asText())) {
          h.m.discrepancy("results pushed to a viewer while the poll's results are hidden", text);
        }
        observe(msg.path("results"), now);
      }
      case "poll" -> {
        h.m.pushesReceived.increment();
        JsonNode poll = msg.path("poll");
        if (!poll.isObject()) {
          h.m.discrepancy("poll push without poll object", text);
          return;
        }
        checkPollForRole(poll, msg.path("results"), "poll push");
        noteOpen(poll);
        if (msg.path("results").isObject()) {
          observe(msg.path("results"), now);
        }
      }
      case "presence" -> {
        h.m.pushesReceived.increment();
        if (role == Role.VIEWER) {
          h.m.discrepancy("presence pushed to a viewer (moderators only)", text);
        } else {
          notePresence(msg, now);
        }
      }
      case "words" -> {
        h.m.pushesReceived.increment();
        JsonNode results = msg.path("results");
        if (role == Role.VIEWER && !h.cloudResultsVisible(results.path("cloudId").asText())) {
          h.m.discrepancy("words pushed to a viewer while the cloud's results are hidden", abbreviate(text));
        }
        observeWords(results, now);
      }
      case "cloud" -> {
        h.m.pushesReceived.increment();
        JsonNode cloud = msg.path("cloud");
        if (!cloud.isObject()) {
          h.m.discrepancy("cloud push without cloud object", abbreviate(text));
          return;
        }
        noteOpen(cloud);
        if (role == Role.VIEWER && "draft".equals(cloud.path("state").asText())) {
          h.m.discrepancy("cloud push: viewer was sent a draft word cloud", cloud.path("id").asText());
        } else {
          checkCloudForRole(cloud, msg.path("results"), "cloud push");
        }
        if (msg.path("results").isObject()) {
          observeWords(msg.path("results"), now);
        }
      }
      case "post" -> {
        h.m.pushesReceived.increment();
        observePost(msg.path("post"), now, "post push");
      }
      case "reactions" -> {
        h.m.pushesReceived.increment();
        String stageId = msg.path("stageId").asText("");
        if (!msg.path("totals").isObject() || !msg.path("version").isNumber() || !msg.path("recent").isObject()
            || !msg.path("windowMs").isNumber()) {
          h.m.discrepancy("reactions push lacks version, totals, recent or windowMs", abbreviate(text));
          return;
        }
        observeReactions(stageId, msg, now);
      }
      case "stage" -> h.m.pushesReceived.increment();
      case "leaderboard" -> { // quiz: `scored` counts the answers a board includes (docs/protocol.md)
        h.m.pushesReceived.increment();
        long scored = msg.path("scored").asLong(-1);
        if (scored < 0 || !msg.path("entries").isArray()) {
          h.m.discrepancy("leaderboard without scored or entries", text);
        } else {
          timelines.computeIfAbsent("leaderboard:" + msg.path("stageId").asText(), k -> new ResultsTimeline())
              .observe(System.nanoTime(), scored, scored);
        }
      }
      default -> h.m.discrepancy("unknown server message type '" + type + "'", text);
    }
  }

  private void notePresence(JsonNode presence, long now) {
    if (!presence.path("viewers").isNumber()) {
      h.m.discrepancy("presence lacks the number viewers", presence.toString());
      return;
    }
    synchronized (presenceSeen) {
      presenceSeen.add(new long[] {now, presence.path("viewers").asLong()});
    }
  }

  /** Moderators: the presence figures (receive nanos, viewers) seen so far, in arrival order. */
  public List<long[]> presenceSeen() {
    synchronized (presenceSeen) {
      return new ArrayList<>(presenceSeen);
    }
  }

  private void reply(JsonNode msg, long now) {
    String id = msg.path("id").asText(null);
    Request r = id == null ? null : inFlight.remove(id);
    if (r == null) {
      h.m.discrepancy(msg.path("type").asText() + " for an action id not in flight", msg.toString());
      return;
    }
    h.vertx.cancelTimer(r.timer);
    r.promise.tryComplete(new Reply(msg, r.sentNanos, now));
  }

  private void observe(JsonNode results, long now) {
    String pollId = results.path("pollId").asText(null);
    if (pollId == null || !results.path("version").isNumber() || !results.path("voters").isNumber()
        || !results.path("counts").isObject()) {
      h.m.discrepancy("results lack pollId, version, voters or counts", results.toString());
      return;
    }
    long version = results.get("version").asLong();
    long voters = results.get("voters").asLong();
    List<String> keys = h.countKeys(pollId);
    if (keys != null) {
      for (String k : keys) {
        if (!results.get("counts").has(k)) {
          h.m.discrepancy("results.counts lacks an option (protocol: every option, zeros included)",
              results.toString());
          break;
        }
      }
    }
    Long last = lastVersion.get(pollId);
    if (last != null && version <= last) {
      h.m.stalePushes.increment();
      return;
    }
    lastVersion.put(pollId, version);
    if (observer) {
      timelines.computeIfAbsent(pollId, k -> new ResultsTimeline()).observe(now, version, voters);
    }
  }

  // ---------------------------------------------------------------- word clouds, posts, reactions

  private void observeWords(JsonNode results, long now) {
    String cloudId = results.path("cloudId").asText(null);
    if (cloudId == null || !results.path("version").isNumber() || !results.path("entries").isNumber()
        || !results.path("contributors").isNumber() || !results.path("words").isArray()
        || !results.path("hidden").isArray()) {
      h.m.discrepancy("word-cloud results lack cloudId, version, entries, contributors, words or hidden",
          abbreviate(results.toString()));
      return;
    }
    if (role == Role.VIEWER && !results.path("hidden").isEmpty()) {
      h.m.discrepancy("word-cloud results for a viewer list hidden words (moderators only)",
          abbreviate(results.toString()));
    }
    if (results.path("words").size() > 100) {
      h.m.discrepancy("word-cloud results carry more than the top 100 words", cloudId);
    }
    String key = "words:" + cloudId;
    long version = results.get("version").asLong();
    Long last = lastVersion.get(key);
    if (last != null && version <= last) {
      h.m.stalePushes.increment();
      return;
    }
    lastVersion.put(key, version);
    long entries = results.get("entries").asLong();
    timelines.computeIfAbsent(key, k -> new ResultsTimeline()).observe(now, version, entries);
    if (role == Role.MODERATOR) {
      Map<String, Long> counts = new HashMap<>();
      for (JsonNode w : results.path("words")) {
        counts.put(w.path("key").asText(), w.path("count").asLong());
      }
      for (JsonNode w : results.path("hidden")) {
        counts.merge(w.path("key").asText(), w.path("count").asLong(), Long::sum);
      }
      List<WordsSnapshot> l = wordsHistory.computeIfAbsent(cloudId, k -> new ArrayList<>());
      synchronized (l) {
        l.add(new WordsSnapshot(now, entries, results.path("contributors").asLong(), Map.copyOf(counts)));
      }
    }
  }

  private void observePost(JsonNode post, long now, String where) {
    String id = post.path("id").asText(null);
    if (id == null || !post.path("version").isNumber() || !post.has("state") || !post.has("upvotes")
        || !post.has("kind")) {
      h.m.discrepancy(where + ": post lacks id, version, state, kind or upvotes", abbreviate(post.toString()));
      return;
    }
    String state = post.path("state").asText();
    boolean mine = post.path("mine").asBoolean(false);
    if (role == Role.VIEWER) {
      if (mine && !ownPosts.contains(id) && h.posts.post(id) != null) {
        h.m.discrepancy(where + ": a post marked mine: true was sent to a viewer who did not write it",
            abbreviate(post.toString()));
      }
      if (!mine && !"published".equals(state) && !post.path("text").asText("").isEmpty()) {
        h.m.discrepancy(where + ": a " + state + " post of someone else was shown to a viewer with its text",
            abbreviate(post.toString()));
      }
      if (post.has("originalText")) {
        h.m.discrepancy(where + ": originalText sent to a viewer (moderators only)", abbreviate(post.toString()));
      }
    }
    long version = post.get("version").asLong();
    Long last = lastPostVersion.get(id);
    if (last != null && version <= last) {
      h.m.stalePushes.increment();
      return;
    }
    lastPostVersion.put(id, version);
    if (!observer) {
      return;
    }
    postFirstSeen.putIfAbsent(id, now);
    if ("published".equals(state)) {
      postPublishedSeen.putIfAbsent(id, now);
    }
    if ("question".equals(post.path("kind").asText())) {
      timelines.computeIfAbsent("upvotes:" + id, k -> new ResultsTimeline())
          .observe(now, version, post.path("upvotes").asLong());
    }
    if (role == Role.MODERATOR) {
      h.onModeratorPost(this, post);
    }
  }

  private void observeReactions(String stageId, JsonNode r, long now) {
    if (!r.path("version").isNumber() || !r.path("totals").isObject()) {
      h.m.discrepancy("reactions lack version or totals", abbreviate(r.toString()));
      return;
    }
    long sum = 0;
    var it = r.path("totals").fields();
    while (it.hasNext()) {
      sum += it.next().getValue().asLong();
    }
    String key = "reactions:" + stageId;
    long version = r.get("version").asLong();
    Long last = lastVersion.get(key);
    if (last != null && version <= last) {
      h.m.stalePushes.increment();
      return;
    }
    lastVersion.put(key, version);
    timelines.computeIfAbsent(key, k -> new ResultsTimeline()).observe(now, version, sum);
  }

  private static String abbreviate(String s) {
    return s.length() > 400 ? s.substring(0, 400) + "…" : s;
  }

  private void onClose(Conn c) {
    h.m.closed(c.closingOnPurpose, c.ws.closeStatusCode());
    if (c != conn) {
      return;
    }
    conn = null;
    ready = false;
    if (c.closingOnPurpose || stopped) {
      failAll("closed by the generator");
      return;
    }
    if (reconnectsLeft <= 0 || h.stopping()) {
      failAll("connection lost");
      return;
    }
    reconnectsLeft--;
    int attempt = h.options.maxReconnects - reconnectsLeft;
    long backoff = Math.min(5000, 250L << Math.min(attempt, 4)) + ThreadLocalRandom.current().nextLong(250);
    h.vertx.setTimer(backoff, t -> reconnect());
  }

  private void reconnect() {
    if (stopped || h.stopping()) {
      failAll("stopped");
      return;
    }
    h.m.reconnects.increment();
    connectAndJoin(false).onComplete(ar -> {
      if (ar.succeeded()) {
        // writePending() has resent what was in flight
      } else if (conn == null) {
        // The close handler of the failed attempt (if any) did not take over: try again or give up.
        if (reconnectsLeft > 0 && !h.stopping()) {
          reconnectsLeft--;
          h.vertx.setTimer(1000 + ThreadLocalRandom.current().nextLong(500), t -> reconnect());
        } else {
          failAll("connection lost");
        }
      }
    });
  }

  private void failAll(String reason) {
    Iterator<Request> it = inFlight.values().iterator();
    while (it.hasNext()) {
      Request r = it.next();
      it.remove();
      h.vertx.cancelTimer(r.timer);
      h.m.clientFailure(reason);
      r.promise.tryFail(new NoAnswer(reason));
    }
  }

  /**
   * Closes the connection on purpose and opens a new one that joins with the same participant
   * token: what a phone does when it changes networks.
   */
  public Future<Void> reconnectNow() {
    return onContext(() -> {
      Conn c = conn;
      if (c == null) {
        return Future.failedFuture(new NoAnswer("not connected"));
      }
      c.closingOnPurpose = true;
      c.reconnecting = true;
      conn = null;
      ready = false;
      // Actions of this participant still in flight (a word, a reaction) are resent after the join
      // under their ids, as the client checklist asks; only non-resendable requests fail.
      failNonResendable("closed by the generator");
      return c.ws.close().transform(ar -> connectAndJoin(false));
    });
  }

  private void failNonResendable(String reason) {
    Iterator<Request> it = inFlight.values().iterator();
    while (it.hasNext()) {
      Request r = it.next();
      if (r.resendable && !r.join) {
        continue;
      }
      it.remove();
      h.vertx.cancelTimer(r.timer);
      h.m.clientFailure(reason);
      r.promise.tryFail(new NoAnswer(reason));
    }
  }

  /** Closes for good; answers still missing then count as lost. */
  public Future<Void> stop() {
    return onContext(() -> {
      stopped = true;
      Conn c = conn;
      if (c == null) {
        failAll("closed by the generator");
        return Future.succeededFuture();
      }
      c.closingOnPurpose = true;
      return c.ws.close((short) 1000, "load test done").transform(ar -> Future.<Void>succeededFuture());
    });
  }
}
