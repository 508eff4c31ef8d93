package org.plenum.hub;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.plenum.engine.Change;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.Role;
import org.plenum.stage.Presence;
import org.plenum.stage.Stage;

/**
 * The fan-out of one event loop: which of its sessions are on which stage ({@link StageRoom}s),
 * and the hops to each stage's node-wide {@link StageReadModel}, which does the reading and
 * encoding once per node and hands the frames back to this loop to write.
 *
 * <p>Threading: a hub and its rooms are touched only on {@link #context}, its event loop. Every
 * call to a read model runs on the model's home ({@code runOnContext}) and its answer is handed
 * back here before any caller's callback runs, so callers never see another thread.
 */
public final class Hub {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Hub.class.getName());
  private final Vertx vertx;
  private final Context context;
  private final ReadModels models;
  private final PlenumMetrics metrics;
  private final Map<String, StageRoom> rooms = new HashMap<>();
  private final List<Long> timers = new ArrayList<>();

  /** Built on its own event loop, whose context it keeps. */
  public Hub(Vertx vertx, ReadModels models, PlenumMetrics metrics) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.models = models;
    this.metrics = metrics;
  }

  /** Starts the keep-alive pings (every {@code keepAliveMs}); call on the owning event loop. */
  public void start(long keepAliveMs) {
    timers.add(vertx.setPeriodic(keepAliveMs, id -> rooms.values().forEach(
        r -> r.subscribers.values().forEach(set -> set.forEach(Subscriber::keepAlive)))));
  }

  /**
   * Stops the keep-alive pings and withdraws the node's presence reports of the stages this loop
   * still has sessions on (their close handlers may not have run yet), before the engine stops: a
   * drained node's sessions leave the deployment-wide sum at once instead of when their reports
   * expire, while the clients that reconnected elsewhere are counted there. The report is the
   * read model's (one per stage per node); after it the model reports nothing but its final
   * zero. Never fails, and waits at most a second (the engine may be unreachable): a report that
   * cannot be withdrawn still expires.
   */
  public Future<Void> stop() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    List<Future<Void>> withdrawn = new ArrayList<>();
    for (StageRoom room : rooms.values()) {
      StageReadModel model = room.model;
      withdrawn.add(onModel(model, model::withdrawPresence)
          .onFailure(err -> LOG.fine("presence of stage " + model.stageId() + " not withdrawn: " + err)));
    }
    return Future.join(withdrawn).<Void>mapEmpty().timeout(1, java.util.concurrent.TimeUnit.SECONDS).otherwiseEmpty();
  }

  public Optional<StageRoom> room(String stageId) {
    return Optional.ofNullable(rooms.get(stageId));
  }

  /**
   * Adds a subscriber to a stage: this loop's room for it, and the node's read model (loaded on
   * first use). From now on the subscriber gets every push for the stage, held until
   * {@link #joined} says which versions its snapshot showed.
   */
  public Future<StageRoom> enter(Stage stage, Subscriber subscriber) {
    StageRoom room = rooms.computeIfAbsent(stage.id(), id -> new StageRoom(stage, context, metrics,
        models.serve(stage, context)));
    Audience audience = Audience.of(subscriber.role());
    room.subscribers.get(audience).add(subscriber);
    room.joining(subscriber);
    if (subscriber.role() != Role.MODERATOR) {
      room.enteredAs.put(subscriber, subscriber.participantId());
      room.byParticipant.computeIfAbsent(subscriber.participantId(), k -> new HashSet<>()).add(subscriber);
    }
    metrics.connection(stage.id(), subscriber.role().wire(), +1);
    return attach(room, subscriber, subscriber.role(), subscriber.participantId());
  }

  private Future<StageRoom> attach(StageRoom room, Subscriber subscriber, Role role, String participantId) {
    StageReadModel model = room.model;
    org.plenum.stage.JoinSource source = subscriber.source();
    return onModel(model, () -> model.attach(room, role, participantId, source)).compose(definitions -> {
      if (definitions != null) {
        room.define(definitions);
      }
      return Future.succeededFuture(room);
    }, err -> {
      if (!(err instanceof StageReadModel.Closed)) {
        return Future.failedFuture(err);
      }
      // the model closed before this join reached it (its last session had just left): serve anew
      if (!room.subscribers.get(Audience.of(role)).contains(subscriber) || rooms.get(room.stage().id()) != room) {
        return Future.failedFuture(err);
      }
      if (room.model == model) {
        room.model = models.serve(room.stage(), context);
      }
      return attach(room, subscriber, role, participantId);
    });
  }

  public void leave(String stageId, Subscriber subscriber) {
    StageRoom room = rooms.get(stageId);
    if (room == null || !room.subscribers.get(Audience.of(subscriber.role())).remove(subscriber)) {
      return;
    }
    room.left(subscriber);
    metrics.connection(stageId, subscriber.role().wire(), -1);
    String participant = null;
    if (subscriber.role() != Role.MODERATOR) {
      // the participant it entered as: a session may have switched tokens since
      participant = room.enteredAs.remove(subscriber);
      var own = room.byParticipant.get(participant);
      if (own != null && own.remove(subscriber) && own.isEmpty()) {
        room.byParticipant.remove(participant);
      }
    }
    Role role = subscriber.role();
    String enteredAs = participant;
    StageReadModel model = room.model;
    model.home.runOnContext(v -> model.detach(room, role, enteredAs));
    if (room.isEmpty()) {
      rooms.remove(stageId);
    }
  }

  /**
   * The snapshot a joining session gets: every feed's part, for its role and participant, built by
   * the read model. The room remembers which versions it shows, for {@link #joined}.
   */
  public Future<JsonObject> snapshot(StageRoom room, Subscriber subscriber, Role role, String participantId) {
    StageReadModel model = room.model;
    return onModel(model, () -> model.snapshot(role, participantId)).map(snapshot -> {
      room.snapshotted(subscriber, snapshot);
      return snapshot.parts();
    });
  }

  /**
   * The session has been sent its snapshot: the pushes held for it since it entered follow,
   * except those of versions the snapshot already showed, and later pushes of a version the
   * snapshot showed are skipped, so it sees every version after the snapshot's and none older.
   */
  public void joined(StageRoom room, Subscriber subscriber) {
    room.joined(subscriber);
  }

  /**
   * A page of older posts for a session on the stage: the newest {@code limit} (at most the
   * join limit) it may see among those created before post {@code before}.
   */
  public Future<JsonObject> postsPage(StageRoom room, Role role, String participantId, String before, int limit) {
    StageReadModel model = room.model;
    return onModel(model, () -> model.postsPage(role, participantId, before, limit));
  }

  /** Reports the node's sessions on the stage right away and returns the deployment-wide sum. */
  public Future<Presence> presenceNow(StageRoom room) {
    StageReadModel model = room.model;
    return onModel(model, model::presenceNow);
  }

  /** Called (on this loop) for every change announced by the engine, local or remote. */
  public void onChange(Change change) {
    models.onChange(change, context);
  }

  /**
   * Runs {@code work} on the model's home and completes on this loop. Vert.x runs a plain
   * promise's callbacks on the thread that completes it, so the answer hops back here first.
   */
  private <T> Future<T> onModel(StageReadModel model, Supplier<Future<T>> work) {
    Promise<T> answer = Promise.promise();
    // queued, even on the home's own loop: the frames the model handed this loop before the answer
    // (also queued) are delivered first, which is what a join's snapshot relies on
    Runnable run = () -> safely(work).onComplete(result -> context.runOnContext(x -> answer.handle(result)));
    if (Vertx.currentContext() == model.home) {
      run.run();
    } else {
      model.home.runOnContext(v -> run.run());
    }
    return answer.future();
  }

  private static <T> Future<T> safely(Supplier<Future<T>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
