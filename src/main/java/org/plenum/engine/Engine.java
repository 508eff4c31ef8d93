package org.plenum.engine;

import io.vertx.core.Future;

/**
 * Where Plenum's state lives, composed of small stores: the {@link CatalogueStore} (events,
 * stages, poll and cloud definitions, talks, moderators, token secret), one aggregate store per
 * kind of interaction ({@link PollStore}, {@link CloudStore}, {@link PostStore},
 * {@link ReactionStore}), what each stage's screens show ({@link PresentationStore}), the
 * {@link PresenceService}, the {@link ChangeBus} and the shared {@link Allowances}, and the
 * organisers' {@link StatisticsStore}. Two implementations: {@code memory} (single node, journalled to a local
 * data directory) and {@code redis} (durable, shared by several nodes). Both pass the same
 * contract tests. Callers that need one part depend on that part's interface.
 *
 * <p>Every method may be called from any Vert.x context; the returned Future completes on the
 * caller's context ({@link ConfinedEngine} gives this guarantee, once, for every engine
 * {@link Engines} builds). A Future that fails with an {@link EngineRefusal} carries the
 * {@link org.plenum.protocol.ErrorCode} to show the client and the facts it is about, never a text:
 * the edge words it ({@link org.plenum.protocol.RefusalTexts}). Any other failure means the engine
 * is unavailable and nothing was changed.
 * {@link org.plenum.protocol.ErrorCode#OUTCOME_UNKNOWN} means the engine cannot tell whether a
 * write was applied (a store's reply timed out): retrying it under the same action id is safe,
 * and its change has been announced in case it was applied.
 *
 * <p>Every change is announced on the local event bus at {@link Change#ADDRESS} on every node of
 * the deployment (see {@link ChangeBus}), saying what changed, not how.
 */
public interface Engine extends CatalogueStore, PollStore, CloudStore, PostStore, ReactionStore, PresentationStore,
    PresenceService, ChangeBus, Allowances, StatisticsStore, SurveyStore, QuizStore {

  /** Connects / loads persisted state. The engine is usable once this succeeds. */
  Future<Void> start();

  /** Flushes whatever is pending and releases connections. */
  Future<Void> stop();

  /** False while the engine cannot durably apply writes (e.g. Redis unreachable). */
  boolean isReady();

  /** "memory" or "redis". */
  String name();
}
