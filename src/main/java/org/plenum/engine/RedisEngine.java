package org.plenum.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Logger;
import org.plenum.engine.RedisScripts.Script;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.RefusalTexts;
import org.plenum.stage.CloudResults;
import org.plenum.stage.CloudWord;
import org.plenum.stage.Event;
import org.plenum.stage.Ids;
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;
import org.plenum.stage.Post;
import org.plenum.stage.PostView;
import org.plenum.stage.Presence;
import org.plenum.stage.Presentation;
import org.plenum.stage.PresenceSample;
import org.plenum.stage.ActivityKind;
import org.plenum.stage.ActivityMinute;
import org.plenum.stage.Interaction;
import org.plenum.stage.ReactionMinute;
import org.plenum.stage.ReactionTotals;
import org.plenum.stage.Stage;
import org.plenum.stage.WordCloud;

/**
 * The durable, multi-node engine: every node of a deployment shares one Redis, which is the truth;
 * a node keeps nothing but the token secret and its connections. Durability is whatever the
 * operator configures Redis for (appendonly); a write's Future succeeds once Redis has replied.
 *
 * <p>Key layout. Everything of a stage carries the stage id as hash tag, so it lives in one
 * Cluster slot and the scripts (which touch several of these keys) run on Redis Cluster too:
 * <pre>
 * plenum:{stage}:poll:&lt;poll&gt;      poll JSON (StoredForm.poll)
 * plenum:{stage}:polls              list of poll ids, creation order
 * plenum:{stage}:state:&lt;poll&gt;     draft | open | closed: what the vote script checks
 * plenum:{stage}:closes:&lt;poll&gt;    an open poll's timer deadline, epoch ms (absent: no timer); the vote
 *                                    script refuses from then on by Redis's clock (TIME)
 * plenum:{stage}:counts:&lt;poll&gt;    hash: choice key -&gt; count, "_v" results version, "_n" voters
 * plenum:{stage}:ballots:&lt;poll&gt;   hash: participant -&gt; Ballot.encode()
 * plenum:{stage}:act:&lt;participant&gt;:&lt;action&gt;   applied action id, expires after the action id TTL
 * plenum:{stage}:presence           hash: reporter -&gt; "viewers,moderators,presenters,expiresAtMillis,hall,stream"
 * plenum:{stage}:cloud:&lt;cloud&gt;    cloud JSON (StoredForm.cloud)
 * plenum:{stage}:clouds             list of cloud ids, creation order
 * plenum:{stage}:cloud-state:&lt;cloud&gt;   draft | open | closed: what the word script checks
 * plenum:{stage}:cloud-meta:&lt;cloud&gt;    hash: "_v" version, "_n" contributors, "_e" entries
 * plenum:{stage}:cloud-rank:&lt;cloud&gt;    zset: key -&gt; minus its contributor count (ascending = best first,
 *                                    ties by key), hidden keys included
 * plenum:{stage}:cloud-who:&lt;cloud&gt;:&lt;key&gt;     set: contributors of the key
 * plenum:{stage}:cloud-spell:&lt;cloud&gt;:&lt;key&gt;   hash: spelling -&gt; how often it was typed
 * plenum:{stage}:cloud-mine:&lt;cloud&gt;:&lt;participant&gt;   set: the participant's keys (merges applied)
 * plenum:{stage}:cloud-merged:&lt;cloud&gt; hash: merged-away key -&gt; the key it counts for (one hop)
 * plenum:{stage}:cloud-hidden:&lt;cloud&gt; set of hidden keys
 * plenum:{stage}:post:&lt;post&gt;      hash: "doc" post JSON (StoredForm.post), "rev" its revision, "v" version
 * plenum:{stage}:posts              list of post ids, creation order
 * plenum:{stage}:upvoters:&lt;post&gt;  set of participants upvoting the post
 * plenum:{stage}:upvoted:&lt;participant&gt;   set of the post ids the participant upvotes
 * plenum:{stage}:reactions          hash: emoji -&gt; total, "_v" version
 * plenum:{stage}:reaction-minutes   hash: "&lt;minute epoch second&gt;|&lt;emoji&gt;" -&gt; count
 * plenum:{stage}:activity           hash: "&lt;minute epoch second&gt;|&lt;activity kind&gt;" -&gt; count
 * plenum:{stage}:activity-minutes   zset of the minutes in "activity" (to drop the oldest beyond
 *                                    {@link StatisticsStore#MAX_MINUTES})
 * plenum:{stage}:participants       HyperLogLog of the participants that interacted
 * plenum:{stage}:log                list: the interaction log, "&lt;ms&gt;|&lt;kind&gt;|&lt;target&gt;|&lt;participant&gt;|&lt;detail&gt;",
 *                                    the newest {@link StatisticsStore#MAX_LOG}
 * plenum:{stage}:samples            hash: presence sample interval start (ms) -&gt; "v,m,p,hall,stream"
 * plenum:{stage}:sample-times       zset of the sample interval starts (to drop the oldest beyond
 *                                    {@link StatisticsStore#MAX_SAMPLES})
 * plenum:{stage}:presenting         what the stage's screens show (StoredForm.presentation); absent = auto
 * plenum:{stage}:muted              set of the participants a moderator muted on the stage
 * </pre>
 * Action ids of every kind share the {@code act:} keys, so a retried action of any kind answers
 * duplicate; a post's action id holds the post id, the others "1". Scripts that reach keys named by
 * data (a word's contributors, a participant's entries, a post's upvoters) build them from a prefix
 * carrying the same hash tag, so they are in the slot of the keys the script declares.
 * The catalogue is global and small, and lives under one hash tag, {@code {plenum}}, so it is one
 * Cluster slot and its multi-key reads (MGET of documents) stay on one node:
 * {@code plenum:{plenum}:event:<id>} and {@code plenum:{plenum}:stage:<id>} (JSON),
 * {@code plenum:{plenum}:events} and {@code plenum:{plenum}:event-stages:<event>} (sorted sets scored
 * by the counter {@code plenum:{plenum}:seq}, i.e. creation order), {@code plenum:{plenum}:code:<CODE>}
 * (stage id, claimed with SET NX), {@code plenum:{plenum}:mod:<id>}, {@code plenum:{plenum}:event-mods:<event>},
 * {@code plenum:{plenum}:modtoken:<hash>} and {@code plenum:{plenum}:secret} (base64, SET NX once per
 * deployment), and {@code plenum:{plenum}:deleting} (hash: the stages and events being deleted, see
 * {@link #finishDeletions}). A deployment from before the tag is renamed on start ({@link RedisKeyMigration}).
 * Deleting a stage removes every key of its hash tag ({@code plenum:{stage}:*}) in bounded SCAN
 * steps run by a script on the node owning the slot, so it works on Redis Cluster too.
 * Voters are kept as the {@code _n} field, maintained by the vote script, so results are one HGETALL.
 *
 * <p>Changes. Each applied write is announced on the local event bus at once, and to the other nodes
 * on its stage's channel {@code plenum:{stage}:changes} as {@code <instance>#<Change.encode()>}
 * (sharded pub/sub, SPUBLISH, on Redis 7; plain PUBLISH on older standalone servers). Event-level
 * changes (a revoked moderator access) go on the global channel {@code plenum:{plenum}:changes};
 * presence goes nowhere (nodes re-read the sum). A node hears a stage's channel while it
 * {@linkplain #watchStage watches} the stage, and the global one always ({@link RedisSubscriber}
 * routes each channel to the cluster node owning its slot). Announcements to other nodes are
 * coalesced for {@value #PUBLISH_COALESCE_MS} ms, so a burst of votes on one poll is one publish,
 * not one per vote (the hubs read aggregates per tick anyway). A node skips its own messages and
 * republishes the others locally. A change published while a subscription is down is not replayed:
 * after resubscribing, and after Redis answers again following an outage or an unknown outcome, the
 * node announces {@link Change#resync()} locally (now and a tick later) and its hubs re-read every
 * stage. A publish that fails is queued again (once per aggregate) and retried a tick later.
 *
 * <p>Unknown outcomes. An action whose command was handed to Redis but not answered within
 * {@code redisCommandTimeoutMs} (or whose connection was lost meanwhile) may or may not have been
 * applied: its Future fails with {@link ErrorCode#OUTCOME_UNKNOWN} and its change is announced
 * anyway. A command that never left (no connection) fails otherwise, which the gateway answers
 * {@code unavailable}. A {@code duplicate} announces its change too: its original may have been
 * applied by a request whose reply was lost.
 *
 * <p>Metrics: every round trip is timed with {@link PlenumMetrics#redisCommand}, tagged with the
 * lower-case Redis command or, for scripts, the script's name (vote, save_poll, close_poll, presence_report,
 * presence_read, save_cloud, submit_word, hide_word, merge_words, cloud_read, submit_post, update_post,
 * upvote, posts_read, react, record_sample, scan_delete, reorder_list, reorder_zset).
 */
final class RedisEngine implements Engine {
  private static final Logger LOG = Logger.getLogger(RedisEngine.class.getName());

  /** Every catalogue key starts so: one hash tag, one Cluster slot, so MGET and the like stay in one slot. */
  static final String CATALOGUE = "plenum:{plenum}:";
  /** Changes not owned by one stage (a revoked moderator access: stageId is the event's). */
  static final String GLOBAL_CHANNEL = CATALOGUE + "changes";
  private static final String SECRET_KEY = CATALOGUE + "secret";
  private static final String EVENTS_KEY = CATALOGUE + "events";
  private static final String SEQUENCE_KEY = CATALOGUE + "seq";

  private static final long PUBLISH_COALESCE_MS = 20;
  private static final long TICK_MS = 1_000;
  private static final long PING_TIMEOUT_MS = 2_000;
  /** The default of {@code redisCommandTimeoutMs}. */
  static final long DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
  private static final int CONNECT_TIMEOUT_MS = 2_000;
  /** Requests waiting for a pooled connection; the client's default (24) refuses a burst of votes. */
  private static final int MAX_POOL_WAITING = 100_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  /** This engine instance in pub/sub messages: the node id plus a random part, unique even if node ids are not. */
  private final String instanceId;
  private final long actionIdTtlMillis;
  /** No command waits forever on a hung Redis; a timed-out action is answered outcome_unknown. */
  private final long commandTimeoutMs;
  private final PlenumMetrics metrics;
  private final Redis redis;
  private final RedisTarget target;
  /** The change channels this node hears, on connections of their own (so they never take a command slot). */
  private final RedisSubscriber subscriber;
  /** Commands sent from an event loop go on that loop's own pipelined connection. */
  private final RedisPipelines pipelines;

  /** Changes not yet published to other nodes, in the order first announced, each once. */
  private final Queue<String> unpublished = new ConcurrentLinkedQueue<>();
  private final Set<String> unpublishedSet = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean publishScheduled = new AtomicBoolean();
  /** When the PING in flight was sent, 0 if none is. */
  private final AtomicLong pingSentAt = new AtomicLong();

  private volatile boolean started;
  private volatile boolean stopped;
  private volatile boolean reachable;
  private volatile byte[] secret;
  private volatile long tickTimer = -1;
  /**
   * Set when an outcome was unknown or Redis unreachable: once Redis answers again, every node-local
   * view is re-read ({@link Change#resync()}), since changes may have been applied unannounced.
   */
  private final AtomicBoolean resyncDue = new AtomicBoolean();

  RedisEngine(Vertx vertx, String redisUrl, int poolSize, String nodeId, long actionIdTtlMillis, PlenumMetrics metrics) {
    this(vertx, RedisTarget.standalone(redisUrl), poolSize, nodeId, actionIdTtlMillis, metrics, DEFAULT_COMMAND_TIMEOUT_MS);
  }

  RedisEngine(Vertx vertx, String redisUrl, int poolSize, String nodeId, long actionIdTtlMillis, PlenumMetrics metrics,
              long commandTimeoutMs) {
    this(vertx, RedisTarget.standalone(redisUrl), poolSize, nodeId, actionIdTtlMillis, metrics, commandTimeoutMs);
  }

  RedisEngine(Vertx vertx, RedisTarget target, int poolSize, String nodeId, long actionIdTtlMillis, PlenumMetrics metrics,
              long commandTimeoutMs) {
    Change.registerCodec(vertx);
    this.target = target;
    this.commandTimeoutMs = Math.max(1, commandTimeoutMs);
    this.vertx = vertx;
    String node = nodeId == null || nodeId.isBlank() ? "node" : nodeId.replace('#', '_');
    this.instanceId = node + "/" + Ids.newId("");
    this.actionIdTtlMillis = Math.max(1, actionIdTtlMillis);
    this.metrics = metrics;
    RedisOptions options = target.options()
        .setMaxPoolSize(Math.max(1, poolSize))
        .setMaxPoolWaiting(MAX_POOL_WAITING);
    options.getNetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS);
    this.redis = Redis.createClient(vertx, options);
    this.subscriber = new RedisSubscriber(vertx, target, redis, this.commandTimeoutMs, CONNECT_TIMEOUT_MS,
        new RedisSubscriber.Listener() {
          @Override
          public void message(String channel, String payload) {
            onPubSubMessage(payload);
          }

          @Override
          public void resubscribed(String why) {
            resync(why);
          }
        });
    this.pipelines = new RedisPipelines(vertx, target, CONNECT_TIMEOUT_MS, this.commandTimeoutMs);
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public boolean isReady() {
    return started && !stopped && reachable;
  }

