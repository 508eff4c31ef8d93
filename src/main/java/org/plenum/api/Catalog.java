package org.plenum.api;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.plenum.engine.CodeTakenException;
import org.plenum.engine.Engine;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.stage.Event;
import org.plenum.stage.Ids;
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;
import org.plenum.stage.PollSpec;
import org.plenum.stage.Stage;

/**
 * What organisers and moderators do to the catalogue (events, stages, polls), on top of the
 * engine: validation, ids, unique join codes, poll lifecycle. Used by the REST API and the demo.
 */
public final class Catalog {
  public static final int MAX_NAME = 120;
  private static final int CODE_ATTEMPTS = 20;

  private final Engine engine;

  public Catalog(Engine engine) {
    this.engine = engine;
  }

  public Engine engine() {
    return engine;
  }

  public Future<Event> createEvent(String name) {
    return engine.createEvent(new Event(Ids.newId("ev"), checkName(name), Instant.now()));
  }

  public Future<Stage> createStage(String eventId, String name) {
    String checked = checkName(name);
    return event(eventId).compose(event -> createStage(event, checked, 0));
  }

  private Future<Stage> createStage(Event event, String name, int attempt) {
    Stage stage = new Stage(Ids.newId("st"), event.id(), name, Ids.newJoinCode(), Instant.now());
    return engine.createStage(stage).recover(err -> err instanceof CodeTakenException && attempt < CODE_ATTEMPTS
        ? createStage(event, name, attempt + 1)
        : Future.failedFuture(err));
  }

  public Future<Poll> createPoll(String stageId, PollSpec spec) {
    return stage(stageId).compose(stage -> engine.savePoll(spec.toPoll(Ids.newId("pl"), stage.id(), Instant.now())));
  }

  public Future<Event> event(String eventId) {
    return orNotFound(Ids.isSafeId(eventId) ? engine.event(eventId) : Future.succeededFuture(Optional.empty()),
        ErrorCode.UNKNOWN_EVENT, "No event " + eventId + ".");
  }

  public Future<Stage> stage(String stageId) {
    return orNotFound(Ids.isSafeId(stageId) ? engine.stage(stageId) : Future.succeededFuture(Optional.empty()),
        ErrorCode.UNKNOWN_STAGE, "No stage " + stageId + ".");
  }

  public Future<Stage> stageByCode(String code) {
    String normal = code == null ? "" : code.strip().toUpperCase(java.util.Locale.ROOT);
    return orNotFound(engine.stageByCode(normal), ErrorCode.UNKNOWN_STAGE, "No stage with join code " + normal + ".");
  }

  public Future<Poll> poll(String stageId, String pollId) {
    return stage(stageId).compose(stage -> orNotFound(
        Ids.isSafeId(pollId) ? engine.poll(stageId, pollId) : Future.succeededFuture(Optional.empty()),
        ErrorCode.UNKNOWN_POLL, "No poll " + pollId + " on stage " + stageId + "."));
  }

  public Future<List<Poll>> polls(String stageId) {
    return stage(stageId).compose(stage -> engine.polls(stage.id()));
  }

  public Future<PollResults> results(Poll poll) {
    return engine.results(poll);
  }

  /** Applies a lifecycle step (open, close, reveal, hide); a step that changes nothing writes nothing. */
  public Future<Poll> change(String stageId, String pollId, UnaryOperator<Poll> step) {
    return poll(stageId, pollId).compose(poll -> {
      Poll next = step.apply(poll);
      return next.equals(poll) ? Future.succeededFuture(poll) : engine.savePoll(next);
    });
  }

  private static String checkName(String name) {
    String n = name == null ? "" : name.strip();
    if (n.isEmpty() || n.length() > MAX_NAME) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "name: 1-" + MAX_NAME + " characters");
    }
    return n;
  }

  private static <T> Future<T> orNotFound(Future<Optional<T>> found, ErrorCode code, String message) {
    return found.compose(o -> o.<Future<T>>map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new PlenumException(code, message))));
  }
}
