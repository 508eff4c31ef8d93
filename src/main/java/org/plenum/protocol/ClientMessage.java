package org.plenum.protocol;

import java.util.List;

/** Everything a client may send over the WebSocket, already validated for shape. */
public sealed interface ClientMessage {

  /** The client action id, or null where the message type allows none (ping). */
  String id();

  /**
   * Enter a stage by id or join code; {@code source} says which link the viewer came by;
   * {@code passcode} is the event's, where it is closed (null if none was given).
   */
  record Join(String id, String stageId, String code, Role role, String auth, String token,
              org.plenum.stage.JoinSource source, String passcode) implements ClientMessage {
    public Join(String id, String stageId, String code, Role role, String auth, String token) {
      this(id, stageId, code, role, auth, token, org.plenum.stage.JoinSource.OTHER, null);
    }

    public Join(String id, String stageId, String code, Role role, String auth, String token,
                org.plenum.stage.JoinSource source) {
      this(id, stageId, code, role, auth, token, source, null);
    }
  }

  /** Vote in a poll: {@code choices} for choice polls, {@code rating} for rating polls. */
  record Vote(String id, String pollId, List<String> choices, Integer rating) implements ClientMessage {}

  /** Submit an entry to an open word cloud. */
  record Word(String id, String cloudId, String text) implements ClientMessage {}

  /** Ask a question, or post a comment or feedback; {@code name} null means anonymous. */
  record Post(String id, String kind, String text, String name) implements ClientMessage {}

  /** Upvote a question ({@code up}) or withdraw the upvote. */
  record Upvote(String id, String postId, boolean up) implements ClientMessage {}

  /** The author deletes their own post while it is unanswered. */
  record Delete(String id, String postId) implements ClientMessage {}

  /** A response to the feedback survey of talk {@code talkId} of the viewer's stage, answers by question id. */
  record SurveyAnswers(String id, String talkId, java.util.Map<String, org.plenum.stage.Survey.Answer> answers)
      implements ClientMessage {}

  /** Send a reaction from the stage's reaction set. */
  record React(String id, String emoji) implements ClientMessage {}

  /**
   * A page of a joined stage's older posts: those created before post {@code before} (the
   * {@code postsCursor} of {@code joined} or of the previous page), newest {@code limit} of them.
   */
  record Posts(String id, String stageId, String before, Integer limit) implements ClientMessage {}

  record Ping(String id) implements ClientMessage {}

  /** A written answer to an open-text poll (a poll of kind text); {@code name} null means anonymous. */
  record Answer(String id, String pollId, String text, String name) implements ClientMessage {}

  /** Choose a nickname for the stage's quiz leaderboard ({@code nickname} null: keep a generated one); {@code listed} false opts out. */
  record Nickname(String id, String nickname, boolean listed) implements ClientMessage {}

  /** Ask for one's own quiz result on the joined stage (answered with {@code standing}). */
  record Standing(String id) implements ClientMessage {}
}
