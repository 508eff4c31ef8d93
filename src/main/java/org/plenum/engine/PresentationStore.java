package org.plenum.engine;

import io.vertx.core.Future;
import org.plenum.stage.Presentation;

/**
 * What each stage's hall screen and overlay show ("present this"): one small value per stage,
 * live state rather than configuration, so it is kept apart from the stage document (a moderator
 * switching the screen never races an organiser renaming the stage).
 */
public interface PresentationStore {

  /**
   * Makes {@code presentation} the stage's current one (last writer wins: it is a moderator's
   * live choice) and announces {@link Change.Kind#PRESENTATION}. The caller has checked that the
   * stage and the target exist; refused with {@code unknown_stage} if the stage is gone.
   */
  Future<Presentation> present(String stageId, Presentation presentation);

  /** The stage's current presentation; {@link Presentation#AUTO} if none was chosen. */
  Future<Presentation> presentation(String stageId);
}
