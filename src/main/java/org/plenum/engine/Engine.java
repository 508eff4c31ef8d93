package org.plenum.engine;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.plenum.stage.CloudResults;
import org.plenum.stage.Event;
import org.plenum.stage.Post;
import org.plenum.stage.PostView;
import org.plenum.stage.ReactionMinute;
import org.plenum.stage.ReactionTotals;
import org.plenum.stage.WordCloud;
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;
import org.plenum.stage.Presence;
import org.plenum.stage.Stage;

/**
 * Where Plenum's state lives: the catalogue (events, stages, polls, word clouds) and the aggregates
 * (vote counts, word-cloud entries, posts and their upvotes, reactions, presence). Two
 * implementations: {@code memory} (single node, journalled to a local file) and {@code redis}
 * (durable, shared by several nodes). Both pass the same contract tests.
 *
 * <p>Every method may be called from any Vert.x context; the returned Future completes on the
 * caller's context. A Future that fails with {@link org.plenum.protocol.PlenumException} carries
 * the code to show the client; any other failure means the engine is unavailable and nothing was
 * changed. {@link org.plenum.protocol.ErrorCode#OUTCOME_UNKNOWN} means the engine cannot tell
 * whether a write was applied (a store's reply timed out): retrying it under the same action id is
 * safe, and its change has been announced in case it was applied.
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

  // ---- catalogue updates ----------------------------------------------------------------

  /**
   * Replaces an existing event's name and blocked words (its id and creation time never change;
   * the stored ones are kept). Fails with {@code unknown_event} if absent. Announces nothing.
   */
  Future<Event> updateEvent(Event event);

  /**
   * Replaces an existing stage's name and settings (its id, event, join code and creation time
   * never change; the stored ones are kept, whatever {@code stage} carries). Fails with
   * {@code unknown_stage} if absent. Announces {@link Change.Kind#STAGE}.
   */
  Future<Stage> updateStage(Stage stage);

  // ---- word clouds -----------------------------------------------------------------------

  /** Creates or replaces a cloud definition, like {@link #savePoll}. Announces {@link Change.Kind#CLOUD}. */
  Future<WordCloud> saveCloud(WordCloud cloud);

  /** The stage's clouds in creation order. */
  Future<List<WordCloud>> clouds(String stageId);

  Future<Optional<WordCloud>> cloud(String stageId, String cloudId);

  /**
   * Applies a word-cloud entry in one atomic step: a retried action id (per participant per stage)
   * changes nothing and answers {@code duplicate}; otherwise the cloud must be open
   * ({@code cloud_not_open}, {@code unknown_cloud}); the key is resolved through earlier merges;
   * a participant who already has that key is refused ({@code already_submitted}), one who has
   * {@code maxEntries} entries too ({@code too_many_entries}); then the participant joins the key's
   * contributors, the spelling's tally for the key grows by one (not when the key typed was merged
   * away: the target keeps its own spelling), the cloud's version grows, and the action id is
   * remembered. A refused entry leaves no trace, its action id included. Durable when the Future
   * succeeds. Announces {@link Change.Kind#CLOUD_RESULTS}. The receipt's version is the cloud's new
   * version.
   */
  Future<VoteReceipt> submitWord(WordAction action);

  /**
   * The cloud's top {@code top} visible words by count (ties: by key in Unicode code-point order,
   * which is the bytewise order of UTF-8), each shown with its most frequent spelling (ties: the
   * first in code-point order), and every hidden word (for moderators, in the same order), with
   * counts of contributors and entries. A word's count is the number of distinct participants who submitted it (or a word
   * merged into it).
   */
  Future<CloudResults> cloudResults(WordCloud cloud, int top);

  /**
   * Hides or shows a word: a hidden word keeps its count (for audit) but is left out of
   * {@link CloudResults#words()}. Fails with {@code unknown_cloud} if the cloud does not exist,
   * {@code unknown_word} if nobody submitted the key (a merged-away key included).
   * Grows the version; announces {@link Change.Kind#CLOUD_RESULTS}.
   */
  Future<Void> hideWord(String stageId, String cloudId, String key, boolean hidden);

  /**
   * Merges word {@code fromKey} into {@code intoKey}: the contributors of both become the
   * contributors of {@code intoKey} (a participant who submitted both counts once), {@code fromKey}
   * disappears, and later submissions of {@code fromKey} count for {@code intoKey}. The display
   * spelling stays {@code intoKey}'s own. A participant who submitted both now holds one entry
   * (and may submit another); {@link CloudResults#entries()} still counts both. A hidden
   * {@code fromKey} is no longer listed as hidden. Fails with {@code invalid_field} if the keys are
   * equal, {@code unknown_cloud} if the cloud does not exist, {@code unknown_word} if either key has
   * no contributors. Grows the version; announces {@link Change.Kind#CLOUD_RESULTS}.
   */
  Future<Void> mergeWords(String stageId, String cloudId, String fromKey, String intoKey);

  /**
   * The keys this participant currently holds in the cloud (merges applied), so a returning
   * viewer sees how many of the cloud's entries they have used.
   */
  Future<Set<String>> wordsOf(String stageId, String cloudId, String participantId);

  // ---- questions, comments, feedback -----------------------------------------------------

  /**
   * Stores a new post in one atomic step with its action id: a retried action id stores nothing
   * and the receipt names the post created the first time ({@code duplicate}; null if the action id
   * was used for another kind of action). The new post's version is 1. Announces
   * {@link Change.Kind#POST}.
   */
  Future<PostReceipt> submitPost(PostAction action);

  Future<Optional<PostView>> post(String stageId, String postId);

  /** The stage's posts in creation order, deleted tombstones included. */
  Future<List<PostView>> posts(String stageId);

  /**
   * Replaces a post if it is still at {@code expected.revision()} (compare-and-set), else fails
   * with {@link ConcurrentUpdateException} and changes nothing; {@code next.revision()} must be
   * {@code expected.revision() + 1} (and of the same post), else the Future fails with
   * {@link IllegalArgumentException}. Fails with {@code unknown_post} if the post does not exist.
   * Grows the post's version. Announces {@link Change.Kind#POST}.
   */
  Future<PostView> updatePost(Post expected, Post next);

  /**
   * Adds ({@code up}) or withdraws the participant's upvote of a post in one atomic step with
   * the action id (a retry answers {@code duplicate}). Adding twice or withdrawing an absent
   * upvote changes nothing but is not an error. Fails with {@code unknown_post} if the post does
   * not exist. Grows the post's version and announces {@link Change.Kind#POST} when the set changed.
   * The receipt's version is the post's.
   */
  Future<VoteReceipt> upvote(UpvoteAction action);

  /** The ids of the stage's posts this participant currently upvotes. */
  Future<Set<String>> upvotedBy(String stageId, String participantId);

  // ---- reactions -------------------------------------------------------------------------

  /**
   * Counts one reaction in one atomic step with its action id (a retry answers
   * {@code duplicate}): the stage's total for the emoji and the count of the action's minute
   * grow by one, and the stage's reaction version. Reactions are not stored one by one.
   * Announces {@link Change.Kind#REACTIONS}.
   */
  Future<VoteReceipt> react(ReactionAction action);

  Future<ReactionTotals> reactionTotals(String stageId);

  /** Per-minute counts in time order, minutes without reactions left out. */
  Future<List<ReactionMinute>> reactionTimeline(String stageId);

  // ---- talks (a stage's programme) --------------------------------------------------------

  /**
   * Creates or replaces a talk (by its id, on its stage). Validation is the caller's. Durable when
   * the Future succeeds. Announces {@link Change.Kind#TALKS} (id null).
   */
  Future<org.plenum.stage.Talk> saveTalk(org.plenum.stage.Talk talk);

  /**
   * Deletes a talk. Fails with {@code unknown_talk} (nothing changed) if the stage has no such talk.
   * Announces {@link Change.Kind#TALKS} (id null) when deleted.
   */
  Future<Void> deleteTalk(String stageId, String talkId);

  /** The stage's talks in programme order ({@link org.plenum.stage.Talk#ORDER}): by start, then title. */
  Future<List<org.plenum.stage.Talk>> talks(String stageId);

  // ---- moderator access -------------------------------------------------------------------

  /**
   * Stores a new moderator access (with its token's hash, never the token). Its token is accepted
   * by {@link #moderatorByTokenHash} on every node once the Future succeeds. Announces nothing.
   */
  Future<org.plenum.stage.ModeratorAccess> saveModerator(org.plenum.stage.ModeratorAccess access);

  /**
   * Deletes a moderator access of an event: once the Future succeeds, its token's hash is found on
   * no node. Fails with {@code unknown_moderator} (nothing changed) if the event has no such access.
   * Announces nothing (sessions already joined keep running).
   */
  Future<Void> deleteModerator(String eventId, String moderatorId);

  /** The event's moderator accesses in creation order. */
  Future<List<org.plenum.stage.ModeratorAccess>> moderators(String eventId);

  /** The moderator access whose token has this hash (lower-case hex SHA-256), if it exists. */
  Future<Optional<org.plenum.stage.ModeratorAccess>> moderatorByTokenHash(String tokenHash);

  /**
   * Takes one from an allowance shared by every node of the deployment, for limits that protect a
   * shared resource (e.g. a participant's posts on a stage): at most {@code count} per
   * {@code seconds}, refilled evenly. The key lives in the stage's hash slot. Returns 0 when taken,
   * else the milliseconds until one would be; a refusal takes nothing. The memory engine serves a
   * single node, whose own limiter is the limit: it always answers 0.
   */
  default Future<Long> takeAllowance(String stageId, String what, int count, int seconds) {
    return Future.succeededFuture(0L);
  }

  /**
   * This node now serves the stage (its read model has a first local subscriber): from now on the
   * engine delivers the stage's changes made on other nodes to this node's local bus. Completes
   * once changes published after it are certain to arrive. The memory engine serves one node, so
   * it has nothing to do. Calls are counted: the stage is watched until as many
   * {@link #unwatchStage} calls followed.
   */
  default Future<Void> watchStage(String stageId) {
    return Future.succeededFuture();
  }

  /** This node no longer serves the stage (its read model lost its last local subscriber). */
  default void unwatchStage(String stageId) {
  }
}
