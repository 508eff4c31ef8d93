package org.plenum.stage;

import java.time.Instant;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * A question, comment or feedback message. Immutable; every change returns a new Post with
 * {@code revision} + 1, which engines use for compare-and-set updates.
 *
 * @param authorId     the participant who posted it (never shown to others)
 * @param displayName  the name the author chose, or null for anonymous
 * @param originalText the text as posted, kept when a moderator edits it (null if never edited)
 * @param pollId       for an {@link PostKind#ANSWER answer}, the open-text poll it answers; null otherwise
 */
public record Post(String id, String stageId, PostKind kind, String authorId, String displayName, String text,
                   String originalText, PostState state, boolean answered, boolean pinned, String reply,
                   Instant createdAt, long revision, String pollId) {
  public static final int MAX_TEXT = 500;
  public static final int MAX_NAME = 60;

  /** A post that answers no poll (a question, comment or feedback). */
  public Post(String id, String stageId, PostKind kind, String authorId, String displayName, String text,
              String originalText, PostState state, boolean answered, boolean pinned, String reply,
              Instant createdAt, long revision) {
    this(id, stageId, kind, authorId, displayName, text, originalText, state, answered, pinned, reply, createdAt,
        revision, null);
  }

  /**
   * A written answer to the open-text poll {@code pollId}: the same rules as any post (length,
   * name, moderation by the stage's comment setting); whether the poll takes it now is the engine's.
   */
  public static Post answer(String id, String stageId, String pollId, String authorId, String rawName, String rawText,
                            StageSettings settings, Instant now) {
    Post p = create(id, stageId, PostKind.ANSWER, authorId, rawName, rawText, settings, now);
    return new Post(p.id, p.stageId, p.kind, p.authorId, p.displayName, p.text, null, p.state, false, false, null,
        p.createdAt, p.revision, pollId);
  }

  /** Checks and cleans what a participant sent; {@code moderated} decides whether it waits. */
  public static Post create(String id, String stageId, PostKind kind, String authorId, String rawName, String rawText,
                            StageSettings settings, Instant now) {
    String text = TextRules.clean(rawText, "text");
    if (text.isEmpty() || text.codePointCount(0, text.length()) > MAX_TEXT) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "text: 1-" + MAX_TEXT + " characters");
    }
    String name = rawName == null ? null : TextRules.clean(rawName, "name");
    if (name != null && name.isEmpty()) {
      name = null;
    }
    if (name != null && name.codePointCount(0, name.length()) > MAX_NAME) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "name: at most " + MAX_NAME + " characters");
    }
    if (name == null && !settings.anonymousQuestions()) {
      throw new PlenumException(ErrorCode.NAME_REQUIRED, "name: this stage does not take anonymous posts; give a display name");
    }
    PostState state = settings.moderates(kind) ? PostState.PENDING : PostState.PUBLISHED;
    return new Post(id, stageId, kind, authorId, name, text, null, state, false, false, null, now, 0);
  }

  /**
   * A new post of a participant a moderator muted: stored (its author sees it, as rejected) but
   * hidden from everyone else, and not in the moderators' queue of pending posts.
   */
  public Post fromMutedAuthor() {
    return new Post(id, stageId, kind, authorId, displayName, text, originalText, PostState.REJECTED, false, false,
        reply, createdAt, revision, pollId);
  }

  /** Whether everyone on the stage may see it (others see only their own pending or rejected posts). */
  public boolean isPublic() {
    return state == PostState.PUBLISHED;
  }

  public Post approve() {
    requireNot(PostState.DELETED, "approve");
    return with(PostState.PUBLISHED, answered, pinned, text, originalText, reply);
  }

  public Post reject() {
    requireNot(PostState.DELETED, "reject");
    return with(PostState.REJECTED, answered, false, text, originalText, reply);
  }

  public Post markAnswered(boolean isAnswered) {
    requireQuestion("answered");
    requireNot(PostState.DELETED, "mark answered");
    return with(state, isAnswered, isAnswered ? false : pinned, text, originalText, reply);
  }

  public Post pin(boolean isPinned) {
    requireNot(PostState.DELETED, "pin");
    if (isPinned && state != PostState.PUBLISHED) {
      throw new PlenumException(ErrorCode.INVALID_STATE, "Only a published post can be pinned.");
    }
    return with(state, answered, isPinned, text, originalText, reply);
  }

  /** A moderator's correction; the text as first posted is kept. */
  public Post edit(String rawText) {
    requireNot(PostState.DELETED, "edit");
    String next = TextRules.clean(rawText, "text");
    if (next.isEmpty() || next.codePointCount(0, next.length()) > MAX_TEXT) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "text: 1-" + MAX_TEXT + " characters");
    }
    return with(state, answered, pinned, next, originalText == null ? text : originalText, reply);
  }

  public Post withReply(String rawReply) {
    requireNot(PostState.DELETED, "reply to");
    String next = rawReply == null ? null : TextRules.clean(rawReply, "reply");
    if (next != null && next.codePointCount(0, next.length()) > MAX_TEXT) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "reply: at most " + MAX_TEXT + " characters");
    }
    return with(state, answered, pinned, text, originalText, next == null || next.isEmpty() ? null : next);
  }

  /** The author takes it back while it is unanswered: the text is erased, a tombstone remains. */
  public Post deleteByAuthor(String participantId) {
    if (!authorId.equals(participantId)) {
      throw new PlenumException(ErrorCode.FORBIDDEN, "Only its author can delete a post.");
    }
    if (answered) {
      throw new PlenumException(ErrorCode.INVALID_STATE, "An answered question can no longer be deleted.");
    }
    requireNot(PostState.DELETED, "delete");
    return new Post(id, stageId, kind, authorId, null, "", null, PostState.DELETED, false, false, null, createdAt, revision + 1,
        pollId);
  }

  /**
   * Erased with what it belonged to (an answer whose open-text poll was deleted): the text goes,
   * a tombstone remains, as after its author's deletion. An erased post stays erased.
   */
  public Post erase() {
    return state == PostState.DELETED ? this
        : new Post(id, stageId, kind, authorId, null, "", null, PostState.DELETED, false, false, null, createdAt, revision + 1,
            pollId);
  }

  private Post with(PostState s, boolean isAnswered, boolean isPinned, String t, String original, String r) {
    return new Post(id, stageId, kind, authorId, displayName, t, original, s, isAnswered, isPinned, r, createdAt, revision + 1,
        pollId);
  }

  private void requireNot(PostState forbidden, String action) {
    if (state == forbidden) {
      throw new PlenumException(ErrorCode.INVALID_STATE, "Cannot " + action + " a " + state.wire() + " post.");
    }
  }

  private void requireQuestion(String field) {
    if (kind != PostKind.QUESTION) {
      throw new PlenumException(ErrorCode.INVALID_STATE, field + ": only questions can be answered");
    }
  }
}