  @Override
  public Future<Void> start() {
    Future<Void> ready = loadScripts()
        .compose(v -> choosePubSub())
        .compose(v -> target.cluster() ? Future.succeededFuture() : RedisKeyMigration.run(this::send))
        .compose(v -> loadSecret())
        .compose(v -> subscriber.watch(GLOBAL_CHANNEL))
        .onSuccess(v -> {
          reachable = true;
          this.started = true;
          tickTimer = vertx.setPeriodic(TICK_MS, id -> tick());
        });
    return ready;
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    started = false;
    if (tickTimer >= 0) {
      vertx.cancelTimer(tickTimer);
    }
    Future<Void> closed = publishPending()
        .eventually(subscriber::close)
        .eventually(() -> Future.join(pipelines.close(), redis.close()))
        .mapEmpty();
    return closed;
  }

  /** Whether this node currently hears the other nodes' changes on every channel it wants (diagnostics and tests). */
  boolean isSubscribed() {
    return subscriber.allSubscribed();
  }

  /** The channels this node is confirmed subscribed to (tests). */
  Future<Set<String>> subscribedChannels() {
    return subscriber.subscribed();
  }

  /**
   * Subscribes this node to the stage's change channel (sharded: {@code plenum:{stage}:changes}) on
   * the first watch; completes once Redis confirmed it.
   */
  @Override
  public Future<Void> watchStage(String stageId) {
    return subscriber.watch(stageChannel(stageId));
  }

  @Override
  public void unwatchStage(String stageId) {
    subscriber.unwatch(stageChannel(stageId));
  }

  static String stageChannel(String stageId) {
    return ofStage(stageId, "changes");
  }

  /** The channel a change travels on between nodes: its stage's, or the global one for event-level changes. */
  private static String channelOf(String encodedChange) {
    Change change = Change.decode(encodedChange);
    return change.kind() == Change.Kind.MODERATOR ? GLOBAL_CHANNEL : stageChannel(change.stageId());
  }

