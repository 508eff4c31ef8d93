package org.plenum.engine;

import io.vertx.core.Future;
import java.util.Set;
import org.plenum.stage.CloudResults;
import org.plenum.stage.WordCloud;

/**
 * A word cloud's entries: who gave which key in which spelling, and the moderators' hides and
 * merges. The entry rules are the domain's ({@link org.plenum.stage.CloudTally}); the store
 * applies them atomically. Every write grows the cloud's version and announces
 * {@link Change.Kind#CLOUD_RESULTS}.
 */
public interface CloudStore {

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
   * counts of contributors and entries. A word's count is the number of distinct participants who
   * submitted it (or a word merged into it).
   */
  Future<CloudResults> cloudResults(WordCloud cloud, int top);

  /**
   * Hides or shows a word: a hidden word keeps its count (for audit) but is left out of
   * {@link CloudResults#words()}. Fails with {@code unknown_cloud} if the cloud does not exist,
   * {@code unknown_word} if nobody submitted the key (a merged-away key included).
   * Grows the version; announces {@link Change.Kind#CLOUD_RESULTS}. No action id: hiding twice
   * leaves the same state.
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
   * no contributors (so a retried merge fails with {@code unknown_word} and changes nothing).
   * Grows the version; announces {@link Change.Kind#CLOUD_RESULTS}.
   */
  Future<Void> mergeWords(String stageId, String cloudId, String fromKey, String intoKey);

  /**
   * The keys this participant currently holds in the cloud (merges applied), so a returning
   * viewer sees how many of the cloud's entries they have used.
   */
  Future<Set<String>> wordsOf(String stageId, String cloudId, String participantId);
}
