package org.plenum.api;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.plenum.engine.Engine;
import org.plenum.stage.Poll;

/**
 * A moderator's removal of one participant's counted votes from a stage: every poll of the stage,
 * open or closed, loses that participant's ballot (each poll in its own atomic step on the engine;
 * {@link org.plenum.engine.PollStore#removeBallot}). Removing twice changes nothing the second time.
 *
 * <p>The interaction statistics (how many votes were cast per minute) are history and stay; only the
 * results change. Other per-participant tallies (a quiz's scores) belong here too when they exist:
 * {@link Removed} then grows a field for them.
 */
final class ParticipantVotes {
  private final Engine engine;

  ParticipantVotes(Engine engine) {
    this.engine = engine;
  }

  /** What a removal changed: the polls whose counts lost a ballot (in the stage's order). */
  record Removed(List<String> polls) {}

  Future<Removed> remove(String stageId, String participantId) {
    return engine.polls(stageId).compose(polls -> {
      List<Future<Boolean>> each = new ArrayList<>(polls.size());
      for (Poll p : polls) {
        each.add(engine.removeBallot(p, participantId));
      }
      return Future.all(each).map(all -> {
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < polls.size(); i++) {
          if (Boolean.TRUE.equals(all.resultAt(i))) {
            changed.add(polls.get(i).id());
          }
        }
        return new Removed(List.copyOf(changed));
      });
    });
  }
}