  /**
   * Sharded pub/sub (SSUBSCRIBE, SPUBLISH) needs Redis 7; a Redis Cluster must have it, since plain
   * PUBLISH there is copied to every node of the cluster. A standalone Redis 6 gets plain channels.
   */
  private Future<Void> choosePubSub() {
    return send("info", Request.cmd(Command.INFO).arg("server")).compose(info -> {
      String version = info == null ? "" : info.toString().lines().filter(l -> l.startsWith("redis_version:"))
          .map(l -> l.substring("redis_version:".length()).strip()).findFirst().orElse("");
      int major;
      try {
        major = Integer.parseInt(version.split("\\.")[0]);
      } catch (NumberFormatException e) {
        major = 7; // a server that hides its version (a managed service): assume a current one
      }
      if (major < 7 && target.cluster()) {
        return Future.failedFuture(new IllegalStateException("Redis " + version
            + " has no sharded pub/sub; redisMode=cluster needs Redis 7 or newer"));
      }
      subscriber.sharded(major >= 7);
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<byte[]> tokenSecret() {
    byte[] s = secret;
    return s == null ? Future.failedFuture(new IllegalStateException("the Redis engine is not started"))
        : Future.succeededFuture(s);
  }

  // ---- catalogue -------------------------------------------------------------------------

  @Override
  public Future<Event> createEvent(Event event) {
    Future<Event> created = send("set", Request.cmd(Command.SET).arg(eventKey(event.id())).arg(StoredForm.event(event).encode()))
        .compose(r -> nextSequence())
        .compose(seq -> send("zadd", Request.cmd(Command.ZADD).arg(EVENTS_KEY).arg("NX").arg(seq).arg(event.id())))
        .map(event);
    return created;
  }

  @Override
  public Future<List<Event>> events() {
    Future<List<Event>> events = send("zrange", Request.cmd(Command.ZRANGE).arg(EVENTS_KEY).arg(0).arg(-1))
        .compose(ids -> documents(ids, RedisEngine::eventKey))
        .map(docs -> docs.stream().map(StoredForm::event).toList());
    return events;
  }

  @Override
  public Future<Optional<Event>> event(String eventId) {
    return document(eventKey(eventId)).map(doc -> doc.map(StoredForm::event));
  }

  /**
   * Claims the join code with SET NX first: that is the atomic step which keeps codes unique across
   * nodes. If a later step fails the code stays claimed by this stage id; retrying with the same
   * code then reports it taken, and the caller picks another (as it would anyway).
   */
  @Override
  public Future<Stage> createStage(Stage stage) {
    Future<Stage> created = send("set", Request.cmd(Command.SET).arg(codeKey(stage.code())).arg(stage.id()).arg("NX"))
        .compose(claimed -> claimed == null
            ? Future.failedFuture(new CodeTakenException(stage.code()))
            : send("set", Request.cmd(Command.SET).arg(stageKey(stage.id())).arg(StoredForm.stage(stage).encode())))
        .compose(r -> nextSequence())
        .compose(seq -> send("zadd",
            Request.cmd(Command.ZADD).arg(eventStagesKey(stage.eventId())).arg("NX").arg(seq).arg(stage.id())))
        .map(stage);
    return created;
  }

  @Override
  public Future<List<Stage>> stages(String eventId) {
    Future<List<Stage>> stages = send("zrange", Request.cmd(Command.ZRANGE).arg(eventStagesKey(eventId)).arg(0).arg(-1))
        .compose(ids -> documents(ids, RedisEngine::stageKey))
        .map(docs -> docs.stream().map(StoredForm::stage).filter(s -> s.eventId().equals(eventId)).toList());
    return stages;
  }

  @Override
  public Future<Optional<Stage>> stage(String stageId) {
    return document(stageKey(stageId)).map(doc -> doc.map(StoredForm::stage));
  }

  @Override
  public Future<Optional<Stage>> stageByCode(String code) {
    Future<Optional<Stage>> stage = send("get", Request.cmd(Command.GET).arg(codeKey(code)))
        .compose(id -> id == null ? Future.succeededFuture(Optional.<JsonObject>empty()) : document(stageKey(id.toString())))
        .map(doc -> doc.map(StoredForm::stage));
    return stage;
  }

  @Override
  public Future<Poll> savePoll(Poll poll) {
    String stageId = poll.stageId();
    Future<Poll> saved = evalScript(RedisScripts.SAVE_POLL,
            List.of(pollKey(stageId, poll.id()), stateKey(stageId, poll.id()), pollsKey(stageId),
                closesKey(stageId, poll.id())),
            List.of(StoredForm.poll(poll).encode(), poll.state().wire(), poll.id(),
                poll.isOpen() && poll.closesAt() != null ? String.valueOf(poll.closesAt().toEpochMilli()) : ""))
        .onSuccess(r -> announce(new Change(Change.Kind.POLL, stageId, poll.id())))
        .map(poll);
    return written(saved, new Change(Change.Kind.POLL, stageId, poll.id()));
  }

  @Override
  public Future<Optional<Poll>> closePollAtDeadline(String stageId, String pollId, Instant closesAt) {
    // The closed document is built from the stored one; the script's compare-and-set on the state
    // and deadline keys makes sure it is still the poll this close is for.
    return poll(stageId, pollId).compose(found -> {
      if (found.isEmpty() || !found.get().isOpen() || !closesAt.equals(found.get().closesAt())) {
        return Future.succeededFuture(Optional.<Poll>empty());
      }
      Poll closed = found.get().closeAtDeadline();
      Change change = new Change(Change.Kind.POLL, stageId, pollId);
      Future<Optional<Poll>> done = evalScript(RedisScripts.CLOSE_POLL,
              List.of(pollKey(stageId, pollId), stateKey(stageId, pollId), closesKey(stageId, pollId)),
              List.of(String.valueOf(closesAt.toEpochMilli()), StoredForm.poll(closed).encode()))
          .map(reply -> {
            if (reply.toInteger() == 1) {
              announce(change);
              return Optional.of(closed);
            }
            return Optional.<Poll>empty();
          });
      return written(done, change);
    });
  }

  @Override
  public Future<List<Poll>> polls(String stageId) {
    return listed(pollsKey(stageId), id -> pollKey(stageId, id), StoredForm::poll);
  }

  /** The documents whose ids a list holds, in list order, parsed. */
  private <T> Future<List<T>> listed(String listKey, java.util.function.Function<String, String> documentKey,
                                     java.util.function.Function<JsonObject, T> parse) {
    return send("lrange", Request.cmd(Command.LRANGE).arg(listKey).arg(0).arg(-1))
        .compose(ids -> documents(ids, documentKey))
        .map(docs -> docs.stream().map(parse).toList());
  }

  @Override
  public Future<Optional<Poll>> poll(String stageId, String pollId) {
    return document(pollKey(stageId, pollId)).map(doc -> doc.map(StoredForm::poll));
  }

  // ---- aggregates ------------------------------------------------------------------------

  @Override
  public Future<VoteReceipt> vote(VoteAction action) {
    String stageId = action.stageId();
    String pollId = action.pollId();
    Future<VoteReceipt> receipt = evalScript(RedisScripts.VOTE,
            counting(stageId, actionKey(stageId, action.participantId(), action.actionId()), stateKey(stageId, pollId),
                countsKey(stageId, pollId), ballotsKey(stageId, pollId), closesKey(stageId, pollId)),
            counting(interaction(ActivityKind.VOTES, pollId, action.ballot().encode(), action.participantId()),
                action.participantId(), action.ballot().encode(), String.valueOf(actionIdTtlMillis)))
        .compose(reply -> {
          String status = reply.get(0).toString();
          long version = reply.get(1).toLong();
          if (status.equals("applied")) {
            announce(new Change(Change.Kind.RESULTS, stageId, pollId));
            return Future.succeededFuture(new VoteReceipt(false, version));
          }
          if (status.equals("duplicate")) {
            // its original may have been applied by a request whose reply was lost: tell the hubs
            announce(new Change(Change.Kind.RESULTS, stageId, pollId));
            return Future.succeededFuture(new VoteReceipt(true, version));
          }
          if (status.equals("unknown_poll")) {
            return Future.failedFuture(EngineRefusal.of(ErrorCode.UNKNOWN_POLL, RefusalTexts.POLL, pollId));
          }
          if (status.startsWith("closed:")) {
            Instant deadline = Instant.ofEpochMilli(Long.parseLong(status.substring("closed:".length())));
            return Future.failedFuture(EngineRefusal.of(ErrorCode.POLL_CLOSED,
                RefusalTexts.POLL, pollId, RefusalTexts.CLOSES_AT, deadline.toString()));
          }
          if (status.startsWith("not_open:")) {
            return Future.failedFuture(EngineRefusal.of(ErrorCode.POLL_NOT_OPEN,
                RefusalTexts.POLL, pollId, RefusalTexts.PHASE, status.substring("not_open:".length())));
          }
          return Future.failedFuture(new IllegalStateException("vote script answered " + status));
        });
    return written(receipt, new Change(Change.Kind.RESULTS, stageId, pollId));
  }

  @Override
  public Future<Boolean> removeBallot(Poll poll, String participantId) {
    Change change = new Change(Change.Kind.RESULTS, poll.stageId(), poll.id());
    Future<Boolean> removed = evalScript(RedisScripts.UNVOTE,
            List.of(countsKey(poll.stageId(), poll.id()), ballotsKey(poll.stageId(), poll.id())), List.of(participantId))
        .map(reply -> {
          boolean applied = reply.get(0).toInteger() == 1;
          if (applied) {
            announce(change);
          }
          return applied;
        });
    return written(removed, change);
  }

  @Override
  public Future<PollResults> results(Poll poll) {
    Future<PollResults> results = send("hgetall", Request.cmd(Command.HGETALL).arg(countsKey(poll.stageId(), poll.id())))
        .map(reply -> {
          long version = 0;
          long voters = 0;
          Map<String, Long> counts = new HashMap<>();
          for (Map.Entry<String, String> field : hash(reply).entrySet()) {
            long value = Long.parseLong(field.getValue());
            switch (field.getKey()) {
              case "_v" -> version = value;
              case "_n" -> voters = value;
              default -> counts.put(field.getKey(), value);
            }
          }
          return PollResults.of(poll, version, voters, counts);
        });
    return results;
  }

  @Override
  public Future<Void> reportPresence(String reporterId, String stageId, Presence presence, long ttlMillis) {
    String counts = presence.viewers() + "," + presence.moderators() + "," + presence.presenters();
    Future<Void> reported = evalScript(RedisScripts.PRESENCE_REPORT, List.of(presenceKey(stageId)),
            List.of(reporterId, counts, String.valueOf(ttlMillis), presence.viewersHall() + "," + presence.viewersStream()))
        .onSuccess(r -> announce(new Change(Change.Kind.PRESENCE, stageId, null)))
        .mapEmpty();
    return reported;
  }

  @Override
  public Future<Presence> presence(String stageId) {
    Future<Presence> sum = evalScript(RedisScripts.PRESENCE_READ, List.of(presenceKey(stageId)), List.of())
        .map(r -> new Presence(r.get(0).toLong(), r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong(),
            r.get(4).toLong()));
    return sum;
  }

  // ---- start-up ---------------------------------------------------------------------------

  /** Preloads the scripts; EVALSHA falls back to EVAL anyway if a Redis restart empties the cache. */
  private Future<Void> loadScripts() {
    List<Future<Response>> loads = new ArrayList<>();
    for (Script script : RedisScripts.ALL) {
      loads.add(send("script", Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source()))
          .andThen(ar -> {
            if (ar.succeeded() && !script.sha().equals(ar.result().toString())) {
              LOG.warning("Redis names script " + script.name() + " " + ar.result() + ", expected " + script.sha());
            }
          }));
    }
    return Future.all(loads).mapEmpty();
  }

  /** The first node to start stores a random secret; every node (and restart) then reads that one. */
  private Future<Void> loadSecret() {
    byte[] fresh = new byte[32];
    RANDOM.nextBytes(fresh);
    return send("set", Request.cmd(Command.SET).arg(SECRET_KEY).arg(Base64.getEncoder().encodeToString(fresh)).arg("NX"))
        .compose(r -> send("get", Request.cmd(Command.GET).arg(SECRET_KEY)))
        .compose(stored -> {
          if (stored == null) {
            return Future.failedFuture(new IllegalStateException(SECRET_KEY + " disappeared while starting"));
          }
          secret = Base64.getDecoder().decode(stored.toString());
          return Future.succeededFuture();
        });
  }

  // ---- cross-node changes -----------------------------------------------------------------

  /**
   * A write whose reply may be lost. When Redis may have applied it without our hearing back, the
   * change is announced anyway (hubs re-read the aggregate; if it did not change, nothing is pushed),
   * a re-read of every stage is due once Redis answers again, and the caller gets
   * {@code outcome_unknown}: resend under the same action id, which is applied at most once.
   */
  private <T> Future<T> written(Future<T> write, Change change) {
    return write.recover(err -> {
      if (!(err instanceof OutcomeUnknownException)) {
        return Future.failedFuture(err);
      }
      resyncDue.set(true);
      announce(change);
      return Future.failedFuture(EngineRefusal.of(ErrorCode.OUTCOME_UNKNOWN));
    });
  }

  /**
   * Tells this node's hubs to re-read every stage they serve, now and once more a tick later:
   * commands a stalled Redis still held may run after the first re-read.
   */
  private void resync(String why) {
    LOG.info("re-reading every stage served here (" + why + ")");
    Change.publish(vertx, Change.resync());
    vertx.setTimer(TICK_MS, id -> {
      if (!stopped) {
        Change.publish(vertx, Change.resync());
      }
    });
  }

  private void announce(Change change) {
    Change.publish(vertx, change);
    if (stopped || change.kind() == Change.Kind.PRESENCE) {
      // presence goes no further: each node re-reads the deployment-wide sum for its moderators
      return;
    }
    String encoded = change.encode();
    if (unpublishedSet.add(encoded)) {
      unpublished.add(encoded);
    }
    if (publishScheduled.compareAndSet(false, true)) {
      vertx.setTimer(PUBLISH_COALESCE_MS, id -> publishPending());
    }
  }

  /**
   * Sends every change announced since the last call, once each, in announcement order (a new
   * poll's POLL before its first RESULTS): one pipelined batch on one connection keeps that order.
   * Each change goes to its stage's channel (SPUBLISH, so only the nodes watching the stage hear
   * it); on a cluster, one batch per channel, since a batch must stay on one node.
   */
  private Future<Void> publishPending() {
    // Reset first: a change added while draining either gets drained now or schedules the next run.
    publishScheduled.set(false);
    Map<String, List<String>> byChannel = new java.util.LinkedHashMap<>();
    String change;
    while ((change = unpublished.poll()) != null) {
      // Forget it before sending: announcing it again from now on queues a new PUBLISH, and an
      // announcement that raced in before this line is covered by the PUBLISH sent below.
      unpublishedSet.remove(change);
      byChannel.computeIfAbsent(target.cluster() ? channelOf(change) : "", c -> new ArrayList<>()).add(change);
    }
    if (byChannel.isEmpty()) {
      return Future.succeededFuture();
    }
    Command publish = subscriber.sharded() ? Command.SPUBLISH : Command.PUBLISH;
    List<Future<Void>> batches = new ArrayList<>();
    for (List<String> changes : byChannel.values()) {
      List<Request> publishes = new ArrayList<>(changes.size());
      for (String c : changes) {
        publishes.add(Request.cmd(publish).arg(channelOf(c)).arg(instanceId + "#" + c));
      }
      long start = System.nanoTime();
      batches.add(redis.batch(publishes)
          .timeout(commandTimeoutMs, TimeUnit.MILLISECONDS)
          .andThen(ar -> {
            record("publish", start);
            if (ar.failed()) {
              LOG.warning("could not tell other nodes about " + publishes.size() + " change(s), retrying: " + ar.cause());
              requeue(changes);
            }
          })
          .<Void>mapEmpty()
          .otherwiseEmpty());
    }
    return Future.join(batches).<Void>mapEmpty().otherwiseEmpty();
  }

  /** Puts changes whose PUBLISH failed back in the queue and tries again a tick later (dashboards must converge). */
  private void requeue(List<String> failed) {
    if (stopped) {
      return;
    }
    for (String change : failed) {
      if (unpublishedSet.add(change)) {
        unpublished.add(change);
      }
    }
    if (publishScheduled.compareAndSet(false, true)) {
      vertx.setTimer(TICK_MS, id -> publishPending());
    }
  }

  private void onPubSubMessage(String payload) {
    int separator = payload.lastIndexOf('#');
    if (separator < 0 || payload.substring(0, separator).equals(instanceId)) {
      return; // not ours to read, or our own change, already published locally
    }
    try {
      Change.publish(vertx, Change.decode(payload.substring(separator + 1)));
    } catch (RuntimeException e) {
      LOG.warning("ignoring malformed change from another node: " + payload);
    }
  }

  // ---- health -----------------------------------------------------------------------------

  /** Every second: PING to keep {@link #isReady} honest, and subscribe again whatever subscription was lost. */
  private void tick() {
    if (stopped) {
      return;
    }
    long now = System.currentTimeMillis();
    long sentAt = pingSentAt.get();
    if (sentAt != 0) {
      if (now - sentAt > PING_TIMEOUT_MS) {
        unreachable("PING unanswered for " + (now - sentAt) + " ms");
      }
    } else if (pingSentAt.compareAndSet(0, now)) {
      send("ping", Request.cmd(Command.PING)).onComplete(ar -> {
        pingSentAt.set(0);
        if (ar.succeeded()) {
          if (!reachable) {
            LOG.info("Redis is reachable again");
          }
          reachable = true;
          if (resyncDue.compareAndSet(true, false)) {
            resync("Redis answers again after a stall or outage");
          }
        } else {
          unreachable(String.valueOf(ar.cause()));
        }
      });
    }
    subscriber.tick();
  }

  private void unreachable(String why) {
    if (reachable) {
      LOG.warning("Redis is unreachable (" + why + "); the engine reports not ready");
    }
    reachable = false;
    resyncDue.set(true);
  }

  // ---- commands ---------------------------------------------------------------------------

  /** On an event loop through its pipelined connection, elsewhere (start-up, tests) through the pool. */
  private Future<Response> send(String name, Request request) {
    long start = System.nanoTime();
    Future<Response> sent = pipelines.usable()
        ? pipelines.send(request)
        : redis.send(request).timeout(commandTimeoutMs, TimeUnit.MILLISECONDS)
            .recover(err -> Future.failedFuture(err instanceof java.net.ConnectException ? err
                : OutcomeUnknownException.classify(err)));
    return sent.andThen(ar -> record(name, start));
  }

  private void record(String name, long startNanos) {
    if (metrics != null) {
      metrics.redisCommand(name, System.nanoTime() - startNanos);
    }
  }

  private Future<Response> evalScript(Script script, List<String> keys, List<String> args) {
    return send(script.name(), scriptRequest(Command.EVALSHA, script.sha(), keys, args))
        .recover(t -> isNoScript(t)
            ? send(script.name(), scriptRequest(Command.EVAL, script.source(), keys, args))
            : Future.failedFuture(t));
  }

  private static Request scriptRequest(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static boolean isNoScript(Throwable t) {
    return t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT");
  }

  private Future<Long> nextSequence() {
    return send("incr", Request.cmd(Command.INCR).arg(SEQUENCE_KEY)).map(Response::toLong);
  }

  private Future<Optional<JsonObject>> document(String key) {
    return send("get", Request.cmd(Command.GET).arg(key))
        .map(r -> r == null ? Optional.empty() : Optional.of(new JsonObject(r.toString())));
  }

  /** The documents of the given ids, in their order; ids whose document is missing are skipped. */
  private Future<List<JsonObject>> documents(Response ids, Function<String, String> keyOf) {
    if (ids == null || ids.size() == 0) {
      return Future.succeededFuture(List.of());
    }
    Request mget = Request.cmd(Command.MGET);
    for (Response id : ids) {
      mget.arg(keyOf.apply(id.toString()));
    }
    return send("mget", mget).map(docs -> {
      List<JsonObject> out = new ArrayList<>(docs.size());
      for (Response doc : docs) {
        if (doc != null) {
          out.add(new JsonObject(doc.toString()));
        }
      }
      return out;
    });
  }

  /** A hash reply as a map, whether Redis answered in RESP3 (a map) or RESP2 (a flat array). */
  private static Map<String, String> hash(Response reply) {
    Map<String, String> out = new HashMap<>();
    if (reply == null) {
      return out;
    }
    if (reply.isMap()) {
      for (String key : reply.getKeys()) {
        out.put(key, reply.get(key).toString());
      }
    } else {
      for (int i = 0; i + 1 < reply.size(); i += 2) {
        out.put(reply.get(i).toString(), reply.get(i + 1).toString());
      }
    }
    return out;
  }

  // ---- keys -------------------------------------------------------------------------------

  private static String eventKey(String eventId) {
    return CATALOGUE + "event:" + eventId;
  }

  private static String stageKey(String stageId) {
    return CATALOGUE + "stage:" + stageId;
  }

  private static String eventStagesKey(String eventId) {
    return CATALOGUE + "event-stages:" + eventId;
  }

  private static String codeKey(String code) {
    return CATALOGUE + "code:" + code;
  }

  @Override
  public Future<Long> takeAllowance(String stageId, String what, int count, int seconds) {
    long interval = Math.max(1, seconds * 1000L / count);
    return evalScript(RedisScripts.TAKE_ALLOWANCE, List.of(ofStage(stageId, "allowance:" + what)),
        List.of(String.valueOf(interval), String.valueOf(interval * (count - 1)))).map(Response::toLong);
  }

  private static String ofStage(String stageId, String rest) {
    return "plenum:{" + stageId + "}:" + rest;
  }

  private static String pollKey(String stageId, String pollId) {
    return ofStage(stageId, "poll:" + pollId);
  }

  private static String pollsKey(String stageId) {
    return ofStage(stageId, "polls");
  }

  private static String stateKey(String stageId, String pollId) {
    return ofStage(stageId, "state:" + pollId);
  }

  private static String closesKey(String stageId, String pollId) {
    return ofStage(stageId, "closes:" + pollId);
  }

  private static String countsKey(String stageId, String pollId) {
    return ofStage(stageId, "counts:" + pollId);
  }

  private static String ballotsKey(String stageId, String pollId) {
    return ofStage(stageId, "ballots:" + pollId);
  }

  private static String actionKey(String stageId, String participantId, String actionId) {
    return ofStage(stageId, "act:" + participantId + ":" + actionId);
  }

  private static String presenceKey(String stageId) {
    return ofStage(stageId, "presence");
  }

  // ---- catalogue updates ----------------------------------------------------------------

  /**
   * Reads the stored event and writes the new one with SET XX. Not one atomic step, and it need not
   * be: what is kept from the stored event (id, creation time) never changes, and two concurrent
   * replacements end with one of them, as they would in any order.
   */
  @Override
  public Future<Event> updateEvent(Event event) {
    Future<Event> updated = document(eventKey(event.id()))
        .compose(doc -> {
          if (doc.isEmpty()) {
            return RedisEngine.<Event>refuse(ErrorCode.UNKNOWN_EVENT, RefusalTexts.EVENT, event.id());
          }
          Event existing = StoredForm.event(doc.get());
          Event next = new Event(existing.id(), event.name(), existing.createdAt(), List.copyOf(event.blockedWords()),
              event.moderatorsMayExport(), event.passcode());
          return replace(eventKey(next.id()), StoredForm.event(next))
              .compose(replaced -> replaced ? Future.succeededFuture(next)
                  : refuse(ErrorCode.UNKNOWN_EVENT, RefusalTexts.EVENT, event.id()));
        });
    return updated;
  }

  /** Like {@link #updateEvent}: the stage's id, event, join code and creation time are kept as stored. */
  @Override
  public Future<Stage> updateStage(Stage stage) {
    Future<Stage> updated = document(stageKey(stage.id()))
        .compose(doc -> {
          if (doc.isEmpty()) {
            return RedisEngine.<Stage>refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stage.id());
          }
          Stage existing = StoredForm.stage(doc.get());
          Stage next = new Stage(existing.id(), existing.eventId(), stage.name(), existing.code(), existing.createdAt(),
              stage.settings());
          return replace(stageKey(next.id()), StoredForm.stage(next))
              .compose(replaced -> replaced ? Future.succeededFuture(next)
                  : refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stage.id()));
        })
        .onSuccess(next -> announce(new Change(Change.Kind.STAGE, next.id(), null)));
    return updated;
  }

  /** SET XX: true if the key existed and now holds {@code doc}. */
  private Future<Boolean> replace(String key, JsonObject doc) {
    return send("set", Request.cmd(Command.SET).arg(key).arg(doc.encode()).arg("XX")).map(r -> r != null);
  }

  // ---- word clouds -----------------------------------------------------------------------

  @Override
  public Future<WordCloud> saveCloud(WordCloud cloud) {
    String stageId = cloud.stageId();
    Future<WordCloud> saved = evalScript(RedisScripts.SAVE_CLOUD,
            List.of(cloudKey(stageId, cloud.id()), cloudStateKey(stageId, cloud.id()), cloudsKey(stageId)),
            List.of(StoredForm.cloud(cloud).encode(), cloud.phase().wire(), cloud.id()))
        .onSuccess(r -> announce(new Change(Change.Kind.CLOUD, stageId, cloud.id())))
        .map(cloud);
    return written(saved, new Change(Change.Kind.CLOUD, stageId, cloud.id()));
  }

  @Override
  public Future<List<WordCloud>> clouds(String stageId) {
    return listed(cloudsKey(stageId), id -> cloudKey(stageId, id), StoredForm::cloud);
  }

  @Override
  public Future<Optional<WordCloud>> cloud(String stageId, String cloudId) {
    return document(cloudKey(stageId, cloudId)).map(doc -> doc.map(StoredForm::cloud));
  }

  @Override
  public Future<VoteReceipt> submitWord(WordAction action) {
    String stageId = action.stageId();
    String cloudId = action.cloudId();
    Future<VoteReceipt> receipt = evalScript(RedisScripts.SUBMIT_WORD,
            counting(stageId, actionKey(stageId, action.participantId(), action.actionId()), cloudStateKey(stageId, cloudId),
                cloudMetaKey(stageId, cloudId), cloudRankKey(stageId, cloudId),
                cloudMineKey(stageId, cloudId, action.participantId()), cloudMergedKey(stageId, cloudId)),
            counting(interaction(ActivityKind.WORDS, cloudId, action.spelling(), action.participantId()),
                action.participantId(), action.key(), action.spelling(), String.valueOf(action.maxEntries()),
                String.valueOf(actionIdTtlMillis), ofStage(stageId, "cloud-"), cloudId))
        .compose(reply -> {
          String status = reply.get(0).toString();
          long version = reply.get(1).toLong();
          if (status.startsWith("not_open:")) {
            return refuse(ErrorCode.CLOUD_NOT_OPEN,
                RefusalTexts.CLOUD, cloudId, RefusalTexts.PHASE, status.substring("not_open:".length()));
          }
          int max = action.maxEntries();
          return switch (status) {
            case "applied" -> {
              announce(new Change(Change.Kind.CLOUD_RESULTS, stageId, cloudId));
              yield Future.succeededFuture(new VoteReceipt(false, version));
            }
            case "duplicate" -> {
              announce(new Change(Change.Kind.CLOUD_RESULTS, stageId, cloudId));
              yield Future.succeededFuture(new VoteReceipt(true, version));
            }
            case "unknown_cloud" -> refuse(ErrorCode.UNKNOWN_CLOUD, RefusalTexts.CLOUD, cloudId);
            case "already_submitted" -> refuse(ErrorCode.ALREADY_SUBMITTED);
            case "too_many_entries" -> refuse(ErrorCode.TOO_MANY_ENTRIES,
                RefusalTexts.MAX_ENTRIES, max);
            default -> Future.failedFuture(new IllegalStateException("submit_word script answered " + status));
          };
        });
    return written(receipt, new Change(Change.Kind.CLOUD_RESULTS, stageId, cloudId));
  }

  @Override
  public Future<CloudResults> cloudResults(WordCloud cloud, int top) {
    String stageId = cloud.stageId();
    String cloudId = cloud.id();
    Future<CloudResults> results = evalScript(RedisScripts.CLOUD_READ,
            List.of(cloudMetaKey(stageId, cloudId), cloudRankKey(stageId, cloudId), cloudHiddenKey(stageId, cloudId)),
            List.of(String.valueOf(Math.max(0, top)), cloudSpellKey(stageId, cloudId, "")))
        .map(reply -> {
          List<CloudWord> hidden = cloudWords(reply.get(4));
          hidden.sort(CloudRanking.ORDER);
          return new CloudResults(cloudId, reply.get(0).toLong(), reply.get(1).toLong(), reply.get(2).toLong(),
              List.copyOf(cloudWords(reply.get(3))), List.copyOf(hidden));
        });
    return results;
  }

  /** {@code [[key, count, [spelling, tally, ...]], ...]} as words shown with their most frequent spelling. */
  private static List<CloudWord> cloudWords(Response list) {
    List<CloudWord> out = new ArrayList<>(list.size());
    for (Response word : list) {
      String key = word.get(0).toString();
      Map<String, Long> spellings = new HashMap<>();
      hash(word.get(2)).forEach((spelling, tally) -> spellings.put(spelling, Long.parseLong(tally)));
      out.add(new CloudWord(key, CloudRanking.display(key, spellings), word.get(1).toLong()));
    }
    return out;
  }

  @Override
  public Future<Void> hideWord(String stageId, String cloudId, String key, boolean hidden) {
    Future<Void> done = evalScript(RedisScripts.HIDE_WORD,
            List.of(cloudStateKey(stageId, cloudId), cloudMetaKey(stageId, cloudId), cloudRankKey(stageId, cloudId),
                cloudHiddenKey(stageId, cloudId)),
            List.of(key, hidden ? "1" : "0"))
        .compose(reply -> cloudEdit(reply, stageId, cloudId));
    return written(done, new Change(Change.Kind.CLOUD_RESULTS, stageId, cloudId));
  }

  @Override
  public Future<Void> mergeWords(String stageId, String cloudId, String fromKey, String intoKey) {
    if (fromKey.equals(intoKey)) {
      return refuse(ErrorCode.INVALID_FIELD, RefusalTexts.KEY, intoKey);
    }
    Future<Void> done = evalScript(RedisScripts.MERGE_WORDS,
            List.of(cloudStateKey(stageId, cloudId), cloudMetaKey(stageId, cloudId), cloudRankKey(stageId, cloudId),
                cloudMergedKey(stageId, cloudId), cloudHiddenKey(stageId, cloudId),
                cloudWhoKey(stageId, cloudId, fromKey), cloudWhoKey(stageId, cloudId, intoKey),
                cloudSpellKey(stageId, cloudId, fromKey)),
            List.of(fromKey, intoKey, cloudMineKey(stageId, cloudId, "")))
        .compose(reply -> cloudEdit(reply, stageId, cloudId));
    return written(done, new Change(Change.Kind.CLOUD_RESULTS, stageId, cloudId));
  }

  /** The answer of a moderator's change to a cloud ({@code hide_word}, {@code merge_words}). */
  private Future<Void> cloudEdit(Response reply, String stageId, String cloudId) {
    String status = reply.get(0).toString();
    return switch (status) {
      case "applied" -> {
        announce(new Change(Change.Kind.CLOUD_RESULTS, stageId, cloudId));
        yield Future.succeededFuture();
      }
      case "unknown_cloud" -> refuse(ErrorCode.UNKNOWN_CLOUD, RefusalTexts.CLOUD, cloudId);
      case "unknown_word" -> refuse(ErrorCode.UNKNOWN_WORD);
      default -> Future.failedFuture(new IllegalStateException("cloud script answered " + status));
    };
  }

  // ---- questions, comments, feedback -----------------------------------------------------

  @Override
  public Future<PostReceipt> submitPost(PostAction action) {
    Post post = action.post();
    String stageId = post.stageId();
    boolean answer = post.kind() == org.plenum.stage.PostKind.ANSWER;
    Future<PostReceipt> receipt = evalScript(answer ? RedisScripts.SUBMIT_ANSWER : RedisScripts.SUBMIT_POST,
            counting(stageId, answer
                ? List.of(actionKey(stageId, post.authorId(), action.actionId()), postKey(stageId, post.id()),
                    postsKey(stageId), pollKey(stageId, post.pollId()), stateKey(stageId, post.pollId()),
                    closesKey(stageId, post.pollId())).toArray(String[]::new)
                : new String[] {actionKey(stageId, post.authorId(), action.actionId()), postKey(stageId, post.id()),
                    postsKey(stageId)}),
            counting(interaction(ActivityKind.ofPost(post.kind()), post.id(), post.kind().wire(), post.authorId()),
                post.id(), StoredForm.post(post).encode(), String.valueOf(post.revision()), String.valueOf(actionIdTtlMillis)))
        .compose(reply -> {
          String status = reply.get(0).toString();
          String postId = reply.get(1).toString();
          return switch (status) {
            case "applied" -> {
              announce(new Change(Change.Kind.POST, stageId, postId));
              yield Future.succeededFuture(new PostReceipt(false, postId));
            }
            // Other kinds of action store "1"; no post id is "1" (ids carry a kind prefix).
            case "duplicate" -> {
              if (!postId.equals("1")) {
                announce(new Change(Change.Kind.POST, stageId, postId));
              }
              yield Future.succeededFuture(new PostReceipt(true, postId.equals("1") ? null : postId));
            }
            default -> answerRefusal(status, post);
          };
        });
    return written(receipt, new Change(Change.Kind.POST, stageId, post.id()));
  }

  /** The refusals of submit_answer.lua (an answer to a poll that does not take it now). */
  private static Future<PostReceipt> answerRefusal(String status, Post answer) {
    String pollId = answer.pollId();
    if (status.equals("unknown_poll")) {
      return Future.failedFuture(EngineRefusal.of(ErrorCode.UNKNOWN_POLL, RefusalTexts.POLL, pollId));
    }
    if (status.equals("wrong_poll_kind")) {
      return Future.failedFuture(EngineRefusal.of(ErrorCode.WRONG_POLL_KIND, RefusalTexts.POLL, pollId));
    }
    if (status.startsWith("closed:")) {
      Instant deadline = Instant.ofEpochMilli(Long.parseLong(status.substring("closed:".length())));
      return Future.failedFuture(EngineRefusal.of(ErrorCode.POLL_CLOSED,
          RefusalTexts.POLL, pollId, RefusalTexts.CLOSES_AT, deadline.toString()));
    }
    if (status.startsWith("not_open:")) {
      return Future.failedFuture(EngineRefusal.of(ErrorCode.POLL_NOT_OPEN,
          RefusalTexts.POLL, pollId, RefusalTexts.PHASE, status.substring("not_open:".length())));
    }
    return Future.failedFuture(new IllegalStateException("submit script answered " + status));
  }

  @Override
  public Future<Optional<PostView>> post(String stageId, String postId) {
    Future<Optional<PostView>> post = evalScript(RedisScripts.POSTS_READ, List.of(postsKey(stageId)),
            List.of(ofStage(stageId, ""), postId))
        .map(reply -> postViews(reply).stream().findFirst());
    return post;
  }

  @Override
  public Future<List<PostView>> posts(String stageId) {
    Future<List<PostView>> posts = evalScript(RedisScripts.POSTS_READ, List.of(postsKey(stageId)),
            List.of(ofStage(stageId, "")))
        .map(RedisEngine::postViews);
    return posts;
  }

  /** {@code [[doc, version, upvotes], ...]} */
  private static List<PostView> postViews(Response reply) {
    List<PostView> out = new ArrayList<>(reply.size());
    for (Response post : reply) {
      out.add(new PostView(StoredForm.post(new JsonObject(post.get(0).toString())), post.get(2).toLong(), post.get(1).toLong()));
    }
    return out;
  }

  @Override
  public Future<PostView> updatePost(Post expected, Post next) {
    try {
      PostUpdates.requireSuccessor(expected, next);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String stageId = expected.stageId();
    Future<PostView> updated = evalScript(RedisScripts.UPDATE_POST,
            List.of(postKey(stageId, expected.id()), upvotersKey(stageId, expected.id())),
            List.of(String.valueOf(expected.revision()), StoredForm.post(next).encode(), String.valueOf(next.revision())))
        .compose(reply -> {
          String status = reply.get(0).toString();
          return switch (status) {
            case "applied" -> {
              announce(new Change(Change.Kind.POST, stageId, next.id()));
              yield Future.succeededFuture(new PostView(next, reply.get(2).toLong(), reply.get(1).toLong()));
            }
            case "conflict" -> Future.failedFuture(new ConcurrentUpdateException(expected.id()));
            case "unknown_post" -> refuse(ErrorCode.UNKNOWN_POST, RefusalTexts.POST, expected.id());
            default -> Future.failedFuture(new IllegalStateException("update_post script answered " + status));
          };
        });
    return written(updated, new Change(Change.Kind.POST, stageId, expected.id()));
  }

  @Override
  public Future<VoteReceipt> upvote(UpvoteAction action) {
    String stageId = action.stageId();
    String postId = action.postId();
    Future<VoteReceipt> receipt = evalScript(RedisScripts.UPVOTE,
            counting(stageId, actionKey(stageId, action.participantId(), action.actionId()), postKey(stageId, postId),
                upvotersKey(stageId, postId), upvotedKey(stageId, action.participantId())),
            counting(interaction(ActivityKind.UPVOTES, postId, action.up() ? "up" : "down", action.participantId()),
                action.participantId(), postId, action.up() ? "1" : "0", String.valueOf(actionIdTtlMillis)))
        .compose(reply -> {
          String status = reply.get(0).toString();
          long version = reply.get(1).toLong();
          return switch (status) {
            case "applied" -> {
              announce(new Change(Change.Kind.POST, stageId, postId));
              yield Future.succeededFuture(new VoteReceipt(false, version));
            }
            case "unchanged" -> Future.succeededFuture(new VoteReceipt(false, version));
            case "duplicate" -> {
              announce(new Change(Change.Kind.POST, stageId, postId));
              yield Future.succeededFuture(new VoteReceipt(true, version));
            }
            case "unknown_post" -> refuse(ErrorCode.UNKNOWN_POST, RefusalTexts.POST, postId);
            default -> Future.failedFuture(new IllegalStateException("upvote script answered " + status));
          };
        });
    return written(receipt, new Change(Change.Kind.POST, stageId, postId));
  }

  @Override
  public Future<Set<String>> wordsOf(String stageId, String cloudId, String participantId) {
    return members(cloudMineKey(stageId, cloudId, participantId));
  }

  @Override
  public Future<Set<String>> upvotedBy(String stageId, String participantId) {
    return members(upvotedKey(stageId, participantId));
  }

  /** A set per stage ({@code muted}), in the stage's slot; a reset or deletion clears it with the stage's keys. */
  @Override
  public Future<Void> mute(String stageId, String participantId, boolean muted) {
    Request write = muted ? Request.cmd(Command.SADD).arg(mutedKey(stageId)).arg(participantId)
        : Request.cmd(Command.SREM).arg(mutedKey(stageId)).arg(participantId);
    return document(stageKey(stageId))
        .compose(stage -> stage.isEmpty() ? RedisEngine.<Response>refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stageId)
            : send("mute", write))
        .mapEmpty();
  }

  @Override
  public Future<Boolean> isMuted(String stageId, String participantId) {
    return send("sismember", Request.cmd(Command.SISMEMBER).arg(mutedKey(stageId)).arg(participantId))
        .map(r -> r != null && r.toLong() == 1L);
  }

  private static String mutedKey(String stageId) {
    return ofStage(stageId, "muted");
  }

  private Future<Set<String>> members(String setKey) {
    return send("smembers", Request.cmd(Command.SMEMBERS).arg(setKey)).map(reply -> {
      Set<String> out = new HashSet<>();
      if (reply != null) {
        for (Response member : reply) {
          out.add(member.toString());
        }
      }
      return Set.copyOf(out);
    });
  }

  // ---- statistics ------------------------------------------------------------------------

  /** An interaction accepted now (if the script accepts it), as the statistics count it. */
  private static Interaction interaction(ActivityKind kind, String targetId, String detail, String participantId) {
    return new Interaction(Instant.ofEpochMilli(System.currentTimeMillis()), kind, targetId, detail, participantId);
  }

  /** A counting script's keys: its own, then the statistics' (stats_count.lua). */
  private static List<String> counting(String stageId, String... own) {
    List<String> keys = new ArrayList<>(List.of(own));
    keys.add(ofStage(stageId, "activity"));
    keys.add(ofStage(stageId, "activity-minutes"));
    keys.add(participantsKey(stageId));
    keys.add(logKey(stageId));
    return keys;
  }

  /** A counting script's arguments: its own, then the statistics' (stats_count.lua). */
  private static List<String> counting(Interaction i, String... own) {
    List<String> args = new ArrayList<>(List.of(own));
    args.add(String.valueOf(Math.floorDiv(i.at().getEpochSecond(), 60) * 60));
    args.add(i.kind().wire());
    args.add(i.participantId());
    args.add(i.at().toEpochMilli() + "|" + i.kind().wire() + "|" + (i.targetId() == null ? "" : i.targetId()) + "|"
        + i.participantId() + "|" + i.detail());
    args.add(String.valueOf(StatisticsStore.MAX_LOG));
    args.add(String.valueOf(StatisticsStore.MAX_MINUTES));
    return args;
  }

  private static String participantsKey(String stageId) {
    return ofStage(stageId, "participants");
  }

  private static String logKey(String stageId) {
    return ofStage(stageId, "log");
  }

  @Override
  public Future<Void> recordSample(String stageId, PresenceSample sample) {
    Presence p = sample.presence();
    String counts = p.viewers() + "," + p.moderators() + "," + p.presenters() + "," + p.viewersHall() + ","
        + p.viewersStream();
    Future<Void> done = evalScript(RedisScripts.RECORD_SAMPLE,
        List.of(ofStage(stageId, "samples"), ofStage(stageId, "sample-times")),
        List.of(String.valueOf(sample.at().toEpochMilli()), counts, String.valueOf(StatisticsStore.MAX_SAMPLES)))
        .mapEmpty();
    return done;
  }

  @Override
  public Future<List<PresenceSample>> samples(String stageId) {
    Future<List<PresenceSample>> samples = send("hgetall", Request.cmd(Command.HGETALL).arg(ofStage(stageId, "samples")))
        .map(reply -> {
          List<PresenceSample> out = new ArrayList<>();
          hash(reply).forEach((at, counts) -> {
            String[] n = counts.split(",");
            out.add(new PresenceSample(Instant.ofEpochMilli(Long.parseLong(at)), new Presence(Long.parseLong(n[0]),
                Long.parseLong(n[1]), Long.parseLong(n[2]), Long.parseLong(n[3]), Long.parseLong(n[4]))));
          });
          out.sort(java.util.Comparator.comparing(PresenceSample::at));
          return out;
        });
    return samples;
  }

  @Override
  public Future<List<ActivityMinute>> activity(String stageId) {
    Future<List<ActivityMinute>> activity = send("hgetall", Request.cmd(Command.HGETALL).arg(ofStage(stageId, "activity")))
        .map(reply -> {
          java.util.TreeMap<Long, long[]> minutes = new java.util.TreeMap<>();
          hash(reply).forEach((field, count) -> {
            int bar = field.indexOf('|');
            long minute = Long.parseLong(field.substring(0, bar));
            minutes.computeIfAbsent(minute, k -> new long[ActivityKind.values().length])
                [ActivityKind.parse(field.substring(bar + 1)).ordinal()] = Long.parseLong(count);
          });
          List<ActivityMinute> out = new ArrayList<>(minutes.size());
          minutes.forEach((m, c) -> out.add(new ActivityMinute(Instant.ofEpochSecond(m), c)));
          return out;
        });
    return activity;
  }

  @Override
  public Future<Long> distinctParticipants(String stageId) {
    return send("pfcount", Request.cmd(Command.PFCOUNT).arg(participantsKey(stageId))).map(Response::toLong);
  }

  /**
   * The union of several stages' HyperLogLogs. They live in different Cluster slots, where one PFCOUNT
   * over them is refused (CROSSSLOT), so each is copied (GET: a HyperLogLog is a string) under one
   * temporary hash tag, counted there together (PFCOUNT of several keys counts their union) and
   * deleted; the copies expire within a minute should the deletion not arrive.
   */
  @Override
  public Future<Long> distinctParticipants(List<String> stageIds) {
    if (stageIds.isEmpty()) {
      return Future.succeededFuture(0L);
    }
    if (stageIds.size() == 1) {
      return distinctParticipants(stageIds.get(0));
    }
    String tag = "plenum:{stats-" + java.util.UUID.randomUUID() + "}:hll:";
    List<Future<String>> copies = new ArrayList<>();
    for (int i = 0; i < stageIds.size(); i++) {
      String copy = tag + i;
      copies.add(send("get", Request.cmd(Command.GET).arg(participantsKey(stageIds.get(i)))).compose(hll -> hll == null
          ? Future.succeededFuture((String) null)
          : send("set", Request.cmd(Command.SET).arg(copy).arg(hll.toBuffer()).arg("PX").arg(60_000)).map(copy)));
    }
    Future<Long> union = Future.all(copies).compose(all -> {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if (all.resultAt(i) != null) {
          keys.add(all.resultAt(i));
        }
      }
      if (keys.isEmpty()) {
        return Future.succeededFuture(0L);
      }
      Request count = Request.cmd(Command.PFCOUNT);
      keys.forEach(count::arg);
      return send("pfcount", count).map(Response::toLong).compose(n -> {
        Request del = Request.cmd(Command.DEL);
        keys.forEach(del::arg);
        return send("del", del).map(n);
      });
    });
    return union;
  }

