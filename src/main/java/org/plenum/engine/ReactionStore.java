package org.plenum.engine;

import io.vertx.core.Future;
import java.util.List;
import org.plenum.stage.ReactionMinute;
import org.plenum.stage.ReactionTotals;

/**
 * A stage's reactions, counted, not stored one by one: a total per emoji and a count per emoji per
 * minute ({@link org.plenum.stage.ReactionTally}).
 */
public interface ReactionStore {

  /**
   * Counts one reaction in one atomic step with its action id (a retry answers
   * {@code duplicate}): the stage's total for the emoji and the count of the action's minute
   * grow by one, and the stage's reaction version. Announces {@link Change.Kind#REACTIONS}.
   */
  Future<VoteReceipt> react(ReactionAction action);

  Future<ReactionTotals> reactionTotals(String stageId);

  /** Per-minute counts in time order, minutes without reactions left out. */
  Future<List<ReactionMinute>> reactionTimeline(String stageId);
}
