package org.plenum.engine;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plenum.stage.Survey;
import org.plenum.stage.SurveyTally;

/**
 * The memory engine's surveys: definitions and tallies by stage and talk, with the journal and
 * snapshot records that keep them. Owned by the engine's context like the rest of its state;
 * {@link MemoryEngine} calls it in its atomic steps and replays its records.
 */
final class MemorySurveys {
  /** One talk's survey with its tally and the sequence number of the last response it holds. */
  static final class Entry {
    Survey survey;
    SurveyTally tally = new SurveyTally();
    long lsn;

    Entry(Survey survey) {
      this.survey = survey;
    }
  }

  private final Map<String, Map<String, Entry>> byStage = new HashMap<>();

  Entry get(String stageId, String talkId) {
    return byStage.getOrDefault(stageId, Map.of()).get(talkId);
  }

  List<Survey> surveys(String stageId) {
    List<Survey> out = new ArrayList<>();
    byStage.getOrDefault(stageId, Map.of()).values().forEach(e -> out.add(e.survey));
    return out;
  }

  /** Puts a definition, keeping the tally of an existing survey. */
  void put(Survey survey) {
    Entry e = byStage.computeIfAbsent(survey.stageId(), k -> new LinkedHashMap<>()).get(survey.talkId());
    if (e == null) {
      byStage.get(survey.stageId()).put(survey.talkId(), new Entry(survey));
    } else {
      e.survey = survey;
    }
  }

  void dropTalk(String stageId, String talkId) {
    Map<String, Entry> m = byStage.get(stageId);
    if (m != null) {
      m.remove(talkId);
    }
  }

  void clear() {
    byStage.clear();
  }

  void dropStage(String stageId) {
    byStage.remove(stageId);
  }

  /** A reset (after a rehearsal): every survey of the stage back to draft, its responses gone, versions kept growing. */
  void reset(String stageId, long lsn, boolean replaying) {
    for (Entry e : byStage.getOrDefault(stageId, Map.of()).values()) {
      e.survey = new Survey(e.survey.stageId(), e.survey.talkId(), e.survey.questions(),
          org.plenum.stage.Phase.DRAFT, e.survey.createdAt(), null, null);
      if (!replaying || lsn > e.lsn) {
        long v = e.tally.version();
        e.tally = new SurveyTally();
        e.tally.version(v + 1);
        e.lsn = lsn;
      }
    }
  }

  static JsonObject definitionRecord(Survey survey) {
    return new JsonObject().put("op", "survey").put("survey", StoredForm.survey(survey));
  }

  static JsonObject responseRecord(SurveyAction a, long now) {
    return new JsonObject().put("op", "survey-response").put("stage", a.stageId()).put("talk", a.talkId())
        .put("p", a.participantId()).put("a", a.actionId()).put("k", a.response().keys().encode())
        .put("x", new JsonObject(new HashMap<>(a.response().texts()))).put("t", now);
  }

  /** Replays a journalled response, unless the snapshot's tally already holds it. */
  void replayResponse(JsonObject r, long lsn) {
    Entry e = get(r.getString("stage"), r.getString("talk"));
    if (e == null || lsn <= e.lsn) {
      return;
    }
    long v = e.tally.version();
    e.tally.restore(r.getString("p"), r.getString("k"), texts(r.getJsonObject("x")));
    e.tally.version(v + 1);
    e.lsn = lsn;
  }

  /** The snapshot lines: one per survey, its definition, tally and last sequence number. */
  void snapshot(java.util.function.BiConsumer<JsonObject, Integer> add) {
    byStage.values().forEach(m -> m.values().forEach(e -> {
      JsonObject responses = new JsonObject();
      e.tally.responses().forEach(responses::put);
      JsonObject texts = new JsonObject();
      e.tally.texts().forEach((p, answers) -> texts.put(p, new JsonObject(new HashMap<>(answers))));
      add.accept(new JsonObject().put("op", "s-survey").put("survey", StoredForm.survey(e.survey))
          .put("v", e.tally.version()).put("lsn", e.lsn).put("r", responses).put("x", texts), responses.size() + 1);
    }));
  }

  void restoreSnapshotLine(JsonObject r) {
    Survey survey = StoredForm.survey(r.getJsonObject("survey"));
    put(survey);
    Entry e = get(survey.stageId(), survey.talkId());
    e.tally = new SurveyTally();
    JsonObject texts = r.getJsonObject("x", new JsonObject());
    r.getJsonObject("r", new JsonObject()).forEach(p -> e.tally.restore(p.getKey(), (String) p.getValue(),
        texts(texts.getJsonObject(p.getKey()))));
    e.tally.version(r.getLong("v"));
    e.lsn = r.getLong("lsn");
  }

  private static Map<String, String> texts(JsonObject j) {
    Map<String, String> out = new LinkedHashMap<>();
    if (j != null) {
      j.forEach(t -> out.put(t.getKey(), (String) t.getValue()));
    }
    return out;
  }
}