  @Override
  public Future<List<Interaction>> interactions(String stageId, long offset, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    Future<List<Interaction>> page = send("lrange",
        Request.cmd(Command.LRANGE).arg(logKey(stageId)).arg(offset).arg(offset + limit - 1))
        .map(reply -> {
          List<Interaction> out = new ArrayList<>();
          if (reply != null) {
            for (Response line : reply) {
              String[] f = line.toString().split("\\|", 5);
              out.add(new Interaction(Instant.ofEpochMilli(Long.parseLong(f[0])), ActivityKind.parse(f[1]),
                  f[2].isEmpty() ? null : f[2], f[4], f[3]));
            }
          }
          return out;
        });
    return page;
  }

  // ---- reactions -------------------------------------------------------------------------

  @Override
  public Future<VoteReceipt> react(ReactionAction action) {
    String stageId = action.stageId();
    Future<VoteReceipt> receipt = evalScript(RedisScripts.REACT,
            counting(stageId, actionKey(stageId, action.participantId(), action.actionId()), reactionsKey(stageId),
                reactionMinutesKey(stageId)),
            counting(interaction(ActivityKind.REACTIONS, null, action.emoji(), action.participantId()),
                action.emoji(), String.valueOf(action.minuteEpochSecond()), String.valueOf(actionIdTtlMillis)))
        .compose(reply -> {
          String status = reply.get(0).toString();
          long version = reply.get(1).toLong();
          return switch (status) {
            case "applied" -> {
              announce(new Change(Change.Kind.REACTIONS, stageId, null));
              yield Future.succeededFuture(new VoteReceipt(false, version));
            }
            case "duplicate" -> {
              announce(new Change(Change.Kind.REACTIONS, stageId, null));
              yield Future.succeededFuture(new VoteReceipt(true, version));
            }
            default -> Future.failedFuture(new IllegalStateException("react script answered " + status));
          };
        });
    return written(receipt, new Change(Change.Kind.REACTIONS, stageId, null));
  }

