package org.plenum.export;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.plenum.engine.CatalogueStore;
import org.plenum.engine.CloudStore;
import org.plenum.engine.Engine;
import org.plenum.engine.PollStore;
import org.plenum.engine.PostStore;
import org.plenum.engine.ReactionStore;
import org.plenum.engine.StatisticsStore;
import org.plenum.stage.CloudResults;
import org.plenum.stage.CloudWord;
import org.plenum.stage.Poll;
import org.plenum.stage.PollKind;
import org.plenum.stage.PollOption;
import org.plenum.stage.PollResults;
import org.plenum.stage.Post;
import org.plenum.stage.PostState;
import org.plenum.stage.PostView;
import org.plenum.stage.ReactionMinute;
import org.plenum.stage.Stage;
import org.plenum.stage.Talk;
import org.plenum.stage.WordCloud;

/**
 * Reads one table of one stage through the engine's read methods and turns it into rows (the
 * columns of {@link ExportTable}). One stage's table is one batch: the engine hands its lists
 * whole, so that is the unit of memory; the file itself is never held.
 */
final class ExportRows {
  /** Words per cloud in an export: far above what a live cloud shows, bounded all the same. */
  static final int MAX_WORDS = 100_000;

  private final CatalogueStore catalogue;
  private final PollStore pollStore;
  private final CloudStore cloudStore;
  private final PostStore postStore;
  private final ReactionStore reactionStore;
  private final StatisticsRows statistics;
  private final SurveyRows surveys;
  private final ExportScope scope;

  /** Reads only: the catalogue's definitions and the aggregate stores, each through its own interface. */
  ExportRows(CatalogueStore catalogue, PollStore polls, CloudStore clouds, PostStore posts, ReactionStore reactions,
             StatisticsStore statisticsStore, org.plenum.engine.SurveyStore surveyStore, ExportScope scope) {
    this.catalogue = catalogue;
    this.pollStore = polls;
    this.cloudStore = clouds;
    this.postStore = posts;
    this.reactionStore = reactions;
    this.scope = scope;
    this.statistics = new StatisticsRows(statisticsStore, scope, this::row);
    this.surveys = new SurveyRows(surveyStore, scope, this::row);
  }

  ExportRows(Engine engine, ExportScope scope) {
    this(engine, engine, engine, engine, engine, engine, engine, scope);
    this.quizStore = engine;
  }

  /** The quiz standings (null: none read). */
  private org.plenum.engine.QuizStore quizStore;

  /** One stage's rows of a table; in a talk's export only those attributed to the talk. */
  Future<List<Object[]>> rows(ExportTable table, Stage stage) {
    Future<List<Object[]>> all = switch (table) {
      case POLLS -> polls(stage);
      case WORDS -> words(stage);
      case POSTS -> posts(stage);
      case REACTIONS -> reactions(stage);
      case TIMELINE -> timeline(stage);
      case PRESENCE -> statistics.presence(stage);
      case ACTIVITY -> statistics.activity(stage);
      case SUMMARY -> statistics.summary(stage);
      case SCORES -> scores(stage);
      case SURVEY -> surveys.rows(stage);
    };
    if (scope.talkOnly() == null) {
      return all;
    }
    String talkId = scope.talkOnly().id();
    return all.map(rows -> rows.stream().filter(r -> talkId.equals(r[4])).toList());
  }

  /** Rows after every stage's: the event's own summary row in an event's export; none otherwise. */
  Future<List<Object[]>> closingRows(ExportTable table) {
    return table == ExportTable.SUMMARY && scope.isEvent() ? statistics.eventSummary() : Future.succeededFuture(List.of());
  }

