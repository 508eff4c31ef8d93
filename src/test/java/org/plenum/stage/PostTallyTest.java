package org.plenum.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/** A post's aggregate rules, without an engine (their Redis twins are submit_post, update_post, upvote). */
class PostTallyTest {
  private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");

  private static Post question(StageSettings settings) {
    return Post.create("qu1", "st1", PostKind.QUESTION, "alice", "Alice", "Why?", settings, NOW);
  }

  @Test
  void aNewPostHasVersionOneAndEveryReplacementGrowsIt() {
    PostTally tally = new PostTally(question(StageSettings.DEFAULT));
    assertThat(tally.version()).isEqualTo(1);
    Post current = tally.post();
    Post next = current.markAnswered(true);
    PostTally.requireSuccessor(current, next);
    assertThat(tally.isAt(current.revision())).isTrue();
    tally.replace(next);
    assertThat(tally.isAt(current.revision())).as("a second update from the same revision conflicts").isFalse();
    assertThat(tally.view().post().answered()).isTrue();
    assertThat(tally.version()).isEqualTo(2);
  }

  @Test
  void anUpdateMustBeTheNextRevisionOfTheSamePost() {
    Post current = question(StageSettings.DEFAULT);
    Post twoOn = current.markAnswered(true).pin(false);
    assertThatThrownBy(() -> PostTally.requireSuccessor(current, twoOn)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aParticipantUpvotesOnce() {
    PostTally tally = new PostTally(question(StageSettings.DEFAULT));
    assertThat(tally.upvote("bob", true)).isTrue();
    assertThat(tally.upvote("bob", true)).isFalse();
    assertThat(tally.upvote("carol", false)).isFalse();
    assertThat(tally.view().upvotes()).isEqualTo(1);
    assertThat(tally.version()).isEqualTo(2);
    assertThat(tally.upvote("bob", false)).isTrue();
    assertThat(tally.view().upvotes()).isZero();
    assertThat(tally.version()).isEqualTo(3);
  }

  @Test
  void stateTransitions() {
    StageSettings moderated = new StageSettings(true, true, false);
    Post pending = question(moderated);
    assertThat(pending.state()).isEqualTo(PostState.PENDING);
    assertThatThrownBy(() -> pending.pin(true)).isInstanceOf(PlenumException.class)
        .satisfies(e -> assertThat(((PlenumException) e).code()).isEqualTo(ErrorCode.INVALID_STATE));
    Post published = pending.approve().pin(true);
    assertThat(published.pinned()).isTrue();
    assertThat(published.markAnswered(true).pinned()).as("answering unpins").isFalse();
    assertThat(published.reject().state()).isEqualTo(PostState.REJECTED);
    assertThat(published.reject().pinned()).isFalse();
  }

  @Test
  void onlyTheAuthorDeletesAnUnansweredPostAndATombstoneRemains() {
    Post post = question(StageSettings.DEFAULT);
    assertThatThrownBy(() -> post.deleteByAuthor("bob")).isInstanceOf(PlenumException.class)
        .satisfies(e -> assertThat(((PlenumException) e).code()).isEqualTo(ErrorCode.FORBIDDEN));
    assertThatThrownBy(() -> post.markAnswered(true).deleteByAuthor("alice")).isInstanceOf(PlenumException.class)
        .satisfies(e -> assertThat(((PlenumException) e).code()).isEqualTo(ErrorCode.INVALID_STATE));
    Post gone = post.deleteByAuthor("alice");
    assertThat(gone.state()).isEqualTo(PostState.DELETED);
    assertThat(gone.text()).isEmpty();
    assertThat(gone.displayName()).isNull();
    assertThat(gone.revision()).isEqualTo(post.revision() + 1);
  }
}
