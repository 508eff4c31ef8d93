package org.plenum.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.plenum.protocol.ErrorCode;

/** The word cloud's aggregate rules, without an engine (their Redis twins are submit_word, hide_word, merge_words). */
class CloudTallyTest {
  private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");

  private static WordCloud cloud(Phase phase) {
    return new WordCloud("wc1", "st1", "One word?", 2, phase, true, NOW, null, null);
  }

  @Test
  void onlyAnOpenCloudTakesEntries() {
    assertThat(CloudTally.refusal(cloud(Phase.OPEN))).isNull();
    assertThat(CloudTally.refusal(null)).isEqualTo(ErrorCode.UNKNOWN_CLOUD);
    assertThat(CloudTally.refusal(cloud(Phase.DRAFT))).isEqualTo(ErrorCode.CLOUD_NOT_OPEN);
    assertThat(CloudTally.refusal(cloud(Phase.CLOSED))).isEqualTo(ErrorCode.CLOUD_NOT_OPEN);
  }

  @Test
  void aParticipantHoldsAKeyOnceAndAtMostMaxEntries() {
    CloudTally tally = new CloudTally();
    assertThat(tally.refusal("alice", "ki", 2)).isNull();
    tally.add("alice", "ki", "KI");
    assertThat(tally.refusal("alice", "ki", 2)).isEqualTo(ErrorCode.ALREADY_SUBMITTED);
    tally.add("alice", "cloud", "Cloud");
    assertThat(tally.refusal("alice", "ozg", 2)).isEqualTo(ErrorCode.TOO_MANY_ENTRIES);
    assertThat(tally.refusal("bob", "ki", 2)).isNull();
    assertThat(tally.version()).isEqualTo(2);
    assertThat(tally.keysOf("alice")).containsExactlyInAnyOrder("ki", "cloud");
  }

  @Test
  void theMostTypedSpellingIsShownAndWordsRankByContributors() {
    CloudTally tally = new CloudTally();
    tally.add("alice", "ki", "KI");
    tally.add("bob", "ki", "Ki");
    tally.add("carol", "ki", "KI");
    tally.add("carol", "cloud", "Cloud");
    CloudResults results = tally.results("wc1", 10);
    assertThat(results.words()).extracting(CloudWord::key).containsExactly("ki", "cloud");
    assertThat(results.words().get(0).text()).isEqualTo("KI");
    assertThat(results.words().get(0).count()).isEqualTo(3);
    assertThat(results.entries()).isEqualTo(4);
  }

  @Test
  void aHiddenWordKeepsItsCountButLeavesTheVisibleList() {
    CloudTally tally = new CloudTally();
    assertThat(tally.wordRefusal("ki")).isEqualTo(ErrorCode.UNKNOWN_WORD);
    tally.add("alice", "ki", "KI");
    assertThat(tally.wordRefusal("ki")).isNull();
    tally.hide("ki", true);
    CloudResults results = tally.results("wc1", 10);
    assertThat(results.words()).isEmpty();
    assertThat(results.hidden()).extracting(CloudWord::count).containsExactly(1L);
    tally.hide("ki", false);
    assertThat(tally.results("wc1", 10).words()).hasSize(1);
  }

  @Test
  void aMergeMovesContributorsAndRedirectsLaterEntries() {
    CloudTally tally = new CloudTally();
    tally.add("alice", "ai", "AI");
    tally.add("alice", "ki", "KI");
    tally.add("bob", "ai", "AI");
    assertThat(tally.mergeRefusal("ai", "ai")).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(tally.mergeRefusal("ai", "ml")).isEqualTo(ErrorCode.UNKNOWN_WORD);
    assertThat(tally.mergeRefusal("ai", "ki")).isNull();
    tally.hide("ai", true);
    tally.merge("ai", "ki");
    assertThat(tally.count("ki")).isEqualTo(2);
    assertThat(tally.count("ai")).isZero();
    assertThat(tally.keysOf("alice")).containsExactly("ki"); // one entry now, so she may add another
    assertThat(tally.refusal("alice", "ozg", 2)).isNull();
    assertThat(tally.hidden()).isEmpty();
    assertThat(tally.resolve("ai")).isEqualTo("ki");
    assertThat(tally.refusal("carol", "ai", 2)).isNull();
    tally.add("carol", "ai", "Ai");
    CloudResults results = tally.results("wc1", 10);
    assertThat(results.words()).singleElement().satisfies(w -> {
      assertThat(w.key()).isEqualTo("ki");
      assertThat(w.text()).isEqualTo("KI"); // a merged-away spelling is not tallied
      assertThat(w.count()).isEqualTo(3);
    });
    assertThat(tally.mergeRefusal("ai", "ki")).isEqualTo(ErrorCode.UNKNOWN_WORD); // a retried merge changes nothing
  }
}