  @Override
  public Future<ReactionTotals> reactionTotals(String stageId) {
    Future<ReactionTotals> totals = send("hgetall", Request.cmd(Command.HGETALL).arg(reactionsKey(stageId)))
        .map(reply -> {
          long version = 0;
          Map<String, Long> counts = new HashMap<>();
          for (Map.Entry<String, String> field : hash(reply).entrySet()) {
            long value = Long.parseLong(field.getValue());
            if (field.getKey().equals("_v")) {
              version = value;
            } else {
              counts.put(field.getKey(), value);
            }
          }
          return new ReactionTotals(version, Map.copyOf(counts));
        });
    return totals;
  }

  @Override
  public Future<List<ReactionMinute>> reactionTimeline(String stageId) {
    Future<List<ReactionMinute>> timeline = send("hgetall", Request.cmd(Command.HGETALL).arg(reactionMinutesKey(stageId)))
        .map(reply -> {
          TreeMap<Long, Map<String, Long>> minutes = new TreeMap<>();
          for (Map.Entry<String, String> field : hash(reply).entrySet()) {
            String name = field.getKey();
            int separator = name.indexOf('|');
            minutes.computeIfAbsent(Long.parseLong(name.substring(0, separator)), k -> new HashMap<>())
                .put(name.substring(separator + 1), Long.parseLong(field.getValue()));
          }
          List<ReactionMinute> out = new ArrayList<>(minutes.size());
          minutes.forEach((minute, counts) -> out.add(new ReactionMinute(Instant.ofEpochSecond(minute), Map.copyOf(counts))));
          return out;
        });
    return timeline;
  }

