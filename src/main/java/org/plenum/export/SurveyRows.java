package org.plenum.export;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.plenum.engine.SurveyStore;
import org.plenum.stage.PollOption;
import org.plenum.stage.PollResults;
import org.plenum.stage.Stage;
import org.plenum.stage.Survey;
import org.plenum.stage.SurveyQuestion;
import org.plenum.stage.SurveyResults;
import org.plenum.stage.Talk;

/**
 * The {@code survey} table (issue 12): a stage's talk surveys, read through {@link SurveyStore},
 * as one row per rating value or choice option of each question and one row per open-text answer.
 * Each row names the survey's own talk (not the one running at some instant), so a talk's export
 * holds exactly its survey. The texts are the moderators' results: who wrote them is never exported.
 */
final class SurveyRows {
  private final SurveyStore store;
  private final ExportScope scope;
  private final StatisticsRows.RowMaker rows;

  SurveyRows(SurveyStore store, ExportScope scope, StatisticsRows.RowMaker rows) {
    this.store = store;
    this.scope = scope;
    this.rows = rows;
  }

  Future<List<Object[]>> rows(Stage stage) {
    return store.surveys(stage.id()).compose(surveys -> {
      List<Future<SurveyResults>> results = new ArrayList<>();
      surveys.forEach(s -> results.add(store.surveyResults(s)));
      return Future.all(results).map(all -> {
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < surveys.size(); i++) {
          surveyRows(stage, surveys.get(i), all.resultAt(i), out);
        }
        return out;
      });
    });
  }

  private void surveyRows(Stage stage, Survey s, SurveyResults r, List<Object[]> out) {
    Talk talk = talk(stage, s.talkId());
    String state = s.state().name().toLowerCase(Locale.ROOT);
    for (SurveyQuestion q : s.questions()) {
      SurveyResults.QuestionResult qr = r.questions().stream().filter(x -> x.questionId().equals(q.id())).findFirst().orElse(null);
      long answered = qr == null ? 0 : qr.answered();
      if (q.kind() == SurveyQuestion.Kind.TEXT) {
        List<String> texts = qr == null || qr.texts() == null ? List.of() : qr.texts();
        for (String text : texts) {
          out.add(rows.row(stage, talk, q.id(), q.text(), q.kind().wire(), state, r.respondents(), answered,
              null, null, null, null, null, text));
        }
        continue;
      }
      PollResults d = qr == null ? null : qr.distribution();
      for (String key : q.rules().choiceKeys()) {
        long count = d == null ? 0 : d.counts().getOrDefault(key, 0L);
        // share of those who answered the question: with multiple choice the shares add up to more than 1
        Double share = answered == 0 ? null : Math.round(count * 10_000.0 / answered) / 10_000.0;
        Double mean = q.kind() == SurveyQuestion.Kind.RATING && d != null ? d.mean() : null;
        out.add(rows.row(stage, talk, q.id(), q.text(), q.kind().wire(), state, r.respondents(), answered,
            key, label(q, key), count, share, mean, null));
      }
    }
  }

  private static String label(SurveyQuestion q, String key) {
    for (PollOption o : q.rules().options()) {
      if (o.id().equals(key)) {
        return o.label();
      }
    }
    return key;
  }

  private Talk talk(Stage stage, String talkId) {
    Programme programme = scope.programme(stage.id());
    if (programme != null) {
      for (Talk t : programme.talks()) {
        if (t.id().equals(talkId)) {
          return t;
        }
      }
    }
    return null;
  }
}
