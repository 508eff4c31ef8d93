package org.plenum.engine;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import org.plenum.stage.Event;
import org.plenum.stage.ModeratorAccess;
import org.plenum.stage.Poll;
import org.plenum.stage.Stage;
import org.plenum.stage.Talk;
import org.plenum.stage.WordCloud;

/**
 * The catalogue: events, their stages, the definitions of polls and word clouds, a stage's
 * programme of talks, the moderator accesses of an event, and the deployment's token secret. It
 * changes rarely (organisers and moderators), is read often (every join, every hub reload), and
 * holds no counts: those live in the aggregate stores ({@link PollStore}, {@link CloudStore},
 * {@link PostStore}, {@link ReactionStore}).
 *
 * <p>Each write is one atomic step, durable when its Future succeeds. Writes carry no action id:
 * they are whole replacements (saving the same definition twice leaves the same state), so a
 * retry is safe without deduplication. The calling conventions (context, failures) are
 * {@link Engine}'s.
 */
public interface CatalogueStore {

  /**
   * The secret participant tokens are signed with: generated once per deployment and kept by the
   * engine, so every node (and every restart) accepts the tokens of the others.
   */
  Future<byte[]> tokenSecret();

  // ---- events and stages -------------------------------------------------------------------

  /** Stores a new event. Announces nothing. */
  Future<Event> createEvent(Event event);

  Future<List<Event>> events();

  Future<Optional<Event>> event(String eventId);

  /**
   * Replaces an existing event's name and blocked words (its id and creation time never change;
   * the stored ones are kept). Fails with {@code unknown_event} if absent. Announces nothing.
   */
  Future<Event> updateEvent(Event event);

  /**
   * Stores a new stage. Fails with {@link CodeTakenException} if its join code is already used by
   * another stage (the caller picks another code); the check and the write are one atomic step.
   * Announces nothing.
   */
  Future<Stage> createStage(Stage stage);

  Future<List<Stage>> stages(String eventId);

  Future<Optional<Stage>> stage(String stageId);

  /** Finds a stage by join code (upper case). */
  Future<Optional<Stage>> stageByCode(String code);

  /**
   * Replaces an existing stage's name and settings (its id, event, join code and creation time
   * never change; the stored ones are kept, whatever {@code stage} carries). Fails with
   * {@code unknown_stage} if absent. Announces {@link Change.Kind#STAGE}.
   */
  Future<Stage> updateStage(Stage stage);

  // ---- poll and word-cloud definitions ----------------------------------------------------

  /**
   * Creates or replaces a poll definition (its state and visibility included). Announces a
   * {@link Change.Kind#POLL} change. For the vote path, the poll's state written here is the one
   * {@link PollStore#vote} checks atomically.
   */
  Future<Poll> savePoll(Poll poll);

  /**
   * Closes a poll because its timer ran out: if the poll is open and its deadline is still exactly
   * {@code closesAt}, it becomes closed (closed at the deadline itself, its timer cleared) and a
   * {@link Change.Kind#POLL} change is announced; the Future holds the closed poll. Otherwise
   * (already closed, reopened, its timer moved or cleared meanwhile, or no such poll) nothing
   * changes and the Future holds empty. The check and the write are one atomic step, so any number
   * of nodes' timers may try the same close: one closes it, the others change nothing.
   */
  Future<Optional<Poll>> closePollAtDeadline(String stageId, String pollId, java.time.Instant closesAt);

  /** The stage's polls in creation order. */
  Future<List<Poll>> polls(String stageId);

  Future<Optional<Poll>> poll(String stageId, String pollId);

  /**
   * Creates or replaces a cloud definition, like {@link #savePoll}; its phase is the one
   * {@link CloudStore#submitWord} checks atomically. Announces {@link Change.Kind#CLOUD}.
   */
  Future<WordCloud> saveCloud(WordCloud cloud);

  /** The stage's clouds in creation order. */
  Future<List<WordCloud>> clouds(String stageId);

  Future<Optional<WordCloud>> cloud(String stageId, String cloudId);

  // ---- talks (a stage's programme) ----------------------------------------------------------

  /**
   * Creates or replaces a talk (by its id, on its stage). Validation is the caller's. Durable when
   * the Future succeeds. Announces {@link Change.Kind#TALKS} (id null).
   */
  Future<Talk> saveTalk(Talk talk);

