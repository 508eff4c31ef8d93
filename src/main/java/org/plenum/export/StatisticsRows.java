package org.plenum.export;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.plenum.engine.StatisticsStore;
import org.plenum.stage.ActivityKind;
import org.plenum.stage.ActivityMinute;
import org.plenum.stage.Interaction;
import org.plenum.stage.Presence;
import org.plenum.stage.PresenceSample;
import org.plenum.stage.Stage;
import org.plenum.stage.Talk;

/**
 * The statistics tables of an export ({@link ExportTable#PRESENCE}, {@link ExportTable#ACTIVITY},
 * {@link ExportTable#SUMMARY}), read through the {@link StatisticsStore}. A sample and a minute are
 * attributed to the talk running at their start. A talk's summary counts the samples and minutes that
 * start within it, and its distinct participants from the stage's interaction log (exact for what the
 * log holds: the newest {@link StatisticsStore#MAX_LOG} interactions per stage); a stage's and the
 * event's distinct participants come from the engine's own count (exact in memory, a HyperLogLog on
 * Redis). The event's peak is the largest sum over its stages of the samples of one interval.
 */
final class StatisticsRows {
  /** Builds a row with the context columns ({@link ExportRows#row}). */
  interface RowMaker {
    Object[] row(Stage stage, Talk talk, Object... own);
  }

  /** Interactions read from the log per engine call. */
  static final int LOG_PAGE = 5_000;

  private final StatisticsStore store;
  private final ExportScope scope;
  private final RowMaker rows;

  StatisticsRows(StatisticsStore store, ExportScope scope, RowMaker rows) {
    this.store = store;
    this.scope = scope;
    this.rows = rows;
  }

  private Talk talkAt(Stage stage, Instant at) {
    return scope.programme(stage.id()).at(at);
  }

  Future<List<Object[]>> presence(Stage stage) {
    return store.samples(stage.id()).map(samples -> {
      List<Object[]> out = new ArrayList<>(samples.size());
      for (PresenceSample s : samples) {
        Presence p = s.presence();
        out.add(rows.row(stage, talkAt(stage, s.at()), s.at(), p.viewers(), p.viewersHall(), p.viewersStream(),
            p.viewersOther(), p.moderators(), p.presenters()));
      }
      return out;
    });
  }

  Future<List<Object[]>> activity(Stage stage) {
    return store.activity(stage.id()).map(minutes -> {
      List<Object[]> out = new ArrayList<>(minutes.size());
      for (ActivityMinute m : minutes) {
        out.add(rows.row(stage, talkAt(stage, m.minute()), m.minute(), m.count(ActivityKind.VOTES),
            m.count(ActivityKind.WORDS), m.count(ActivityKind.QUESTIONS), m.count(ActivityKind.UPVOTES),
            m.count(ActivityKind.COMMENTS), m.count(ActivityKind.FEEDBACK), m.count(ActivityKind.REACTIONS),
            m.count(ActivityKind.ANSWERS)));
      }
      return out;
    });
  }

  /** The stage's talks' rows (programme order), then the stage's. */
  Future<List<Object[]>> summary(Stage stage) {
    List<Talk> talks = scope.programme(stage.id()).talks();
    Future<List<PresenceSample>> samples = store.samples(stage.id());
    Future<List<ActivityMinute>> minutes = store.activity(stage.id());
    Future<Long> distinct = store.distinctParticipants(stage.id());
    Future<Map<String, Set<String>>> byTalk = talks.isEmpty() ? Future.succeededFuture(Map.of())
        : participantsByTalk(stage);
    return Future.all(samples, minutes, distinct, byTalk).map(all -> {
      List<Object[]> out = new ArrayList<>();
      for (Talk t : talks) {
        List<PresenceSample> within = samples.result().stream()
            .filter(s -> !s.at().isBefore(t.startsAt()) && s.at().isBefore(t.endsAt())).toList();
        List<ActivityMinute> active = minutes.result().stream()
            .filter(m -> !m.minute().isBefore(t.startsAt()) && m.minute().isBefore(t.endsAt())).toList();
        long people = byTalk.result().getOrDefault(t.id(), Set.of()).size();
        out.add(summaryRow(stage, t, "talk", people, peak(within), active));
      }
      out.add(summaryRow(stage, null, "stage", distinct.result(), peak(samples.result()), minutes.result()));
      return out;
    });
  }