  // ---- what the screens show -------------------------------------------------------------

  /** One string per stage ({@code presenting}); the default (auto) is its absence. */
  @Override
  public Future<Presentation> present(String stageId, Presentation presentation) {
    Request write = presentation.kind() == Presentation.Kind.AUTO
        ? Request.cmd(Command.DEL).arg(presentingKey(stageId))
        : Request.cmd(Command.SET).arg(presentingKey(stageId)).arg(StoredForm.presentation(presentation).encode());
    Change change = new Change(Change.Kind.PRESENTATION, stageId, null);
    Future<Presentation> done = document(stageKey(stageId))
        .compose(stage -> stage.isEmpty() ? RedisEngine.<Response>refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stageId)
            : send("present", write))
        .onSuccess(r -> announce(change))
        .map(presentation);
    return written(done, change);
  }

  @Override
  public Future<Presentation> presentation(String stageId) {
    return document(presentingKey(stageId)).map(doc -> doc.map(StoredForm::presentation).orElse(Presentation.AUTO));
  }

  // ---- feedback surveys (issue 12) ----------------------------------------------------------
  // plenum:{stage}:surveys                   hash: talk -> survey document (StoredForm)
  // plenum:{stage}:survey-state:<talk>       draft | open | closed, read by survey_respond.lua
  // plenum:{stage}:survey-counts:<talk>      hash: key -> count, _v, _n
  // plenum:{stage}:survey-responses:<talk>   hash: participant -> encoded keys
  // plenum:{stage}:survey-texts:<talk>       hash: participant -> "<version>|<json>"

  /**
   * The definition, then its state (the key survey_respond.lua reads): the state never exists
   * without its survey; a response racing a state change is judged by the state it finds.
   */
  @Override
  public Future<org.plenum.stage.Survey> saveSurvey(org.plenum.stage.Survey survey) {
    String stageId = survey.stageId();
    Change change = new Change(Change.Kind.SURVEY, stageId, survey.talkId());
    Future<org.plenum.stage.Survey> saved = send("hexists", Request.cmd(Command.HEXISTS).arg(talksKey(stageId)).arg(survey.talkId()))
        .compose(r -> r == null || r.toLong() == 0
            ? RedisEngine.<Response>refuse(ErrorCode.UNKNOWN_TALK, RefusalTexts.TALK, survey.talkId(), RefusalTexts.STAGE, stageId)
            : send("hset", Request.cmd(Command.HSET).arg(surveysKey(stageId)).arg(survey.talkId())
                    .arg(StoredForm.survey(survey).encode()))
                .compose(x -> send("set", Request.cmd(Command.SET).arg(surveyKey(stageId, "survey-state:", survey.talkId()))
                    .arg(survey.state().wire()))))
        .onSuccess(r -> announce(change))
        .map(survey);
    return written(saved, change);
  }

  @Override
  public Future<Optional<org.plenum.stage.Survey>> survey(String stageId, String talkId) {
    return send("hget", Request.cmd(Command.HGET).arg(surveysKey(stageId)).arg(talkId))
        .map(r -> r == null ? Optional.<org.plenum.stage.Survey>empty()
            : Optional.of(StoredForm.survey(new JsonObject(r.toString()))));
  }

  @Override
  public Future<List<org.plenum.stage.Survey>> surveys(String stageId) {
    return send("hvals", Request.cmd(Command.HVALS).arg(surveysKey(stageId))).map(docs -> {
      List<org.plenum.stage.Survey> out = new ArrayList<>();
      if (docs != null) {
        for (Response doc : docs) {
          out.add(StoredForm.survey(new JsonObject(doc.toString())));
        }
      }
      return List.copyOf(out);
    });
  }

  @Override
  public Future<VoteReceipt> respond(SurveyAction action) {
    String stageId = action.stageId();
    String talkId = action.talkId();
    Change change = new Change(Change.Kind.SURVEY, stageId, talkId);
    String texts = action.response().texts().isEmpty() ? ""
        : new JsonObject(new java.util.HashMap<>(action.response().texts())).encode();
    Future<VoteReceipt> receipt = evalScript(RedisScripts.SURVEY_RESPOND,
        List.of(actionKey(stageId, action.participantId(), action.actionId()), surveyKey(stageId, "survey-state:", talkId),
            surveyKey(stageId, "survey-counts:", talkId), surveyKey(stageId, "survey-responses:", talkId),
            surveyKey(stageId, "survey-texts:", talkId)),
        List.of(action.participantId(), action.response().keys().encode(), String.valueOf(actionIdTtlMillis), texts))
        .compose(reply -> {
          String status = reply.get(0).toString();
          long version = reply.get(1).toLong();
          if (status.equals("applied") || status.equals("duplicate")) {
            announce(change);
            return Future.succeededFuture(new VoteReceipt(status.equals("duplicate"), version));
          }
          if (status.equals("unknown_survey")) {
            return Future.failedFuture(EngineRefusal.of(ErrorCode.UNKNOWN_SURVEY, RefusalTexts.TALK, talkId));
          }
          if (status.startsWith("not_open:")) {
            return Future.failedFuture(EngineRefusal.of(ErrorCode.SURVEY_NOT_OPEN, RefusalTexts.TALK, talkId,
                RefusalTexts.PHASE, status.substring("not_open:".length())));
          }
          return Future.failedFuture(new IllegalStateException("survey script answered " + status));
        });
    return written(receipt, change);
  }

  @Override
  public Future<org.plenum.stage.SurveyResults> surveyResults(org.plenum.stage.Survey survey) {
    String stageId = survey.stageId();
    Future<Response> counts = send("hgetall", Request.cmd(Command.HGETALL).arg(surveyKey(stageId, "survey-counts:", survey.talkId())));
    Future<Response> texts = send("hgetall", Request.cmd(Command.HGETALL).arg(surveyKey(stageId, "survey-texts:", survey.talkId())));
    return Future.all(counts, texts).map(all -> {
      Map<String, Long> c = new java.util.HashMap<>();
      long version = 0;
      long respondents = 0;
      Response cr = counts.result();
      if (cr != null) {
        for (String k : cr.getKeys()) {
          long n = cr.get(k).toLong();
          if (k.equals("_v")) {
            version = n;
          } else if (k.equals("_n")) {
            respondents = n;
          } else {
            c.put(k, n);
          }
        }
      }
      // texts in the order of their latest response (the version each was written at)
      java.util.TreeMap<Long, JsonObject> ordered = new java.util.TreeMap<>();
      Response tr = texts.result();
      if (tr != null) {
        for (String p : tr.getKeys()) {
          String v = tr.get(p).toString();
          int bar = v.indexOf('|');
          ordered.put(Long.parseLong(v.substring(0, bar)), new JsonObject(v.substring(bar + 1)));
        }
      }
      Map<String, List<String>> byQuestion = new java.util.HashMap<>();
      ordered.values().forEach(j -> j.forEach(e -> byQuestion.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
          .add((String) e.getValue())));
      return org.plenum.stage.SurveyTally.results(survey, version, respondents, c, byQuestion);
    });
  }

  private static String surveysKey(String stageId) {
    return ofStage(stageId, "surveys");
  }

  private static String surveyKey(String stageId, String kind, String talkId) {
    return ofStage(stageId, kind + talkId);
  }

  private static String presentingKey(String stageId) {
    return ofStage(stageId, "presenting");
  }

  private static <T> Future<T> refuse(ErrorCode code, Object... facts) {
    return Future.failedFuture(EngineRefusal.of(code, facts));
  }

  // ---- keys of word clouds, posts and reactions ----------------------------------------------

  private static String cloudKey(String stageId, String cloudId) {
    return ofStage(stageId, "cloud:" + cloudId);
  }

  private static String cloudsKey(String stageId) {
    return ofStage(stageId, "clouds");
  }

  private static String cloudStateKey(String stageId, String cloudId) {
    return ofStage(stageId, "cloud-state:" + cloudId);
  }

  private static String cloudMetaKey(String stageId, String cloudId) {
    return ofStage(stageId, "cloud-meta:" + cloudId);
  }

  private static String cloudRankKey(String stageId, String cloudId) {
    return ofStage(stageId, "cloud-rank:" + cloudId);
  }

  private static String cloudMergedKey(String stageId, String cloudId) {
    return ofStage(stageId, "cloud-merged:" + cloudId);
  }

  private static String cloudHiddenKey(String stageId, String cloudId) {
    return ofStage(stageId, "cloud-hidden:" + cloudId);
  }

  private static String cloudMineKey(String stageId, String cloudId, String participantId) {
    return ofStage(stageId, "cloud-mine:" + cloudId + ":" + participantId);
  }

  private static String cloudWhoKey(String stageId, String cloudId, String key) {
    return ofStage(stageId, "cloud-who:" + cloudId + ":" + key);
  }

  private static String cloudSpellKey(String stageId, String cloudId, String key) {
    return ofStage(stageId, "cloud-spell:" + cloudId + ":" + key);
  }

  private static String postKey(String stageId, String postId) {
    return ofStage(stageId, "post:" + postId);
  }

  private static String postsKey(String stageId) {
    return ofStage(stageId, "posts");
  }

  private static String upvotersKey(String stageId, String postId) {
    return ofStage(stageId, "upvoters:" + postId);
  }

  private static String upvotedKey(String stageId, String participantId) {
    return ofStage(stageId, "upvoted:" + participantId);
  }

  private static String reactionsKey(String stageId) {
    return ofStage(stageId, "reactions");
  }

  private static String reactionMinutesKey(String stageId) {
    return ofStage(stageId, "reaction-minutes");
  }

  // ---- talks -----------------------------------------------------------------------------

  /** A stage's talks live in one hash (talk id → document) in the stage's slot: HSET replaces atomically. */
  @Override
  public Future<org.plenum.stage.Talk> saveTalk(org.plenum.stage.Talk talk) {
    Future<org.plenum.stage.Talk> saved = send("hset", Request.cmd(Command.HSET).arg(talksKey(talk.stageId()))
            .arg(talk.id()).arg(StoredForm.talk(talk).encode()))
        .onSuccess(r -> announce(new Change(Change.Kind.TALKS, talk.stageId(), null)))
        .map(talk);
    return saved;
  }

  @Override
  public Future<Void> deleteTalk(String stageId, String talkId) {
    Future<Void> deleted = send("hdel", Request.cmd(Command.HDEL).arg(talksKey(stageId)).arg(talkId))
        .compose(r -> r != null && r.toLong() > 0
            ? send("hdel", Request.cmd(Command.HDEL).arg(surveysKey(stageId)).arg(talkId)) // the talk's survey goes with it
                .compose(x -> send("unlink", Request.cmd(Command.UNLINK).arg(surveyKey(stageId, "survey-state:", talkId))
                    .arg(surveyKey(stageId, "survey-counts:", talkId)).arg(surveyKey(stageId, "survey-responses:", talkId))
                    .arg(surveyKey(stageId, "survey-texts:", talkId))))
                .<Void>mapEmpty()
            : Future.<Void>failedFuture(EngineRefusal.of(ErrorCode.UNKNOWN_TALK, RefusalTexts.TALK, talkId, RefusalTexts.STAGE, stageId)))
        .onSuccess(v -> announce(new Change(Change.Kind.TALKS, stageId, null)));
    return deleted;
  }

  @Override
  public Future<List<org.plenum.stage.Talk>> talks(String stageId) {
    Future<List<org.plenum.stage.Talk>> talks = send("hvals", Request.cmd(Command.HVALS).arg(talksKey(stageId)))
        .map(docs -> {
          List<org.plenum.stage.Talk> out = new ArrayList<>();
          if (docs != null) {
            for (Response doc : docs) {
              out.add(StoredForm.talk(new JsonObject(doc.toString())));
            }
          }
          out.sort(org.plenum.stage.Talk.ORDER);
          return List.copyOf(out);
        });
    return talks;
  }

  private static String talksKey(String stageId) {
    return ofStage(stageId, "talks");
  }

  // ---- moderator access -------------------------------------------------------------------

  /**
   * Writes the document, then the token's index entry (from then on the token works), then the
   * event's list. A failure part-way leaves at most an unlisted access, which a retry does not reuse.
   */
  @Override
  public Future<org.plenum.stage.ModeratorAccess> saveModerator(org.plenum.stage.ModeratorAccess access) {
    Future<org.plenum.stage.ModeratorAccess> saved = send("set", Request.cmd(Command.SET).arg(moderatorKey(access.id()))
            .arg(StoredForm.moderator(access).encode()))
        .compose(r -> send("set", Request.cmd(Command.SET).arg(moderatorTokenKey(access.tokenHash())).arg(access.id())))
        .compose(r -> nextSequence())
        .compose(seq -> send("zadd", Request.cmd(Command.ZADD).arg(eventModeratorsKey(access.eventId())).arg("NX")
            .arg(seq).arg(access.id())))
        .map(access);
    return saved;
  }

  /** Deletes the token's index entry first: once that reply arrives, no node finds the token. */
  @Override
  public Future<Void> deleteModerator(String eventId, String moderatorId) {
    Future<Void> deleted = document(moderatorKey(moderatorId)).compose(doc -> {
      org.plenum.stage.ModeratorAccess access = doc.map(StoredForm::moderator).orElse(null);
      if (access == null || !access.eventId().equals(eventId)) {
        return Future.failedFuture(EngineRefusal.of(ErrorCode.UNKNOWN_MODERATOR,
            RefusalTexts.MODERATOR, moderatorId, RefusalTexts.EVENT, eventId));
      }
      return send("del", Request.cmd(Command.DEL).arg(moderatorTokenKey(access.tokenHash())))
          .compose(r -> send("del", Request.cmd(Command.DEL).arg(moderatorKey(moderatorId))))
          .compose(r -> send("zrem", Request.cmd(Command.ZREM).arg(eventModeratorsKey(eventId)).arg(moderatorId)))
          .<Void>mapEmpty()
          .onSuccess(v -> announce(new Change(Change.Kind.MODERATOR, eventId, moderatorId)));
    });
    return deleted;
  }

  @Override
  public Future<List<org.plenum.stage.ModeratorAccess>> moderators(String eventId) {
    Future<List<org.plenum.stage.ModeratorAccess>> list = send("zrange",
            Request.cmd(Command.ZRANGE).arg(eventModeratorsKey(eventId)).arg(0).arg(-1))
        .compose(ids -> documents(ids, RedisEngine::moderatorKey))
        .map(docs -> docs.stream().map(StoredForm::moderator).filter(m -> m.eventId().equals(eventId)).toList());
    return list;
  }

  @Override
  public Future<Optional<org.plenum.stage.ModeratorAccess>> moderatorByTokenHash(String tokenHash) {
    Future<Optional<org.plenum.stage.ModeratorAccess>> found = send("get", Request.cmd(Command.GET).arg(moderatorTokenKey(tokenHash)))
        .compose(id -> id == null ? Future.succeededFuture(Optional.<JsonObject>empty()) : document(moderatorKey(id.toString())))
        .map(doc -> doc.map(StoredForm::moderator).filter(m -> m.tokenHash().equals(tokenHash)));
    return found;
  }

  private static String moderatorKey(String moderatorId) {
    return CATALOGUE + "mod:" + moderatorId;
  }

  private static String eventModeratorsKey(String eventId) {
    return CATALOGUE + "event-mods:" + eventId;
  }

  private static String moderatorTokenKey(String tokenHash) {
    return CATALOGUE + "modtoken:" + tokenHash;
  }

  // ---- organiser control: deletion, reset, order ---------------------------------------------

  /**
   * Stages (and events) being deleted, so a deletion a crash interrupted is finished by
   * {@link #finishDeletions}: a hash, field = stage id (value: its event, join code and when) or
   * {@code event:<id>}. A stage's field is kept for {@value #DELETION_GRACE_MS} ms after its
   * deletion, so a write in flight that landed after it (a reaction, a presence report) is
   * removed too by the next sweep.
   */
  private static final String DELETING_KEY = CATALOGUE + "deleting";
  static final long DELETION_GRACE_MS = 10 * 60_000;
  /** Keys a {@link RedisScripts#SCAN_DELETE} step looks at. */
  private static final int SCAN_COUNT = 500;

  @Override
  public Future<Void> deletePoll(String stageId, String pollId) {
    Future<Void> deleted = document(pollKey(stageId, pollId)).compose(doc -> doc.isEmpty()
            ? RedisEngine.<Void>refuse(ErrorCode.UNKNOWN_POLL, RefusalTexts.POLL, pollId)
            : send("lrem", Request.cmd(Command.LREM).arg(pollsKey(stageId)).arg(0).arg(pollId))
                // one DEL of keys in one slot: atomic, and the vote script then finds no state (unknown poll)
                .compose(r -> send("del", Request.cmd(Command.DEL).arg(stateKey(stageId, pollId))
                    .arg(pollKey(stageId, pollId)).arg(countsKey(stageId, pollId)).arg(ballotsKey(stageId, pollId))))
                .<Void>mapEmpty())
        .onSuccess(v -> announce(new Change(Change.Kind.POLL_DELETED, stageId, pollId)));
    return Confinement.backToCaller(deleted);
  }

  /** The cloud's fixed keys in one DEL, then its per-word and per-participant keys by a SCAN of the stage's keys. */
  @Override
  public Future<Void> deleteCloud(String stageId, String cloudId) {
    Future<Void> deleted = document(cloudKey(stageId, cloudId)).compose(doc -> doc.isEmpty()
            ? RedisEngine.<Void>refuse(ErrorCode.UNKNOWN_CLOUD, RefusalTexts.CLOUD, cloudId)
            : send("lrem", Request.cmd(Command.LREM).arg(cloudsKey(stageId)).arg(0).arg(cloudId))
                .compose(r -> send("del", Request.cmd(Command.DEL).arg(cloudStateKey(stageId, cloudId))
                    .arg(cloudKey(stageId, cloudId)).arg(cloudMetaKey(stageId, cloudId)).arg(cloudRankKey(stageId, cloudId))
                    .arg(cloudMergedKey(stageId, cloudId)).arg(cloudHiddenKey(stageId, cloudId))))
                .compose(r -> scanDelete(stageId, "cloud-*:" + cloudId + ":*", "all", "0", 0))
                .<Void>mapEmpty())
        .onSuccess(v -> announce(new Change(Change.Kind.CLOUD_DELETED, stageId, cloudId)));
    return Confinement.backToCaller(deleted);
  }

  /**
   * Marks the stage as being deleted, removes its catalogue entries (from then on it is not found),
   * then every key of its hash tag, in bounded SCAN steps run on the node owning its slot.
   */
  @Override
  public Future<Void> deleteStage(String stageId) {
    Future<Void> deleted = document(stageKey(stageId)).compose(doc -> {
      if (doc.isEmpty()) {
        return RedisEngine.<Void>refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stageId);
      }
      Stage stage = StoredForm.stage(doc.get());
      return purgeStage(stage.id(), stage.eventId(), stage.code());
    }).onSuccess(v -> announce(new Change(Change.Kind.STAGE_DELETED, stageId, null)));
    return Confinement.backToCaller(deleted);
  }

  private Future<Void> purgeStage(String stageId, String eventId, String code) {
    JsonObject marker = new JsonObject().put("event", eventId).put("code", code).put("at", System.currentTimeMillis());
    // HSETNX: a repeated sweep keeps the first mark's time, so the mark's grace ends
    return send("hsetnx", Request.cmd(Command.HSETNX).arg(DELETING_KEY).arg(stageId).arg(marker.encode()))
        .compose(r -> send("del", Request.cmd(Command.DEL).arg(stageKey(stageId))))
        .compose(r -> code == null ? Future.succeededFuture(null) : send("get", Request.cmd(Command.GET).arg(codeKey(code))))
        // the code is freed only if it is still this stage's (SET NX claims it only while it is free)
        .compose(owner -> owner != null && owner.toString().equals(stageId)
            ? send("del", Request.cmd(Command.DEL).arg(codeKey(code))) : Future.succeededFuture(null))
        .compose(r -> eventId == null ? Future.succeededFuture(null)
            : send("zrem", Request.cmd(Command.ZREM).arg(eventStagesKey(eventId)).arg(stageId)))
        .compose(r -> scanDelete(stageId, "*", "all", "0", 0))
        .mapEmpty();
  }

  /** Runs {@link RedisScripts#SCAN_DELETE} steps over the stage's keys matching {@code pattern} until the SCAN ends. */
  private Future<Long> scanDelete(String stageId, String pattern, String mode, String cursor, long sum) {
    return evalScript(RedisScripts.SCAN_DELETE, List.of(pollsKey(stageId)),
            List.of(cursor, ofStage(stageId, pattern), String.valueOf(SCAN_COUNT), mode, ofStage(stageId, "")))
        .compose(reply -> {
          String next = reply.get(0).toString();
          long total = sum + reply.get(1).toLong();
          return next.equals("0") ? Future.succeededFuture(total) : scanDelete(stageId, pattern, mode, next, total);
        });
  }

  @Override
  public Future<Void> deleteEvent(String eventId) {
    Future<List<String>> deleted = document(eventKey(eventId)).compose(doc -> doc.isEmpty()
        ? RedisEngine.<List<String>>refuse(ErrorCode.UNKNOWN_EVENT, RefusalTexts.EVENT, eventId)
        : purgeEvent(eventId));
    return Confinement.backToCaller(deleted.map(stageIds -> {
      stageIds.forEach(id -> announce(new Change(Change.Kind.STAGE_DELETED, id, null)));
      return null;
    }));
  }

  /** Deletes each stage of the event, its moderator accesses, then the event; safe to repeat. Returns the stage ids. */
  private Future<List<String>> purgeEvent(String eventId) {
    String field = "event:" + eventId;
    return send("hset", Request.cmd(Command.HSET).arg(DELETING_KEY).arg(field)
            .arg(new JsonObject().put("at", System.currentTimeMillis()).encode()))
        .compose(r -> send("zrange", Request.cmd(Command.ZRANGE).arg(eventStagesKey(eventId)).arg(0).arg(-1)))
        .compose(ids -> {
          List<String> stageIds = new ArrayList<>();
          if (ids != null) {
            ids.forEach(id -> stageIds.add(id.toString()));
          }
          Future<Void> chain = Future.succeededFuture();
          for (String stageId : stageIds) {
            chain = chain.compose(v -> document(stageKey(stageId)))
                .compose(doc -> purgeStage(stageId, eventId, doc.map(d -> StoredForm.stage(d).code()).orElse(null)));
          }
          return chain.map(stageIds);
        })
        .compose(stageIds -> send("zrange", Request.cmd(Command.ZRANGE).arg(eventModeratorsKey(eventId)).arg(0).arg(-1))
            .compose(ids -> {
              Future<Void> chain = Future.succeededFuture();
              if (ids != null) {
                for (Response id : ids) {
                  String moderatorId = id.toString();
                  chain = chain.compose(v -> document(moderatorKey(moderatorId)))
                      .compose(doc -> doc.isEmpty() ? Future.succeededFuture(null) : send("del",
                          Request.cmd(Command.DEL).arg(moderatorTokenKey(StoredForm.moderator(doc.get()).tokenHash()))))
                      .compose(r -> send("del", Request.cmd(Command.DEL).arg(moderatorKey(moderatorId))))
                      .mapEmpty();
                }
              }
              return chain;
            })
            .compose(v -> send("del", Request.cmd(Command.DEL).arg(eventModeratorsKey(eventId))
                .arg(eventStagesKey(eventId)).arg(eventKey(eventId))))
            .compose(r -> send("zrem", Request.cmd(Command.ZREM).arg(EVENTS_KEY).arg(eventId)))
            .compose(r -> send("hdel", Request.cmd(Command.HDEL).arg(DELETING_KEY).arg(field)))
            .map(stageIds));
  }

  /**
   * Puts every poll and cloud back to draft first (from then on no vote or entry is taken), then
   * clears the stage's interaction keys in bounded SCAN steps. Not one atomic step: a post sent
   * while the reset runs may survive it (see docs/rest.md).
   */
  @Override
  public Future<Void> resetStage(String stageId) {
    Future<Void> reset = document(stageKey(stageId)).compose(doc -> {
      if (doc.isEmpty()) {
        return RedisEngine.<Void>refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stageId);
      }
      return listed(pollsKey(stageId), id -> pollKey(stageId, id), StoredForm::poll).compose(polls -> {
        Future<Void> chain = Future.succeededFuture();
        for (Poll p : polls) {
          Poll draft = p.toDraft();
          chain = chain.compose(v -> savePoll(draft).mapEmpty());
        }
        return chain;
      }).compose(v -> listed(cloudsKey(stageId), id -> cloudKey(stageId, id), StoredForm::cloud)).compose(clouds -> {
        Future<Void> chain = Future.succeededFuture();
        for (WordCloud c : clouds) {
          WordCloud draft = new WordCloud(c.id(), c.stageId(), c.prompt(), c.maxEntries(), org.plenum.stage.Phase.DRAFT,
              c.resultsVisible(), c.createdAt(), null, null);
          chain = chain.compose(v -> saveCloud(draft).mapEmpty());
        }
        return chain;
      }).compose(v -> surveys(stageId)).compose(all -> {
        Future<Void> chain = Future.succeededFuture();
        for (org.plenum.stage.Survey sv : all) {
          org.plenum.stage.Survey draft = new org.plenum.stage.Survey(sv.stageId(), sv.talkId(), sv.questions(),
              org.plenum.stage.Phase.DRAFT, sv.createdAt(), null, null);
          chain = chain.compose(v -> saveSurvey(draft).mapEmpty());
        }
        return chain;
      }).compose(v -> scanDelete(stageId, "*", "reset", "0", 0)).mapEmpty();
    }).onSuccess(v -> announce(new Change(Change.Kind.STAGE_RESET, stageId, null)));
    return Confinement.backToCaller(reset);
  }

  @Override
  public Future<Void> reorderPolls(String stageId, List<String> pollIds) {
    return reorderList(stageId, pollsKey(stageId), "polls", pollIds);
  }

  @Override
  public Future<Void> reorderClouds(String stageId, List<String> cloudIds) {
    return reorderList(stageId, cloudsKey(stageId), "clouds", cloudIds);
  }

  private Future<Void> reorderList(String stageId, String listKey, String kind, List<String> ids) {
    Future<Void> done = document(stageKey(stageId)).compose(doc -> doc.isEmpty()
            ? RedisEngine.<Response>refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stageId)
            : evalScript(RedisScripts.REORDER_LIST, List.of(listKey), ids))
        .compose(r -> r.toLong() == 1 ? Future.<Void>succeededFuture()
            : RedisEngine.<Void>refuse(ErrorCode.INVALID_FIELD, RefusalTexts.ORDER, kind))
        .onSuccess(v -> announce(new Change(Change.Kind.ORDER, stageId, null)));
    return Confinement.backToCaller(done);
  }

  @Override
  public Future<Void> reorderStages(String eventId, List<String> stageIds) {
    Future<Void> done = document(eventKey(eventId)).compose(doc -> doc.isEmpty()
            ? RedisEngine.<Response>refuse(ErrorCode.UNKNOWN_EVENT, RefusalTexts.EVENT, eventId)
            : evalScript(RedisScripts.REORDER_ZSET, List.of(eventStagesKey(eventId)), stageIds))
        .compose(r -> r.toLong() == 1 ? Future.<Void>succeededFuture()
            : RedisEngine.<Void>refuse(ErrorCode.INVALID_FIELD, RefusalTexts.ORDER, "stages"));
    return Confinement.backToCaller(done);
  }

  /**
   * Repeats every deletion still marked: an event's (interrupted) in full, a stage's key sweep (so a
   * write that landed after the deletion goes too); a stage's mark is dropped once its grace has passed.
   */
  @Override
  public Future<Integer> finishDeletions() {
    Future<Integer> done = send("hgetall", Request.cmd(Command.HGETALL).arg(DELETING_KEY)).compose(reply -> {
      Map<String, String> marks = hash(reply);
      long now = System.currentTimeMillis();
      Future<Integer> chain = Future.succeededFuture(0);
      for (Map.Entry<String, String> mark : marks.entrySet()) {
        String field = mark.getKey();
        JsonObject info = new JsonObject(mark.getValue());
        if (field.startsWith("event:")) {
          chain = chain.compose(n -> purgeEvent(field.substring("event:".length())).map(ids -> n + ids.size()));
          continue;
        }
        chain = chain.compose(n -> purgeStage(field, info.getString("event"), info.getString("code"))
            .compose(v -> info.getLong("at", 0L) + DELETION_GRACE_MS < now
                ? send("hdel", Request.cmd(Command.HDEL).arg(DELETING_KEY).arg(field)) : Future.succeededFuture(null))
            .map(n + 1));
      }
      return chain;
    });
    return Confinement.backToCaller(done);
  }

  // ---- quiz (quiz_answer.lua, quiz_board.lua, quiz_standing.lua) -----------------------------

  private static String quizScoreKey(String stageId) {
    return ofStage(stageId, "quiz-score");
  }

  private static String quizCorrectKey(String stageId) {
    return ofStage(stageId, "quiz-correct");
  }

  private static String quizPointsKey(String stageId, String pollId) {
    return ofStage(stageId, "quiz-points:" + pollId);
  }

  private static String quizScoredKey(String stageId) {
    return ofStage(stageId, "quiz-scored");
  }

  private static String quizNickKey(String stageId) {
    return ofStage(stageId, "quiz-nick");
  }

  @Override
  public Future<VoteReceipt> answer(VoteAction action, Poll quiz) {
    String stageId = action.stageId();
    String pollId = action.pollId();
    if (!quiz.isQuiz()) {
      return Confinement.backToCaller(RedisEngine.refuse(ErrorCode.UNKNOWN_POLL, RefusalTexts.POLL, pollId));
    }
    String ballot = action.ballot().encode();
    Future<VoteReceipt> receipt = evalScript(RedisScripts.QUIZ_ANSWER,
            counting(stageId, actionKey(stageId, action.participantId(), action.actionId()), stateKey(stageId, pollId),
                countsKey(stageId, pollId), ballotsKey(stageId, pollId), closesKey(stageId, pollId),
                quizScoreKey(stageId), quizCorrectKey(stageId), quizPointsKey(stageId, pollId), quizScoredKey(stageId)),
            counting(interaction(ActivityKind.VOTES, pollId, ballot, action.participantId()),
                action.participantId(), ballot, String.valueOf(actionIdTtlMillis),
                quiz.quiz().isCorrect(action.ballot()) ? "1" : "0", String.valueOf(quiz.quiz().points()),
                quiz.quiz().speedBonus() ? "1" : "0",
                quiz.openedAt() == null ? "" : String.valueOf(quiz.openedAt().toEpochMilli())))
        .compose(reply -> {
          String status = reply.get(0).toString();
          long version = reply.get(1).toLong();
          switch (status) {
            case "applied", "duplicate" -> {
              // a duplicate's original may have been applied by a request whose reply was lost: tell the hubs
              announce(new Change(Change.Kind.RESULTS, stageId, pollId));
              announce(new Change(Change.Kind.LEADERBOARD, stageId, null));
              return Future.succeededFuture(new VoteReceipt(status.equals("duplicate"), version));
            }
            case "unknown_poll" -> {
              return Future.failedFuture(EngineRefusal.of(ErrorCode.UNKNOWN_POLL, RefusalTexts.POLL, pollId));
            }
            case "answered" -> {
              return Future.failedFuture(EngineRefusal.of(ErrorCode.ALREADY_ANSWERED, RefusalTexts.POLL, pollId));
            }
            default -> { }
          }
          if (status.startsWith("closed:")) {
            Instant deadline = Instant.ofEpochMilli(Long.parseLong(status.substring("closed:".length())));
            return Future.failedFuture(EngineRefusal.of(ErrorCode.POLL_CLOSED,
                RefusalTexts.POLL, pollId, RefusalTexts.CLOSES_AT, deadline.toString()));
          }
          if (status.startsWith("not_open:")) {
            return Future.failedFuture(EngineRefusal.of(ErrorCode.POLL_NOT_OPEN,
                RefusalTexts.POLL, pollId, RefusalTexts.PHASE, status.substring("not_open:".length())));
          }
          return Future.failedFuture(new IllegalStateException("quiz answer script answered " + status));
        });
    return Confinement.backToCaller(written(receipt, new Change(Change.Kind.LEADERBOARD, stageId, null)));
  }

  @Override
  public Future<org.plenum.stage.Leaderboard> leaderboard(String stageId, int limit) {
    Future<org.plenum.stage.Leaderboard> board = evalScript(RedisScripts.QUIZ_BOARD,
        List.of(quizScoreKey(stageId), quizCorrectKey(stageId), quizNickKey(stageId), quizScoredKey(stageId)),
        List.of(String.valueOf(limit))).map(reply -> {
          List<org.plenum.stage.Leaderboard.Entry> entries = new ArrayList<>();
          for (int i = 2; i + 3 < reply.size(); i += 4) {
            String id = reply.get(i).toString();
            String nick = reply.get(i + 3).toString();
            entries.add(new org.plenum.stage.Leaderboard.Entry(entries.size() + 1,
                nick.isEmpty() ? org.plenum.stage.Nickname.generated(id) : org.plenum.stage.Nickname.decode(nick).name(),
                (long) Double.parseDouble(reply.get(i + 1).toString()), Long.parseLong(reply.get(i + 2).toString())));
          }
          return new org.plenum.stage.Leaderboard(reply.get(0).toLong(), reply.get(1).toLong(), entries);
        });
    return Confinement.backToCaller(board);
  }

  @Override
  public Future<org.plenum.stage.Standing> standing(String stageId, String participantId, List<String> quizIds) {
    List<String> keys = new ArrayList<>(List.of(quizScoreKey(stageId), quizCorrectKey(stageId), quizNickKey(stageId)));
    quizIds.forEach(id -> keys.add(quizPointsKey(stageId, id)));
    Future<org.plenum.stage.Standing> standing = evalScript(RedisScripts.QUIZ_STANDING, keys, List.of(participantId))
        .map(reply -> {
          String points = reply.get(0).toString();
          long rank = reply.get(1).toLong();
          String nick = reply.get(4).toString();
          org.plenum.stage.Nickname n = nick.isEmpty() ? null : org.plenum.stage.Nickname.decode(nick);
          Map<String, Long> mine = new java.util.LinkedHashMap<>();
          for (int i = 0; i < quizIds.size(); i++) {
            long earned = Long.parseLong(reply.get(5 + i).toString());
            if (earned >= 0) {
              mine.put(quizIds.get(i), earned);
            }
          }
          return new org.plenum.stage.Standing(n == null ? org.plenum.stage.Nickname.generated(participantId) : n.name(),
              n == null || n.listed(), points.isEmpty() ? 0 : (long) Double.parseDouble(points),
              Long.parseLong(reply.get(3).toString()), rank < 0 ? 0 : rank + 1, reply.get(2).toLong(), mine);
        });
    return Confinement.backToCaller(standing);
  }

  @Override
  public Future<Void> setNickname(String stageId, String participantId, org.plenum.stage.Nickname nickname) {
    Future<Void> set = document(stageKey(stageId)).compose(doc -> doc.isEmpty()
            ? RedisEngine.<Response>refuse(ErrorCode.UNKNOWN_STAGE, RefusalTexts.STAGE, stageId)
            : send("hset", Request.cmd(Command.HSET).arg(quizNickKey(stageId)).arg(participantId).arg(nickname.encode())))
        .<Void>mapEmpty()
        .onSuccess(v -> announce(new Change(Change.Kind.LEADERBOARD, stageId, null)));
    return Confinement.backToCaller(written(set, new Change(Change.Kind.LEADERBOARD, stageId, null)));
  }

  @Override
  public Future<List<org.plenum.stage.QuizScore>> quizScores(String stageId) {
    Future<List<org.plenum.stage.QuizScore>> rows = send("zrevrange", Request.cmd(Command.ZREVRANGE)
            .arg(quizScoreKey(stageId)).arg(0).arg(-1).arg("WITHSCORES"))
        .compose(ranked -> send("hgetall", Request.cmd(Command.HGETALL).arg(quizCorrectKey(stageId)))
            .compose(correct -> send("hgetall", Request.cmd(Command.HGETALL).arg(quizNickKey(stageId)))
                .map(nicks -> {
                  Map<String, String> right = hash(correct);
                  Map<String, String> names = hash(nicks);
                  List<org.plenum.stage.QuizScore> out = new ArrayList<>();
                  List<String[]> pairs = new ArrayList<>();
                  if (ranked != null) {
                    for (int i = 0; i < ranked.size(); i++) {
                      Response r = ranked.get(i);
                      if (r.type() == io.vertx.redis.client.ResponseType.MULTI) { // RESP3: [member, score]
                        pairs.add(new String[] {r.get(0).toString(), r.get(1).toString()});
                      } else if (i + 1 < ranked.size()) {
                        pairs.add(new String[] {r.toString(), ranked.get(++i).toString()});
                      }
                    }
                  }
                  for (String[] pair : pairs) {
                    String id = pair[0];
                    String nick = names.get(id);
                    org.plenum.stage.Nickname n = nick == null ? null : org.plenum.stage.Nickname.decode(nick);
                    out.add(new org.plenum.stage.QuizScore(out.size() + 1, id,
                        n == null ? org.plenum.stage.Nickname.generated(id) : n.name(), n == null || n.listed(),
                        (long) Double.parseDouble(pair[1]), Long.parseLong(right.getOrDefault(id, "0"))));
                  }
                  return out;
                })));
    return Confinement.backToCaller(rows);
  }
}
