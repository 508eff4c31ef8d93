package org.plenum.engine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.plenum.stage.CloudResults;
import org.plenum.stage.Event;
import org.plenum.stage.ModeratorAccess;
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;
import org.plenum.stage.Post;
import org.plenum.stage.PostView;
import org.plenum.stage.Presence;
import org.plenum.stage.Presentation;
import org.plenum.stage.ReactionMinute;
import org.plenum.stage.ReactionTotals;
import org.plenum.stage.Stage;
import org.plenum.stage.Talk;
import org.plenum.stage.WordCloud;

/**
 * The {@link Engine} contract's threading guarantee, given once for every engine: each call may
 * come from any thread (an event loop, a worker, a thread outside Vert.x), and
 * <ul>
 *   <li>with an {@code owner} context, the wrapped engine runs only there (the memory engine's
 *       state has one owner and no locks): the call hops to it unless it is already on it;</li>
 *   <li>the returned Future completes on the caller's context (an event loop or a worker
 *       context: its callbacks run where the caller's state lives); a caller outside any context
 *       of this Vert.x gets it completed wherever the engine completes it;</li>
 *   <li>an exception thrown by the wrapped engine becomes a failed Future.</li>
 * </ul>
 * Without an owner (the Redis engine, whose commands go out on the caller's own event loop's
 * connection) only the last two apply. {@link Engines} applies it to every engine it builds; the
 * implementations themselves confine nothing.
 */
public final class ConfinedEngine implements Engine {
  private final Engine inner;
  private final Confinement confinement;

  /** @param owner the context {@code inner} must run on, or null if it may run on the caller's */
  public ConfinedEngine(Engine inner, Context owner) {
    this.inner = inner;
    this.confinement = owner == null ? null : new Confinement(owner);
  }

  /** The wrapped engine (for its own, non-contract operations, which confine themselves). */
  Engine inner() {
    return inner;
  }

  private <T> Future<T> call(Supplier<Future<T>> work) {
    if (confinement != null) {
      return confinement.call(work);
    }
    Future<T> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return Confinement.backToCaller(result);
  }

