package org.plenum.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

import org.plenum.stage.Leaderboard;
import org.plenum.stage.Poll;
import org.plenum.stage.Standing;

/** The wire form of a stage's quiz leaderboard and of a participant's own result. */
public final class QuizWire {
  private QuizWire() {}

  /**
   * The {@code leaderboard} push: the top listed nicknames; {@code scored} counts every answer scored
   * on the stage so far (it only grows, until a reset), so a client can tell what a board includes.
   */
  public static JsonObject leaderboard(String stageId, Leaderboard board) {
    JsonArray entries = new JsonArray();
    for (Leaderboard.Entry e : board.entries()) {
      entries.add(new JsonObject().put("rank", e.rank()).put("nickname", e.nickname()).put("points", e.points())
          .put("correct", e.correct()));
    }
    return new JsonObject().put("type", "leaderboard").put("stageId", stageId).put("scored", board.scored())
        .put("participants", board.participants()).put("entries", entries);
  }

  /**
   * The {@code standing} reply: nothing in it depends on an answer to a question whose results are
   * not revealed yet, so it never tells a participant whether an unrevealed answer was right.
   * {@code points} and {@code correct} sum the revealed answers; {@code rank} is given only while
   * none of the participant's answers waits for its reveal ({@code pending} counts those), else null.
   *
   * @param quizzes the stage's quiz questions (the reveal of each decides what is shown)
   */
  public static JsonObject standing(String id, String stageId, Standing s, List<Poll> quizzes) {
    JsonArray answers = new JsonArray();
    long points = 0;
    long correct = 0;
    int pending = 0;
    for (Poll q : quizzes) {
      Long earned = s.answers().get(q.id());
      if (earned == null) {
        continue;
      }
      if (!q.resultsVisible()) {
        pending++;
        continue;
      }
      points += earned;
      correct += earned > 0 ? 1 : 0; // a correct answer earns at least one point
      answers.add(new JsonObject().put("pollId", q.id()).put("points", earned).put("correct", earned > 0));
    }
    return new JsonObject().put("type", "standing").put("id", id).put("stageId", stageId)
        .put("nickname", s.nickname()).put("listed", s.listed()).put("points", points).put("correct", correct)
        .put("rank", pending == 0 && s.rank() > 0 ? s.rank() : null).put("participants", s.participants())
        .put("pending", pending).put("answers", answers);
  }

}
