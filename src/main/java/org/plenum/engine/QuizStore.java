package org.plenum.engine;

import io.vertx.core.Future;
import java.util.List;
import org.plenum.stage.Leaderboard;
import org.plenum.stage.Nickname;
import org.plenum.stage.Poll;
import org.plenum.stage.QuizScore;
import org.plenum.stage.Standing;

/**
 * Quiz answers and a stage's standings. An answer is a vote on a quiz question ({@link Poll#isQuiz})
 * with two more rules: one answer per participant, and scoring ({@link org.plenum.stage.QuizRules}) in
 * the same atomic step, from the engine's own clock (Redis's TIME, the memory engine's clock), so
 * a retried action id is never scored twice and every node scores alike.
 */
public interface QuizStore {

  /**
   * Applies and scores an answer in one atomic step: if the action id was already applied, nothing
   * changes ({@code duplicate}); else the poll must be open and before its deadline (refusals as
   * {@link PollStore#vote}: {@code unknown_poll}, {@code poll_not_open}, {@code poll_closed}), the
   * participant must not have answered it yet ({@code already_answered}); then the ballot is counted
   * as a vote and the points it earns are added to the participant's score on the stage. The Future
   * succeeds once durable. Announces RESULTS (the poll) and LEADERBOARD (the stage).
   *
   * @param quiz the question as the caller knows it: its key decides whether the answer is right
   */
  Future<VoteReceipt> answer(VoteAction action, Poll quiz);

  /** The top {@code limit} listed participants by points (ties by participant id, descending). */
  Future<Leaderboard> leaderboard(String stageId, int limit);

  /** One participant's own points, rank, nickname and points per question of {@code quizIds}. */
  Future<Standing> standing(String stageId, String participantId, List<String> quizIds);

  /**
   * Sets a participant's nickname on a stage (last write wins, durable before it succeeds); announces
   * LEADERBOARD. The caller has checked it ({@link Nickname#chosen}).
   */
  Future<Void> setNickname(String stageId, String participantId, Nickname nickname);

  /** Every participant who answered on the stage, best first (for exports). */
  Future<List<QuizScore>> quizScores(String stageId);
}
