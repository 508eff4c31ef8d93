package org.plenum.engine;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import org.plenum.stage.Event;
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;
import org.plenum.stage.Presence;
import org.plenum.stage.Stage;

/**
 * Where Plenum's state lives: the catalogue (events, stages, polls) and the aggregates (vote
 * counts, presence). Two implementations: {@code memory} (single node, journalled to a local file)
 * and {@code redis} (durable, shared by several nodes). Both pass the same contract tests.
 *
 * <p>Every method may be called from any Vert.x context; the returned Future completes on the
 * caller's context. A Future that fails with {@link org.plenum.protocol.PlenumException} carries
 * the code to show the client; any other failure means the engine is unavailable.
 *
 * <p>Every change is announced on the local event bus at {@link Change#ADDRESS} on every node of
 * the deployment (see {@link Change}), saying what changed, not how.
 */
public interface Engine {

  /** Connects / loads persisted state. The engine is usable once this succeeds. */
  Future<Void> start();

  /** Flushes whatever is pending and releases connections. */
  Future<Void> stop();

  /** False while the engine cannot durably apply writes (e.g. Redis unreachable). */
  boolean isReady();

  /** "memory" or "redis". */
  String name();

  /**
   * The secret participant tokens are signed with: generated once per deployment and kept by the
   * engine, so every node (and every restart) accepts the tokens of the others.
   */
  Future<byte[]> tokenSecret();

  // ---- catalogue -------------------------------------------------------------------------

  Future<Event> createEvent(Event event);

  Future<List<Event>> events();

  Future<Optional<Event>> event(String eventId);

  /**
   * Stores a new stage. Fails with {@link CodeTakenException} if its join code is already used by
   * another stage (the caller picks another code); the check and the write are one atomic step.
   */
  Future<Stage> createStage(Stage stage);

  Future<List<Stage>> stages(String eventId);

  Future<Optional<Stage>> stage(String stageId);

  /** Finds a stage by join code (upper case). */
  Future<Optional<Stage>> stageByCode(String code);

  /**
   * Creates or replaces a poll definition (its state and visibility included). Announces a
   * {@link Change.Kind#POLL} change. For the vote path, the poll's state written here is the one
   * {@link #vote} checks atomically.
   */
  Future<Poll> savePoll(Poll poll);

  /** The stage's polls in creation order. */
  Future<List<Poll>> polls(String stageId);

  Future<Optional<Poll>> poll(String stageId, String pollId);

  // ---- aggregates ------------------------------------------------------------------------

  /**
   * Applies a vote in one atomic step: if the action id was already applied for this participant
   * on this stage, nothing changes and the receipt says {@code duplicate}; otherwise, if the poll
   * is open, the participant's previous ballot (if any) is taken out of the counts, the new one
   * put in, the poll's results version incremented and the action id remembered (for
   * {@code actionIdTtlSeconds}). The Future succeeds only once the change is durable. Fails with
   * {@code poll_not_open} (nothing changed) if the poll is not open, {@code unknown_poll} if it
   * does not exist. Announces a {@link Change.Kind#RESULTS} change when applied.
   */
  Future<VoteReceipt> vote(VoteAction action);

  /** The poll's current counts (every choice key present) and version. */
  Future<PollResults> results(Poll poll);

  /**
   * Records how many sessions of each role one reporter (a node's event loop) has on a stage.
   * Reports expire after {@code ttlMillis} unless refreshed, so a crashed node's sessions vanish.
   * Announces a {@link Change.Kind#PRESENCE} change.
   */
  Future<Void> reportPresence(String reporterId, String stageId, Presence presence, long ttlMillis);

  /** The sum over all live reporters. */
  Future<Presence> presence(String stageId);
}