  /**
   * Deletes a talk. Fails with {@code unknown_talk} (nothing changed) if the stage has no such talk.
   * Announces {@link Change.Kind#TALKS} (id null) when deleted.
   */
  Future<Void> deleteTalk(String stageId, String talkId);

  /** The stage's talks in programme order ({@link Talk#ORDER}): by start, then title. */
  Future<List<Talk>> talks(String stageId);

  // ---- moderator access ---------------------------------------------------------------------

  /**
   * Stores a new moderator access (with its token's hash, never the token). Its token is accepted
   * by {@link #moderatorByTokenHash} on every node once the Future succeeds. Announces nothing.
   */
  Future<ModeratorAccess> saveModerator(ModeratorAccess access);

  /**
   * Deletes a moderator access of an event: once the Future succeeds, its token's hash is found on
   * no node. Fails with {@code unknown_moderator} (nothing changed) if the event has no such access.
   * Announces {@link Change.Kind#MODERATOR} (stage id = the event's id), so every node closes that
   * moderator's open sessions.
   */
  Future<Void> deleteModerator(String eventId, String moderatorId);

  /** The event's moderator accesses in creation order. */
  Future<List<ModeratorAccess>> moderators(String eventId);

  /** The moderator access whose token has this hash (lower-case hex SHA-256), if it exists. */
  Future<Optional<ModeratorAccess>> moderatorByTokenHash(String tokenHash);

  // ---- organiser control: deletion, reset, order ---------------------------------------------

  /**
   * Deletes a poll with its counts and ballots. Fails with {@code unknown_poll} (nothing changed) if
   * the stage has no such poll. Announces {@link Change.Kind#POLL_DELETED}.
   */
  Future<Void> deletePoll(String stageId, String pollId);

  /** Deletes a word cloud with all its entries, like {@link #deletePoll}. Announces {@link Change.Kind#CLOUD_DELETED}. */
  Future<Void> deleteCloud(String stageId, String cloudId);

  /**
   * Deletes a stage and everything on it (polls, clouds, posts, reactions, talks, counts, action
   * ids): once the Future succeeds none of it is found, and none of it is left in the store (the
   * memory engine has compacted its files, Redis has no key of the stage). Fails with
   * {@code unknown_stage} if absent. Announces {@link Change.Kind#STAGE_DELETED}.
   */
  Future<Void> deleteStage(String stageId);

  /**
   * Deletes an event, each of its stages as {@link #deleteStage} does, and its moderator accesses
   * (their tokens are refused from then on). Fails with {@code unknown_event} if absent. Announces
   * {@link Change.Kind#STAGE_DELETED} for each stage.
   */
  Future<Void> deleteEvent(String eventId);

  /**
   * "Test mode" reset after a rehearsal: clears every interaction of the stage (votes, cloud
   * entries, posts with their upvotes, reactions, remembered action ids) and puts every poll and
   * cloud back to draft (results visibility and the rest of their definitions kept; opened and
   * closed times cleared). Talks, settings and the stage itself stay. Every aggregate's version
   * keeps growing (a client never sees a version go back). Fails with {@code unknown_stage}.
   * Announces {@link Change.Kind#STAGE_RESET}.
   */
  Future<Void> resetStage(String stageId);

  /**
   * Puts the stage's polls in the given order (what {@link #polls} lists from then on). Fails with
   * {@code invalid_field} (nothing changed) unless {@code pollIds} is exactly a permutation of the
   * stage's poll ids, {@code unknown_stage} if absent. Announces {@link Change.Kind#ORDER}.
   */
  Future<Void> reorderPolls(String stageId, List<String> pollIds);

  /** Like {@link #reorderPolls}, for the stage's clouds. */
  Future<Void> reorderClouds(String stageId, List<String> cloudIds);

  /** Like {@link #reorderPolls}, for the event's stages ({@link #stages} order); {@code unknown_event}. Announces nothing. */
  Future<Void> reorderStages(String eventId, List<String> stageIds);

  /**
   * Finishes deletions a crash or an in-flight write left half done (a deleted stage's data still
   * stored, written after its deletion): afterwards nothing of a deleted stage is stored. Called by
   * the retention sweeper; cheap when there is nothing to do. Completes with how many stages it
   * cleaned up.
   */
  Future<Integer> finishDeletions();
}
