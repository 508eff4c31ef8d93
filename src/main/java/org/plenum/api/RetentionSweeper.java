package org.plenum.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.plenum.engine.Engine;
import org.plenum.stage.Event;
import org.plenum.stage.Poll;
import org.plenum.stage.Stage;
import org.plenum.stage.Talk;
import org.plenum.stage.WordCloud;

/**
 * The periodic data-protection sweep (docs/configuration.md, {@code retentionDays}): every
 * {@code retentionSweepMinutes} it finishes deletions a crash or a late write left half done
 * ({@link Engine#finishDeletions}) and, with a retention period, deletes every event whose end lies
 * longer ago than that. An event's end is the end of its programme's last talk or the last time a
 * poll or word cloud of it was opened or closed, whichever is later; an event with neither ends when
 * it (or its latest stage) was created. Questions and reactions are not looked at: reading them all
 * would cost more than the sweep is worth, and they happen during the talks anyway.
 *
 * <p>Runs on a Vert.x timer and only through the engine's Futures, one event after the other, so it
 * never blocks an event loop and its load stays small. Every node sweeps; a deletion another node
 * finished first is simply not found.
 */
public final class RetentionSweeper {
  private static final Logger LOG = Logger.getLogger(RetentionSweeper.class.getName());

  private final Vertx vertx;
  private final Engine engine;
  private final int retentionDays;
  private final long everyMs;
  private long timer = -1;
  private Future<List<String>> running;

  public RetentionSweeper(Vertx vertx, Engine engine, int retentionDays, long everyMs) {
    this.vertx = vertx;
    this.engine = engine;
    this.retentionDays = retentionDays;
    this.everyMs = everyMs;
  }

  public void start() {
    timer = vertx.setPeriodic(everyMs, everyMs, id -> sweep());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** One sweep now (or the one under way); completes with the ids of the events it deleted. */
  public Future<List<String>> sweep() {
    if (running != null && !running.isComplete()) {
      return running;
    }
    Instant now = Instant.now();
    running = engine.finishDeletions()
        .recover(err -> {
          LOG.warning("could not finish pending deletions: " + err);
          return Future.succeededFuture(0);
        })
        .compose(n -> retentionDays == 0 ? Future.succeededFuture(List.<String>of())
            : engine.events().compose(events -> expire(events, 0, now.minus(Duration.ofDays(retentionDays)), new ArrayList<>())))
        .onSuccess(deleted -> {
          if (!deleted.isEmpty()) {
            LOG.info("retention: deleted " + deleted.size() + " event(s) that ended more than " + retentionDays
                + " days ago: " + deleted);
          }
        })
        .onFailure(err -> LOG.warning("retention sweep failed, trying again at the next one: " + err));
    return running;
  }

  private Future<List<String>> expire(List<Event> events, int i, Instant cutoff, List<String> deleted) {
    if (i == events.size()) {
      return Future.succeededFuture(deleted);
    }
    Event event = events.get(i);
    return endOf(event).compose(end -> {
      if (!end.isBefore(cutoff)) {
        return Future.succeededFuture();
      }
      return engine.deleteEvent(event.id()).map(v -> deleted.add(event.id())).<Void>mapEmpty()
          .recover(err -> {
            LOG.warning("retention: could not delete event " + event.id() + ": " + err);
            return Future.succeededFuture();
          });
    }).compose(v -> expire(events, i + 1, cutoff, deleted));
  }

  /** The event's end, as the class comment defines it. */
  Future<Instant> endOf(Event event) {
    return engine.stages(event.id()).compose(stages -> {
      List<Future<Instant>> ends = new ArrayList<>();
      for (Stage s : stages) {
        ends.add(activityOf(s));
      }
      return Future.all(ends).map(all -> {
        Instant activity = null;
        Instant created = event.createdAt();
        for (int k = 0; k < stages.size(); k++) {
          activity = later(activity, all.resultAt(k));
          created = later(created, stages.get(k).createdAt());
        }
        return activity != null ? activity : created;
      });
    });
  }

  /** The latest talk end or poll/cloud opening or closing of a stage, or null if it has none. */
  private Future<Instant> activityOf(Stage stage) {
    return engine.talks(stage.id()).compose(talks -> engine.polls(stage.id()).compose(polls ->
        engine.clouds(stage.id()).map(clouds -> {
          Instant latest = null;
          for (Talk t : talks) {
            latest = later(latest, t.endsAt());
          }
          for (Poll p : polls) {
            latest = later(later(latest, p.openedAt()), p.closedAt());
          }
          for (WordCloud c : clouds) {
            latest = later(later(latest, c.openedAt()), c.closedAt());
          }
          return latest;
        })));
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }
}
