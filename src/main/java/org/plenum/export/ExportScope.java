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

/**
 * What one export covers: an event and all its stages, or one stage; with each stage's programme,
 * read once before the first byte is written so that a missing event or stage is still a clean error.
 *
 * @param stageOnly the stage id when one stage is exported, else null
 */
public record ExportScope(Event event, List<Stage> stages, String stageOnly, Map<String, Programme> programmes,
                          Instant exportedAt) {

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

  Programme programme(String stageId) {
    return programmes.get(stageId);
  }
}
