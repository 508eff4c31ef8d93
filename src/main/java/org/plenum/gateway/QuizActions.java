package org.plenum.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.plenum.engine.Engine;
import org.plenum.hub.StageRoom;
import org.plenum.protocol.ClientMessage;
import org.plenum.protocol.QuizWire;
import org.plenum.protocol.ServerMessages;
import org.plenum.stage.Nickname;
import org.plenum.stage.Poll;
import org.plenum.stage.TextShape;

/** The viewer's quiz messages besides answering (a {@code vote} on a quiz question): {@code nickname} and {@code standing}. */
final class QuizActions {
  private final Engine engine;
  private final StageActions actions;
  private final ActionLimits limits;

  QuizActions(Engine engine, StageActions actions, NodeLimits nodeLimits) {
    this.engine = engine;
    this.actions = actions;
    this.limits = nodeLimits.actions;
  }

  /**
   * Sets the viewer's nickname on their stage: checked ({@link Nickname#chosen}: length, control and
   * format characters, the event's blocklist) before anything is stored; without {@code nickname}
   * the generated one is kept (to opt out or back in). Idempotent: a retry sets the same again.
   * Limited like posts (it is text others read).
   */
  Future<JsonObject> nickname(ClientSession session, ClientMessage.Nickname message) {
    StageRoom room = actions.requireViewer(session, "choose a nickname");
    TextShape.check(message.nickname(), "nickname", 4 * Nickname.MAX_LENGTH);
    String participantId = session.participantId;
    Nickname nickname = message.nickname() == null
        ? new Nickname(Nickname.generated(participantId), message.listed())
        : Nickname.chosen(message.nickname(), message.listed(), room.blocklist());
    limits.acquire(participantId, message.id(), ActionLimits.Kind.POST, System.nanoTime());
    return engine.setNickname(room.stage().id(), participantId, nickname).map(v -> {
      limits.applied(participantId, message.id());
      return ServerMessages.ack(message.id(), false).put("nickname", nickname.name()).put("listed", nickname.listed());
    });
  }

  /** The viewer's own result on their stage ({@link QuizWire#standing}: nothing of unrevealed answers). */
  Future<JsonObject> standing(ClientSession session, ClientMessage.Standing message) {
    StageRoom room = actions.requireViewer(session, "ask for your quiz result");
    List<Poll> quizzes = room.quizzes();
    String stageId = room.stage().id();
    return engine.standing(stageId, session.participantId, quizzes.stream().map(Poll::id).toList())
        .map(s -> QuizWire.standing(message.id(), stageId, s, quizzes));
  }
}
