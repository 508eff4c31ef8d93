package org.plenum.export;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.plenum.engine.CatalogueStore;
import org.plenum.stage.Event;
import org.plenum.stage.Stage;
import org.plenum.stage.Talk;

/**
 * What one export covers: an event and all its stages, one stage, or one talk of a stage; with each
 * stage's programme, read once before the first byte is written so that a missing event, stage or talk
 * is still a clean error.
 *
 * @param stageOnly the stage id when one stage (or one of its talks) is exported, else null
 * @param talkOnly  the talk when one talk is exported (rows attributed to another talk, or to none, are
 *                  left out), else null
 */
public record ExportScope(Event event, List<Stage> stages, String stageOnly, Map<String, Programme> programmes,
                          Instant exportedAt, Talk talkOnly) {

  public ExportScope(Event event, List<Stage> stages, String stageOnly, Map<String, Programme> programmes,
                     Instant exportedAt) {
    this(event, stages, stageOnly, programmes, exportedAt, null);
  }

  public static Future<ExportScope> of(CatalogueStore engine, Event event, List<Stage> stages, String stageOnly, Instant now) {
    List<Future<Programme>> talks = new ArrayList<>();
    for (Stage s : stages) {
      talks.add(engine.talks(s.id()).map(Programme::new));
    }
    return Future.all(talks).map(all -> {
      Map<String, Programme> byStage = new HashMap<>();
      for (int i = 0; i < stages.size(); i++) {
        byStage.put(stages.get(i).id(), all.resultAt(i));
      }
      return new ExportScope(event, List.copyOf(stages), stageOnly, byStage, now);
    });
  }

  /** The same scope narrowed to one talk of its (single) stage. */
  public ExportScope ofTalk(Talk talk) {
    return new ExportScope(event, stages, stageOnly, programmes, exportedAt, talk);
  }

  /** An event's export (not narrowed to one stage or talk). */
  boolean isEvent() {
    return stageOnly == null;
  }

  /** Whether a row attributed to {@code talk} (null: to none) belongs in this export. */
  boolean covers(Talk talk) {
    return talkOnly == null || (talk != null && talk.id().equals(talkOnly.id()));
  }

  Programme programme(String stageId) {
    return programmes.get(stageId);
  }
}