  private Future<List<Object[]>> polls(Stage stage) {
    return catalogue.polls(stage.id()).compose(polls -> {
      List<Future<PollResults>> results = new ArrayList<>();
      polls.forEach(p -> results.add(pollStore.results(p)));
      boolean anyText = polls.stream().anyMatch(p -> p.kind() == PollKind.TEXT);
      Future<Map<String, Long>> answers = anyText ? postStore.posts(stage.id()).map(ExportRows::answersByPoll)
          : Future.succeededFuture(Map.of());
      return Future.all(results).compose(all -> answers.map(answered -> {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < polls.size(); i++) {
          Poll p = polls.get(i);
          if (p.kind() == PollKind.TEXT) {
            textPollRow(stage, p, answered.getOrDefault(p.id(), 0L), rows);
          } else {
            pollRows(stage, p, all.resultAt(i), rows);
          }
        }
        return rows;
      }));
    });
  }

  private void pollRows(Stage stage, Poll p, PollResults r, List<Object[]> rows) {
    Talk talk = talkAt(stage, p.openedAt() != null ? p.openedAt() : p.createdAt());
    if (r.ranking() != null) {
      rankingRows(stage, talk, p, r, rows);
      return;
    }
    for (String key : p.choiceKeys()) {
      long count = r.counts().getOrDefault(key, 0L);
      // share of the voters who chose it: with multiple choice the shares add up to more than 1
      Double share = r.voters() == 0 ? null : Math.round(count * 10_000.0 / r.voters()) / 10_000.0;
      rows.add(row(stage, talk, p.id(), p.question(), p.kind().wire(), p.state().name().toLowerCase(java.util.Locale.ROOT),
          p.openedAt(), p.closedAt(), r.voters(), key, label(p, key), count, share,
          p.kind() == PollKind.RATING ? r.mean() : null, null, null, p.quiz() == null ? null : p.quiz().correct().contains(key)));
    }
  }

  /** A ranking poll's rows: per option its Borda points, their share of the maximum, mean rank and distribution. */
  private void rankingRows(Stage stage, Talk talk, Poll p, PollResults r, List<Object[]> rows) {
    org.plenum.stage.BordaResults b = r.ranking();
    for (PollOption o : p.options()) {
      long points = b.points().getOrDefault(o.id(), 0L);
      Double share = b.maxPoints() == 0 ? null : Math.round(points * 10_000.0 / b.maxPoints()) / 10_000.0;
      StringBuilder positions = new StringBuilder();
      for (Long c : b.distribution().getOrDefault(o.id(), List.of())) {
        positions.append(positions.length() == 0 ? "" : "|").append(c);
      }
      rows.add(row(stage, talk, p.id(), p.question(), p.kind().wire(), p.state().name().toLowerCase(java.util.Locale.ROOT),
          p.openedAt(), p.closedAt(), r.voters(), o.id(), o.label(), points, share, b.meanRank().get(o.id()),
          points, positions.toString(), null));
    }
  }

  /** The answers (not deleted) per open-text poll: a text poll's one row counts them. */
  private static Map<String, Long> answersByPoll(List<PostView> views) {
    Map<String, Long> counts = new java.util.HashMap<>();
    for (PostView v : views) {
      Post p = v.post();
      if (p.pollId() != null && p.state() != PostState.DELETED) {
        counts.merge(p.pollId(), 1L, Long::sum);
      }
    }
    return counts;
  }

  /** An open-text poll has no options: one row, option key {@code answers}, counting its answers (they are in posts). */
  private void textPollRow(Stage stage, Poll p, long answers, List<Object[]> rows) {
    Talk talk = talkAt(stage, p.openedAt() != null ? p.openedAt() : p.createdAt());
    rows.add(row(stage, talk, p.id(), p.question(), p.kind().wire(), p.state().name().toLowerCase(java.util.Locale.ROOT),
        p.openedAt(), p.closedAt(), 0L, "answers", "answers", answers, null, null, null, null, null));
  }

  /** The stage's quiz standings (a talk's export has none: scores are the stage's, over all its questions). */
  private Future<List<Object[]>> scores(Stage stage) {
    if (scope.talkOnly() != null || quizStore == null) {
      return Future.succeededFuture(List.of());
    }
    return quizStore.quizScores(stage.id()).map(all -> {
      List<Object[]> rows = new ArrayList<>();
      for (org.plenum.stage.QuizScore s : all) {
        rows.add(row(stage, null, s.rank(), s.listed() ? s.nickname() : null, s.points(), s.correct()));
      }
      return rows;
    });
  }

  private static String label(Poll p, String key) {
    if (p.kind() == PollKind.RATING) {
      return key;
    }
    for (PollOption o : p.options()) {
      if (o.id().equals(key)) {
        return o.label();
      }
    }
    return key;
  }

  private Future<List<Object[]>> words(Stage stage) {
    return catalogue.clouds(stage.id()).compose(clouds -> {
      List<Future<CloudResults>> results = new ArrayList<>();
      clouds.forEach(c -> results.add(cloudStore.cloudResults(c, MAX_WORDS)));
      return Future.all(results).map(all -> {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < clouds.size(); i++) {
          WordCloud c = clouds.get(i);
          CloudResults r = all.resultAt(i);
          Talk talk = talkAt(stage, c.openedAt() != null ? c.openedAt() : c.createdAt());
          for (CloudWord w : r.words()) {
            rows.add(wordRow(stage, talk, c, r, w, false));
          }
          for (CloudWord w : r.hidden()) {
            rows.add(wordRow(stage, talk, c, r, w, true));
          }
        }
        return rows;
      });
    });
  }

  private Object[] wordRow(Stage stage, Talk talk, WordCloud c, CloudResults r, CloudWord w, boolean hidden) {
    return row(stage, talk, c.id(), c.prompt(), c.phase().name().toLowerCase(java.util.Locale.ROOT), r.contributors(),
        r.entries(), w.key(), w.text(), w.count(), hidden);
  }

  private Future<List<Object[]>> posts(Stage stage) {
    return postStore.posts(stage.id()).map(views -> {
      List<Object[]> rows = new ArrayList<>(views.size());
      for (PostView v : views) {
        Post p = v.post();
        if (p.state() == PostState.DELETED) {
          continue;
        }
        // the author's id is never exported; the display name is what the author chose to show
        rows.add(row(stage, talkAt(stage, p.createdAt()), p.id(), p.kind().wire(), p.createdAt(), p.displayName(),
            p.text(), p.originalText(), p.state().wire(), p.answered(), p.pinned(), v.upvotes(), p.reply(),
            p.pollId()));
      }
      return rows;
    });
  }

  private Future<List<Object[]>> reactions(Stage stage) {
    return reactionStore.reactionTotals(stage.id()).map(totals -> {
      List<Object[]> rows = new ArrayList<>();
      // a stage's totals span all its talks, so they name none
      totals.totals().entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
          .forEach(e -> rows.add(row(stage, null, e.getKey(), e.getValue())));
      return rows;
    });
  }

  private Future<List<Object[]>> timeline(Stage stage) {
    return reactionStore.reactionTimeline(stage.id()).map(minutes -> {
      List<Object[]> rows = new ArrayList<>();
      for (ReactionMinute m : minutes) {
        Talk talk = talkAt(stage, m.minute());
        m.counts().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> rows.add(row(stage, talk, m.minute(), e.getKey(), e.getValue())));
      }
      return rows;
    });
  }

  private Talk talkAt(Stage stage, java.time.Instant at) {
    return scope.programme(stage.id()).at(at);
  }

  /** A row: the context columns (the stage's, or none for {@code stage} null), then the table's own. */
  Object[] row(Stage stage, Talk talk, Object... own) {
    Object[] row = new Object[ExportTable.CONTEXT.size() + own.length];
    row[0] = scope.event().id();
    row[1] = scope.event().name();
    row[2] = stage == null ? null : stage.id();
    row[3] = stage == null ? null : stage.name();
    row[4] = talk == null ? null : talk.id();
    row[5] = talk == null ? null : talk.title();
    System.arraycopy(own, 0, row, ExportTable.CONTEXT.size(), own.length);
    return row;
  }
}
