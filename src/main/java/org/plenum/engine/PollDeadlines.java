package org.plenum.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.plenum.stage.Poll;

/**
 * Closes timed polls at their deadline: one per node, a Vert.x timer per open poll with a
 * {@link Poll#closesAt()} (no thread waits). On Redis every node that knows the poll arms its
 * own timer; the close is {@link CatalogueStore#closePollAtDeadline}, a compare-and-set, so the
 * first node closes it and the others change nothing. The timer only flips the state: the engines
 * refuse late votes by their own clock already ({@code poll_closed}), so a timer that fires late
 * (a busy node, a node that was down) never lets a late vote in.
 *
 * <p>What arms a timer: the node's start (every open timed poll of every event), every
 * {@link Change.Kind#POLL} change heard on the local event bus (this node's writes, and other
 * nodes' for the stages this node watches), and a hub loading a stage ({@link #stageLoaded}). A
 * timer armed for a deadline that has since moved is replaced; one that fires for a stale deadline
 * is harmless (the compare-and-set finds nothing to close).
 */
public final class PollDeadlines {
  private static final Logger LOG = Logger.getLogger(PollDeadlines.class.getName());
  /** Local event bus address hubs tell a stage id on when they load a stage. */
  public static final String STAGE_LOADED = "plenum.poll-deadlines.stage";
  /** A close that failed (engine unavailable) is tried again after this long. */
  private static final long RETRY_MS = 1_000;

  private record Armed(Instant closesAt, long timerId) {}

  private final Vertx vertx;
  private final Engine engine;
  /** "stage|poll" -> the armed timer. */
  private final Map<String, Armed> armed = new ConcurrentHashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private volatile boolean stopped;

  public PollDeadlines(Vertx vertx, Engine engine) {
    this.vertx = vertx;
    this.engine = engine;
  }

  /** A hub loaded a stage: arm its timed polls (the node may have missed their changes). */
  public static void stageLoaded(Vertx vertx, String stageId) {
    vertx.eventBus().publish(STAGE_LOADED, stageId);
  }

  /** Listens for poll changes and arms the timers of every open timed poll the engine holds. */
  public Future<Void> start() {
    consumers.add(vertx.eventBus().<Change>localConsumer(Change.ADDRESS, m -> {
      Change c = m.body();
      if (c.kind() == Change.Kind.POLL && c.stageId() != null && c.id() != null) {
        engine.poll(c.stageId(), c.id()).onSuccess(p -> p.ifPresent(this::watch));
      }
    }));
    consumers.add(vertx.eventBus().<String>localConsumer(STAGE_LOADED, m -> watchStage(m.body())));
    return engine.events().compose(events -> Future.join(events.stream()
            .map(e -> engine.stages(e.id()).compose(stages -> Future.join(stages.stream()
                .map(s -> watchStage(s.id())).toList())))
            .toList()))
        .<Void>mapEmpty()
        .recover(err -> {
          // the node still serves: hubs loading stages arm their timers, and late votes are refused anyway
          LOG.log(Level.WARNING, "poll deadlines: could not scan for timed polls at start", err);
          return Future.succeededFuture();
        });
  }

  public void stop() {
    stopped = true;
    consumers.forEach(MessageConsumer::unregister);
    armed.values().forEach(a -> vertx.cancelTimer(a.timerId()));
    armed.clear();
  }

  /** How many timers this node has armed (for tests and diagnostics). */
  public int armedCount() {
    return armed.size();
  }

  private Future<Void> watchStage(String stageId) {
    return engine.polls(stageId).map(polls -> {
      polls.forEach(this::watch);
      return null;
    });
  }

  /** Arms, moves or drops the poll's timer to match what the poll says now. */
  void watch(Poll poll) {
    String key = poll.stageId() + "|" + poll.id();
    if (stopped) {
      return;
    }
    if (!poll.isOpen() || poll.closesAt() == null) {
      Armed old = armed.remove(key);
      if (old != null) {
        vertx.cancelTimer(old.timerId());
      }
      return;
    }
    Instant deadline = poll.closesAt();
    armed.compute(key, (k, old) -> {
      if (old != null && old.closesAt().equals(deadline)) {
        return old;
      }
      if (old != null) {
        vertx.cancelTimer(old.timerId());
      }
      return new Armed(deadline, schedule(poll.stageId(), poll.id(), deadline, delayUntil(deadline)));
    });
  }

  private static long delayUntil(Instant deadline) {
    return Math.max(1, deadline.toEpochMilli() - System.currentTimeMillis());
  }

  private long schedule(String stageId, String pollId, Instant deadline, long delayMs) {
    return vertx.setTimer(delayMs, id -> fire(stageId, pollId, deadline, id));
  }

  private void fire(String stageId, String pollId, Instant deadline, long timerId) {
    String key = stageId + "|" + pollId;
    engine.closePollAtDeadline(stageId, pollId, deadline)
        .onSuccess(closed -> armed.remove(key, new Armed(deadline, timerId)))
        .onFailure(err -> {
          Armed current = armed.get(key);
          if (!stopped && current != null && current.timerId() == timerId) {
            LOG.log(Level.FINE, "poll deadlines: closing " + key + " failed, retrying", err);
            armed.replace(key, current, new Armed(deadline, schedule(stageId, pollId, deadline, RETRY_MS)));
          }
        });
  }
}