  /** The event's row: its stages together. */
  Future<List<Object[]>> eventSummary() {
    List<String> ids = scope.stages().stream().map(Stage::id).toList();
    List<Future<List<PresenceSample>>> samples = new ArrayList<>();
    List<Future<List<ActivityMinute>>> minutes = new ArrayList<>();
    for (String id : ids) {
      samples.add(store.samples(id));
      minutes.add(store.activity(id));
    }
    Future<Long> distinct = store.distinctParticipants(ids);
    return Future.all(Future.all(samples), Future.all(minutes), distinct).map(all -> {
      // the deployment's concurrent viewers per interval: the stages' samples of that interval summed
      TreeMap<Instant, Presence> sums = new TreeMap<>();
      List<ActivityMinute> every = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        for (PresenceSample s : samples.get(i).result()) {
          sums.merge(s.at(), s.presence(), Presence::plus);
        }
        every.addAll(minutes.get(i).result());
      }
      List<PresenceSample> summed = new ArrayList<>(sums.size());
      sums.forEach((at, p) -> summed.add(new PresenceSample(at, p)));
      List<Object[]> out = new ArrayList<>(1);
      out.add(summaryRow(null, null, "event", distinct.result(), peak(summed), every));
      return out;
    });
  }

  /** The sample with the most viewers (the earliest of equals), or null. */
  private static PresenceSample peak(List<PresenceSample> samples) {
    PresenceSample best = null;
    for (PresenceSample s : samples) {
      if (best == null || s.presence().viewers() > best.presence().viewers()) {
        best = s;
      }
    }
    return best;
  }

  private Object[] summaryRow(Stage stage, Talk talk, String scopeName, long participants, PresenceSample peak,
                              List<ActivityMinute> minutes) {
    long[] totals = new long[ActivityKind.values().length];
    for (ActivityMinute m : minutes) {
      for (ActivityKind k : ActivityKind.values()) {
        totals[k.ordinal()] += m.count(k);
      }
    }
    return rows.row(stage, talk, scopeName, participants, peak == null ? 0L : peak.presence().viewers(),
        peak == null ? null : peak.at(), peak == null ? 0L : peak.presence().viewersHall(),
        peak == null ? 0L : peak.presence().viewersStream(), totals[ActivityKind.VOTES.ordinal()],
        totals[ActivityKind.WORDS.ordinal()], totals[ActivityKind.QUESTIONS.ordinal()],
        totals[ActivityKind.UPVOTES.ordinal()], totals[ActivityKind.COMMENTS.ordinal()],
        totals[ActivityKind.FEEDBACK.ordinal()], totals[ActivityKind.REACTIONS.ordinal()],
        totals[ActivityKind.ANSWERS.ordinal()]);
  }

  /** The distinct participants per talk (by talk id), from the stage's interaction log, read in pages. */
  private Future<Map<String, Set<String>>> participantsByTalk(Stage stage) {
    Map<String, Set<String>> byTalk = new HashMap<>();
    return readLog(stage.id(), 0, page -> {
      for (Interaction i : page) {
        Talk t = talkAt(stage, i.at());
        if (t != null) {
          byTalk.computeIfAbsent(t.id(), k -> new HashSet<>()).add(i.participantId());
        }
      }
    }).map(byTalk);
  }

  /** Hands the stage's log to {@code sink} page by page, in order. */
  Future<Void> readLog(String stageId, long offset, Consumer<List<Interaction>> sink) {
    return store.interactions(stageId, offset, LOG_PAGE).compose(page -> {
      sink.accept(page);
      return page.size() < LOG_PAGE ? Future.succeededFuture() : readLog(stageId, offset + page.size(), sink);
    });
  }
}