  /** Runs a call that answers nothing on the owner (now, if this is it). */
  private void confined(Runnable work) {
    if (confinement == null || Vertx.currentContext() == confinement.owner()) {
      work.run();
    } else {
      confinement.owner().runOnContext(v -> work.run());
    }
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  @Override
  public Future<Void> start() {
    return call(inner::start);
  }

  @Override
  public Future<Void> stop() {
    return call(inner::stop);
  }

  @Override
  public boolean isReady() {
    return inner.isReady();
  }

  @Override
  public String name() {
    return inner.name();
  }

  // ---- CatalogueStore ----------------------------------------------------------------------

  @Override
  public Future<byte[]> tokenSecret() {
    return call(() -> inner.tokenSecret());
  }

  @Override
  public Future<Event> createEvent(Event event) {
    return call(() -> inner.createEvent(event));
  }

  @Override
  public Future<List<Event>> events() {
    return call(() -> inner.events());
  }

  @Override
  public Future<Optional<Event>> event(String eventId) {
    return call(() -> inner.event(eventId));
  }

  @Override
  public Future<Event> updateEvent(Event event) {
    return call(() -> inner.updateEvent(event));
  }

  @Override
  public Future<Stage> createStage(Stage stage) {
    return call(() -> inner.createStage(stage));
  }

  @Override
  public Future<List<Stage>> stages(String eventId) {
    return call(() -> inner.stages(eventId));
  }

  @Override
  public Future<Optional<Stage>> stage(String stageId) {
    return call(() -> inner.stage(stageId));
  }

  @Override
  public Future<Optional<Stage>> stageByCode(String code) {
    return call(() -> inner.stageByCode(code));
  }

  @Override
  public Future<Stage> updateStage(Stage stage) {
    return call(() -> inner.updateStage(stage));
  }

  @Override
  public Future<Poll> savePoll(Poll poll) {
    return call(() -> inner.savePoll(poll));
  }

  @Override
  public Future<Optional<Poll>> closePollAtDeadline(String stageId, String pollId, java.time.Instant closesAt) {
    return call(() -> inner.closePollAtDeadline(stageId, pollId, closesAt));
  }

  @Override
  public Future<List<Poll>> polls(String stageId) {
    return call(() -> inner.polls(stageId));
  }

  @Override
  public Future<Optional<Poll>> poll(String stageId, String pollId) {
    return call(() -> inner.poll(stageId, pollId));
  }

  @Override
  public Future<WordCloud> saveCloud(WordCloud cloud) {
    return call(() -> inner.saveCloud(cloud));
  }

  @Override
  public Future<List<WordCloud>> clouds(String stageId) {
    return call(() -> inner.clouds(stageId));
  }

  @Override
  public Future<Optional<WordCloud>> cloud(String stageId, String cloudId) {
    return call(() -> inner.cloud(stageId, cloudId));
  }

  @Override
  public Future<Talk> saveTalk(Talk talk) {
    return call(() -> inner.saveTalk(talk));
  }

  @Override
  public Future<Void> deleteTalk(String stageId, String talkId) {
    return call(() -> inner.deleteTalk(stageId, talkId));
  }

  @Override
  public Future<List<Talk>> talks(String stageId) {
    return call(() -> inner.talks(stageId));
  }

  @Override
  public Future<ModeratorAccess> saveModerator(ModeratorAccess access) {
    return call(() -> inner.saveModerator(access));
  }

  @Override
  public Future<Void> deleteModerator(String eventId, String moderatorId) {
    return call(() -> inner.deleteModerator(eventId, moderatorId));
  }

  @Override
  public Future<List<ModeratorAccess>> moderators(String eventId) {
    return call(() -> inner.moderators(eventId));
  }

  @Override
  public Future<Optional<ModeratorAccess>> moderatorByTokenHash(String tokenHash) {
    return call(() -> inner.moderatorByTokenHash(tokenHash));
  }

  // ---- PollStore ---------------------------------------------------------------------------

  @Override
  public Future<VoteReceipt> vote(VoteAction action) {
    return call(() -> inner.vote(action));
  }

  @Override
  public Future<PollResults> results(Poll poll) {
    return call(() -> inner.results(poll));
  }

  @Override
  public Future<Boolean> removeBallot(Poll poll, String participantId) {
    return call(() -> inner.removeBallot(poll, participantId));
  }

  // ---- CloudStore --------------------------------------------------------------------------

  @Override
  public Future<VoteReceipt> submitWord(WordAction action) {
    return call(() -> inner.submitWord(action));
  }

  @Override
  public Future<CloudResults> cloudResults(WordCloud cloud, int top) {
    return call(() -> inner.cloudResults(cloud, top));
  }

  @Override
  public Future<Void> hideWord(String stageId, String cloudId, String key, boolean hidden) {
    return call(() -> inner.hideWord(stageId, cloudId, key, hidden));
  }

  @Override
  public Future<Void> mergeWords(String stageId, String cloudId, String fromKey, String intoKey) {
    return call(() -> inner.mergeWords(stageId, cloudId, fromKey, intoKey));
  }

  @Override
  public Future<Set<String>> wordsOf(String stageId, String cloudId, String participantId) {
    return call(() -> inner.wordsOf(stageId, cloudId, participantId));
  }

  // ---- PostStore ---------------------------------------------------------------------------

  @Override
  public Future<PostReceipt> submitPost(PostAction action) {
    return call(() -> inner.submitPost(action));
  }

  @Override
  public Future<Optional<PostView>> post(String stageId, String postId) {
    return call(() -> inner.post(stageId, postId));
  }

  @Override
  public Future<List<PostView>> posts(String stageId) {
    return call(() -> inner.posts(stageId));
  }

  @Override
  public Future<PostView> updatePost(Post expected, Post next) {
    return call(() -> inner.updatePost(expected, next));
  }

  @Override
  public Future<VoteReceipt> upvote(UpvoteAction action) {
    return call(() -> inner.upvote(action));
  }

  @Override
  public Future<Set<String>> upvotedBy(String stageId, String participantId) {
    return call(() -> inner.upvotedBy(stageId, participantId));
  }

  @Override
  public Future<Void> mute(String stageId, String participantId, boolean muted) {
    return call(() -> inner.mute(stageId, participantId, muted));
  }

  @Override
  public Future<Boolean> isMuted(String stageId, String participantId) {
    return call(() -> inner.isMuted(stageId, participantId));
  }

  // ---- ReactionStore -----------------------------------------------------------------------

  @Override
  public Future<VoteReceipt> react(ReactionAction action) {
    return call(() -> inner.react(action));
  }

  @Override
  public Future<ReactionTotals> reactionTotals(String stageId) {
    return call(() -> inner.reactionTotals(stageId));
  }

  @Override
  public Future<List<ReactionMinute>> reactionTimeline(String stageId) {
    return call(() -> inner.reactionTimeline(stageId));
  }

  // ---- PresentationStore -------------------------------------------------------------------

  @Override
  public Future<Presentation> present(String stageId, Presentation presentation) {
    return call(() -> inner.present(stageId, presentation));
  }

  @Override
  public Future<Presentation> presentation(String stageId) {
    return call(() -> inner.presentation(stageId));
  }

  // ---- SurveyStore -------------------------------------------------------------------------

  @Override
  public Future<org.plenum.stage.Survey> saveSurvey(org.plenum.stage.Survey survey) {
    return call(() -> inner.saveSurvey(survey));
  }

  @Override
  public Future<Optional<org.plenum.stage.Survey>> survey(String stageId, String talkId) {
    return call(() -> inner.survey(stageId, talkId));
  }

  @Override
  public Future<List<org.plenum.stage.Survey>> surveys(String stageId) {
    return call(() -> inner.surveys(stageId));
  }

  @Override
  public Future<VoteReceipt> respond(SurveyAction action) {
    return call(() -> inner.respond(action));
  }

  @Override
  public Future<org.plenum.stage.SurveyResults> surveyResults(org.plenum.stage.Survey survey) {
    return call(() -> inner.surveyResults(survey));
  }

  // ---- PresenceService ---------------------------------------------------------------------

  @Override
  public Future<Void> reportPresence(String reporterId, String stageId, Presence presence, long ttlMillis) {
    return call(() -> inner.reportPresence(reporterId, stageId, presence, ttlMillis));
  }

  @Override
  public Future<Presence> presence(String stageId) {
    return call(() -> inner.presence(stageId));
  }

  // ---- ChangeBus ---------------------------------------------------------------------------

  @Override
  public Future<Void> watchStage(String stageId) {
    return call(() -> inner.watchStage(stageId));
  }

  @Override
  public void unwatchStage(String stageId) {
    confined(() -> inner.unwatchStage(stageId));
  }

  // ---- Allowances --------------------------------------------------------------------------

  @Override
  public Future<Long> takeAllowance(String stageId, String what, int count, int seconds) {
    return call(() -> inner.takeAllowance(stageId, what, count, seconds));
  }

  // ---- StatisticsStore ---------------------------------------------------------------------

  @Override
  public Future<Void> recordSample(String stageId, org.plenum.stage.PresenceSample sample) {
    return call(() -> inner.recordSample(stageId, sample));
  }

  @Override
  public Future<List<org.plenum.stage.PresenceSample>> samples(String stageId) {
    return call(() -> inner.samples(stageId));
  }

  @Override
  public Future<List<org.plenum.stage.ActivityMinute>> activity(String stageId) {
    return call(() -> inner.activity(stageId));
  }

  @Override
  public Future<Long> distinctParticipants(String stageId) {
    return call(() -> inner.distinctParticipants(stageId));
  }

  @Override
  public Future<Long> distinctParticipants(List<String> stageIds) {
    return call(() -> inner.distinctParticipants(stageIds));
  }

  @Override
  public Future<List<org.plenum.stage.Interaction>> interactions(String stageId, long offset, int limit) {
    return call(() -> inner.interactions(stageId, offset, limit));
  }

  // ---- organiser control ----------------------------------------------------------------------

  @Override
  public Future<Void> deletePoll(String stageId, String pollId) {
    return call(() -> inner.deletePoll(stageId, pollId));
  }

  @Override
  public Future<Void> deleteCloud(String stageId, String cloudId) {
    return call(() -> inner.deleteCloud(stageId, cloudId));
  }

  @Override
  public Future<Void> deleteStage(String stageId) {
    return call(() -> inner.deleteStage(stageId));
  }

  @Override
  public Future<Void> deleteEvent(String eventId) {
    return call(() -> inner.deleteEvent(eventId));
  }

  @Override
  public Future<Void> resetStage(String stageId) {
    return call(() -> inner.resetStage(stageId));
  }

  @Override
  public Future<Void> reorderPolls(String stageId, List<String> pollIds) {
    return call(() -> inner.reorderPolls(stageId, pollIds));
  }

  @Override
  public Future<Void> reorderClouds(String stageId, List<String> cloudIds) {
    return call(() -> inner.reorderClouds(stageId, cloudIds));
  }

  @Override
  public Future<Void> reorderStages(String eventId, List<String> stageIds) {
    return call(() -> inner.reorderStages(eventId, stageIds));
  }

  @Override
  public Future<Integer> finishDeletions() {
    return call(inner::finishDeletions);
  }

  // ---- QuizStore ---------------------------------------------------------------------------

  @Override
  public Future<VoteReceipt> answer(VoteAction action, Poll quiz) {
    return call(() -> inner.answer(action, quiz));
  }

  @Override
  public Future<org.plenum.stage.Leaderboard> leaderboard(String stageId, int limit) {
    return call(() -> inner.leaderboard(stageId, limit));
  }

  @Override
  public Future<org.plenum.stage.Standing> standing(String stageId, String participantId, List<String> quizIds) {
    return call(() -> inner.standing(stageId, participantId, quizIds));
  }

  @Override
  public Future<Void> setNickname(String stageId, String participantId, org.plenum.stage.Nickname nickname) {
    return call(() -> inner.setNickname(stageId, participantId, nickname));
  }

  @Override
  public Future<List<org.plenum.stage.QuizScore>> quizScores(String stageId) {
    return call(() -> inner.quizScores(stageId));
  }
}
