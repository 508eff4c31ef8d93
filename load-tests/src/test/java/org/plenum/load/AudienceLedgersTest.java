package org.plenum.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plenum.load.PollLedger.Outcome;

/** Exactly-once bookkeeping of word clouds, posts, upvotes and reactions. */
class AudienceLedgersTest {

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void wordCountsAreDistinctAcknowledgedEntriesPerKey() {
    WordLedger l = new WordLedger("wc1", WordVocabulary.expectedKeys());
    l.sent(1, "a", "strasse", "Straße", 1);
    l.sent(1, "b", "ki", "KI", 2);
    l.sent(2, "c", "strasse", "STRASSE", 3);
    l.outcome(1, "a", Outcome.APPLIED, "strasse");
    l.outcome(1, "b", Outcome.APPLIED, "ki");
    l.outcome(2, "c", Outcome.APPLIED, "strasse");
    l.outcome(1, "a", Outcome.DUPLICATE, null); // a resend

    assertThat(l.check(Map.of("strasse", 2L, "ki", 1L), 3, 2).passed()).isTrue();
    assertThat(l.check(Map.of("strasse", 3L, "ki", 1L), 4, 2).mismatches())
        .anyMatch(m -> m.contains("strasse")).anyMatch(m -> m.contains("entries"));
    assertThat(l.matches(Map.of("strasse", 2L, "ki", 1L), 3)).isTrue();
    assertThat(l.matches(Map.of("strasse", 1L, "ki", 1L), 2)).isFalse();
  }

  @Test
  void spellingsOfOneWordUnderDifferentKeysAreReported() {
    WordLedger l = new WordLedger("wc1", WordVocabulary.expectedKeys());
    l.sent(1, "a", "strasse", "Straße", 1);
    l.sent(2, "b", "strasse", "STRASSE", 2);
    l.outcome(1, "a", Outcome.APPLIED, "straße");
    l.outcome(2, "b", Outcome.APPLIED, "strasse");
    assertThat(l.keyConflicts()).hasSize(1);
  }

  @Test
  void anEntryWithoutAnswerWidensTheRange() {
    WordLedger l = new WordLedger("wc1", WordVocabulary.expectedKeys());
    l.sent(1, "a", "ki", "KI", 1);
    l.settleInFlight();
    assertThat(l.check(Map.of("ki", 1L), 1, 1).passed()).isTrue();
    assertThat(l.check(Map.of(), 0, 0).passed()).isTrue();
  }

  @Test
  void reactionsAddOnePerAppliedActionId() {
    TallyLedger l = new TallyLedger("st1");
    l.sent("r1", "👏", 1);
    l.sent("r2", "👏", 2);
    l.sent("r3", "❤️", 3);
    l.outcome("r1", Outcome.APPLIED);
    l.outcome("r2", Outcome.APPLIED);
    l.outcome("r3", Outcome.REJECTED);
    l.outcome("r1", Outcome.DUPLICATE); // resend
    assertThat(l.check(Map.of("👏", 2L))).isEmpty();
    assertThat(l.check(Map.of("👏", 3L))).hasSize(1);
    assertThat(l.appliedSendTimes()).containsExactly(1, 2);
  }

  @Test
  void postsAreCheckedByIdentityAndUpvotesByLastAcknowledgedValue() throws Exception {
    PostLedger l = new PostLedger();
    l.sent(1, "q1", "st1", "question", "Wann?", 10, false);
    l.sent(2, "q2", "st1", "comment", "Gut.", 11, false);
    assertThat(l.outcome(1, "q1", Outcome.APPLIED, "qa1")).isNotNull();
    l.outcome(2, "q2", Outcome.APPLIED, "qa2");
    l.outcome(1, "q1", Outcome.DUPLICATE, "qa1");
    l.upSent(3, "u1", "qa1", true, 20);
    l.upOutcome(3, "u1", Outcome.APPLIED);
    l.upSent(4, "u2", "qa1", true, 21);
    l.upOutcome(4, "u2", Outcome.APPLIED);
    l.upSent(4, "u3", "qa1", false, 22);
    l.upOutcome(4, "u3", Outcome.APPLIED);

    String ok = """
        [{"id":"qa1","kind":"question","text":"Wann?","state":"published","upvotes":1},
         {"id":"qa2","kind":"comment","text":"Gut.","state":"published","upvotes":0}]""";
    assertThat(l.check("st1", mapper.readTree(ok)).passed()).isTrue();
    String doubled = """
        [{"id":"qa1","kind":"question","text":"Wann?","state":"published","upvotes":2},
         {"id":"qa2","kind":"comment","text":"Gut.","state":"published","upvotes":0},
         {"id":"qa9","kind":"comment","text":"Gut.","state":"published","upvotes":0}]""";
    assertThat(l.check("st1", mapper.readTree(doubled)).mismatches())
        .anyMatch(m -> m.contains("upvotes 2")).anyMatch(m -> m.contains("qa9")).anyMatch(m -> m.contains("lists 3"));
    String lost = """
        [{"id":"qa1","kind":"question","text":"Wann?","state":"published","upvotes":1}]""";
    assertThat(l.check("st1", mapper.readTree(lost)).mismatches()).anyMatch(m -> m.contains("qa2"));
    assertThat(l.firstUpSendTimes("qa1")).containsExactly(20, 21);
  }

  @Test
  void aResentPostAnsweredWithAnotherIdIsReported() throws Exception {
    PostLedger l = new PostLedger();
    l.sent(1, "q1", "st1", "question", "Wann?", 10, false);
    l.outcome(1, "q1", Outcome.APPLIED, "qa1");
    l.outcome(1, "q1", Outcome.DUPLICATE, "qa7");
    String list = """
        [{"id":"qa1","kind":"question","text":"Wann?","state":"published","upvotes":0}]""";
    assertThat(l.check("st1", mapper.readTree(list)).mismatches()).anyMatch(m -> m.contains("qa7"));
  }

  @Test
  void vocabularyPicksDistinctWords() {
    var picks = WordVocabulary.pick(new java.util.Random(1), 10);
    assertThat(picks).hasSize(10);
    assertThat(picks.stream().map(p -> p[0]).distinct().count()).isEqualTo(10);
  }
}
