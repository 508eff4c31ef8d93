package org.plenum.api;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.plenum.engine.CodeTakenException;
import org.plenum.engine.ConcurrentUpdateException;
import org.plenum.engine.Engine;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.stage.Event;
import org.plenum.stage.Ids;
import org.plenum.stage.ModeratorAccess;
import org.plenum.stage.Talk;
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;
import org.plenum.stage.PollSpec;
import org.plenum.stage.Post;
import org.plenum.stage.PostView;
import org.plenum.stage.Presentation;
import org.plenum.stage.ReactionMinute;
import org.plenum.stage.ReactionTotals;
import org.plenum.stage.Stage;
import org.plenum.stage.WordCloud;
import org.plenum.stage.Times;
import org.plenum.stage.StageSettings;

/**
 * What organisers and moderators do to the catalogue (events, stages, polls), on top of the
 * engine: validation, ids, unique join codes, poll lifecycle. Used by the REST API and the demo.
 */
public final class Catalog {
  public static final int MAX_NAME = 120;
  private static final int CODE_ATTEMPTS = 20;
  private static final int UPDATE_ATTEMPTS = 5;

  private final Engine engine;

  public Catalog(Engine engine) {
    this.engine = engine;
  }

  public Engine engine() {
    return engine;
  }

  public Future<Event> createEvent(String name) {
    return createEvent(name, null);
  }

  /** A new event, closed with {@code passcode} where one is given ({@link org.plenum.stage.Passcode#check}). */
  public Future<Event> createEvent(String name, String passcode) {
    String checkedName = checkName(name);
    String code = org.plenum.stage.Passcode.check(passcode);
    return engine.createEvent(new Event(Ids.newId("ev"), checkedName, Times.now(), List.of(), false, code));
  }

  public Future<Stage> createStage(String eventId, String name) {
    String checked = checkName(name);
    return event(eventId).compose(event -> createStage(event, checked, 0));
  }

  private Future<Stage> createStage(Event event, String name, int attempt) {
    Stage stage = new Stage(Ids.newId("st"), event.id(), name, Ids.newJoinCode(), Times.now(), StageSettings.DEFAULT);
    return engine.createStage(stage).recover(err -> err instanceof CodeTakenException && attempt < CODE_ATTEMPTS
        ? createStage(event, name, attempt + 1)
        : Future.failedFuture(err));
  }

  public Future<Poll> createPoll(String stageId, PollSpec spec) {
    return stage(stageId).compose(stage -> engine.savePoll(spec.toPoll(Ids.newId("pl"), stage.id(), Times.now())));
  }

  public Future<Event> event(String eventId) {
    return orNotFound(Ids.isSafeId(eventId) ? engine.event(eventId) : Future.succeededFuture(Optional.empty()),
        ErrorCode.UNKNOWN_EVENT, "No event " + eventId + ".");
  }

  public Future<Stage> stage(String stageId) {
    return orNotFound(Ids.isSafeId(stageId) ? engine.stage(stageId) : Future.succeededFuture(Optional.empty()),
        ErrorCode.UNKNOWN_STAGE, "No stage " + stageId + ".");
  }

  public Future<Stage> stageByCode(String code) {
    String normal = code == null ? "" : code.strip().toUpperCase(java.util.Locale.ROOT);
    return orNotFound(engine.stageByCode(normal), ErrorCode.UNKNOWN_STAGE, "No stage with join code " + normal + ".");
  }

  public Future<Poll> poll(String stageId, String pollId) {
    return stage(stageId).compose(stage -> orNotFound(
        Ids.isSafeId(pollId) ? engine.poll(stageId, pollId) : Future.succeededFuture(Optional.empty()),
        ErrorCode.UNKNOWN_POLL, "No poll " + pollId + " on stage " + stageId + "."));
  }

  public Future<List<Poll>> polls(String stageId) {
    return stage(stageId).compose(stage -> engine.polls(stage.id()));
  }

  public Future<PollResults> results(Poll poll) {
    return engine.results(poll);
  }

  /** Applies a lifecycle step (open, close, reveal, hide); a step that changes nothing writes nothing. */
  public Future<Poll> change(String stageId, String pollId, UnaryOperator<Poll> step) {
    return poll(stageId, pollId).compose(poll -> {
      Poll next = step.apply(poll);
      return next.equals(poll) ? Future.succeededFuture(poll) : engine.savePoll(next);
    });
  }

  // ---- what the stage's screens show ----------------------------------------------------

  /**
   * Makes the stage's projector and overlay show {@code kind} (and {@code target}), after checking
   * that the target is on the stage and may be shown: a poll or cloud that is not a draft, a
   * published question. Showing results or a cloud reveals them (the moderator put them on the
   * hall screen, so they are public now).
   */
  public Future<Presentation> present(String stageId, Presentation.Kind kind, String target) {
    if (kind.needsTarget() && target == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "target: the id of the " + targetNoun(kind) + " to show");
    }
    if (!kind.needsTarget() && target != null) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "target: " + kind.wire() + " shows no single item; leave target out");
    }
    Future<Void> checked = switch (kind) {
      case POLL, RESULTS -> poll(stageId, target).compose(p -> {
        if (!p.isPublic()) {
          return Future.failedFuture(new PlenumException(ErrorCode.INVALID_STATE, "Poll " + p.id() + " is a draft: open it before showing it."));
        }
        return kind == Presentation.Kind.RESULTS ? change(stageId, target, q -> q.withResultsVisible(true)).mapEmpty()
            : Future.succeededFuture();
      });
      case CLOUD -> cloud(stageId, target).compose(c -> c.isPublic()
          ? changeCloud(stageId, target, d -> d.withResultsVisible(true)).mapEmpty()
          : Future.failedFuture(new PlenumException(ErrorCode.INVALID_STATE, "Word cloud " + c.id() + " is a draft: open it before showing it.")));
      case QUESTION -> post(stageId, target).compose(v -> v.post().kind() == org.plenum.stage.PostKind.QUESTION
          && v.post().state() == org.plenum.stage.PostState.PUBLISHED ? Future.<Void>succeededFuture()
          : Future.failedFuture(new PlenumException(ErrorCode.INVALID_STATE, "Post " + target + " is not a published question.")));
      default -> stage(stageId).mapEmpty();
    };
    return checked.compose(v -> engine.present(stageId, new Presentation(kind, target, kind == Presentation.Kind.AUTO ? null : Times.now())));
  }

  public Future<Presentation> presentation(String stageId) {
    return stage(stageId).compose(stage -> engine.presentation(stage.id()));
  }

  private static String targetNoun(Presentation.Kind kind) {
    return switch (kind) {
      case POLL, RESULTS -> "poll";
      case CLOUD -> "word cloud";
      default -> "question";
    };
  }

  // ---- event and stage settings ---------------------------------------------------------

  public Future<Event> setBlockedWords(String eventId, List<String> words) {
    if (words.size() > 1000) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "words: at most 1000");
    }
    List<String> cleaned = new java.util.ArrayList<>();
    for (String w : words) {
      String c = org.plenum.stage.TextRules.clean(w, "words").strip();
      if (c.isEmpty() || c.length() > 40) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, "words: each 1-40 characters");
      }
      cleaned.add(c);
    }
    // touching each stage announces a STAGE change on every node, which reloads the blocklist there
    return event(eventId).compose(e -> engine.updateEvent(e.withBlockedWords(cleaned)))
        .compose(updated -> engine.stages(eventId).compose(stages -> {
          Future<Void> touched = Future.succeededFuture();
          for (Stage s : stages) {
            touched = touched.compose(v -> engine.updateStage(s).mapEmpty());
          }
          return touched.map(updated);
        }));
  }

  public Future<Stage> changeSettings(String stageId, UnaryOperator<StageSettings> change) {
    return stage(stageId).compose(s -> engine.updateStage(s.withSettings(change.apply(s.settings()))));
  }

  // ---- word clouds -----------------------------------------------------------------------

  public Future<WordCloud> createCloud(String stageId, String prompt, Integer maxEntries, boolean resultsVisible, boolean open) {
    String p = prompt == null ? "" : org.plenum.stage.TextRules.clean(prompt, "prompt").strip();
    if (p.isEmpty() || p.length() > WordCloud.MAX_PROMPT) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "prompt: 1-" + WordCloud.MAX_PROMPT + " characters");
    }
    int max = maxEntries == null ? WordCloud.DEFAULT_ENTRIES : maxEntries;
    if (max < 1 || max > WordCloud.MAX_ENTRIES) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "maxEntries: 1 to " + WordCloud.MAX_ENTRIES);
    }
    return stage(stageId).compose(stage -> {
      var now = Times.now();
      return engine.saveCloud(new WordCloud(Ids.newId("wc"), stage.id(), p, max,
          open ? org.plenum.stage.Phase.OPEN : org.plenum.stage.Phase.DRAFT, resultsVisible, now, open ? now : null, null));
    });
  }

  public Future<WordCloud> cloud(String stageId, String cloudId) {
    return stage(stageId).compose(stage -> orNotFound(
        Ids.isSafeId(cloudId) ? engine.cloud(stageId, cloudId) : Future.succeededFuture(Optional.empty()),
        ErrorCode.UNKNOWN_CLOUD, "No word cloud " + cloudId + " on stage " + stageId + "."));
  }

  public Future<List<WordCloud>> clouds(String stageId) {
    return stage(stageId).compose(stage -> engine.clouds(stage.id()));
  }

  public Future<WordCloud> changeCloud(String stageId, String cloudId, UnaryOperator<WordCloud> step) {
    return cloud(stageId, cloudId).compose(c -> {
      WordCloud next = step.apply(c);
      return next.equals(c) ? Future.succeededFuture(c) : engine.saveCloud(next);
    });
  }

  public Future<WordCloud> hideWord(String stageId, String cloudId, String key, boolean hidden) {
    return cloud(stageId, cloudId).compose(c -> engine.hideWord(stageId, cloudId, key, hidden).map(c));
  }

  public Future<WordCloud> mergeWords(String stageId, String cloudId, String from, String into) {
    return cloud(stageId, cloudId).compose(c -> engine.mergeWords(stageId, cloudId, from, into).map(c));
  }

  // ---- posts -----------------------------------------------------------------------------

  public Future<List<PostView>> posts(String stageId) {
    return stage(stageId).compose(stage -> engine.posts(stage.id()));
  }

  public Future<PostView> post(String stageId, String postId) {
    return stage(stageId).compose(stage -> orNotFound(
        Ids.isSafeId(postId) ? engine.post(stageId, postId) : Future.succeededFuture(Optional.empty()),
        ErrorCode.UNKNOWN_POST, "No post " + postId + " on stage " + stageId + "."));
  }

  /**
   * A moderation step on a post (approve, reject, answer, edit, reply, pin), as a compare-and-set
   * that is retried when the post changed meanwhile (an upvote, another moderator).
   */
  public Future<PostView> moderate(String stageId, String postId, UnaryOperator<Post> step) {
    return moderate(stageId, postId, step, 0);
  }

  private Future<PostView> moderate(String stageId, String postId, UnaryOperator<Post> step, int attempt) {
    return post(stageId, postId).compose(view -> {
      Post next = step.apply(view.post());
      return engine.updatePost(view.post(), next).recover(err ->
          err instanceof ConcurrentUpdateException && attempt < UPDATE_ATTEMPTS
              ? moderate(stageId, postId, step, attempt + 1)
              : Future.failedFuture(err));
    });
  }

  /** Pins one post as "now answering": any other pinned post of the stage is unpinned first. */
  /**
   * Mutes or unmutes the author of a post on its stage (moderators never see who wrote a post, so
   * they name one of the author's posts). Muting hides the author's pending posts (rejected) and
   * every later post (stored rejected: the author sees it, no one else does); their published posts
   * and counted votes stay unless a moderator rejects or resets them. Answers how many posts it hid.
   */
  public Future<Integer> muteAuthor(String stageId, String postId, boolean muted) {
    return post(stageId, postId).compose(view -> {
      String author = view.post().authorId();
      Future<Void> marked = engine.mute(stageId, author, muted);
      if (!muted) {
        return marked.map(0);
      }
      return marked.compose(v -> engine.posts(stageId)).compose(all -> {
        List<Future<PostView>> hidden = all.stream()
            .filter(p -> p.post().authorId().equals(author) && p.post().state() == org.plenum.stage.PostState.PENDING)
            .map(p -> moderate(stageId, p.post().id(), Post::reject)).toList();
        return Future.all(hidden).map(hidden.size());
      });
    });
  }

  /** Removes the votes of the post's author from every poll of the stage ({@link ParticipantVotes}). */
  Future<ParticipantVotes.Removed> removeAuthorVotes(String stageId, String postId) {
    return post(stageId, postId).compose(view -> new ParticipantVotes(engine).remove(stageId, view.post().authorId()));
  }

  public Future<PostView> pin(String stageId, String postId) {
    return posts(stageId).compose(all -> {
      Future<Void> unpinned = Future.succeededFuture();
      for (PostView v : all) {
        if (v.post().pinned() && !v.post().id().equals(postId)) {
          String other = v.post().id();
          unpinned = unpinned.compose(x -> moderate(stageId, other, p -> p.pin(false)).mapEmpty());
        }
      }
      return unpinned.compose(x -> moderate(stageId, postId, p -> p.pin(true)));
    });
  }

  // ---- reactions -------------------------------------------------------------------------

  public Future<ReactionTotals> reactionTotals(String stageId) {
    return stage(stageId).compose(stage -> engine.reactionTotals(stage.id()));
  }

  public Future<List<ReactionMinute>> reactionTimeline(String stageId) {
    return stage(stageId).compose(stage -> engine.reactionTimeline(stage.id()));
  }

  // ---- talks -----------------------------------------------------------------------------

  /** What a client sends for a talk; checked by {@link #createTalk} and {@link #replaceTalk}. */
  public record TalkSpec(String title, String speakers, Instant startsAt, Instant endsAt) {}

  public Future<List<Talk>> talks(String stageId) {
    return stage(stageId).compose(stage -> engine.talks(stage.id()));
  }

  public Future<Talk> createTalk(String stageId, TalkSpec spec) {
    TalkSpec checked = checkTalk(spec);
    return stage(stageId).compose(stage -> engine.saveTalk(new Talk(Ids.newId("tk"), stage.id(), checked.title(),
        checked.speakers(), checked.startsAt(), checked.endsAt(), Times.now())));
  }

  /** Replaces a talk's fields (its id, stage and creation time stay). */
  public Future<Talk> replaceTalk(String stageId, String talkId, TalkSpec spec) {
    TalkSpec checked = checkTalk(spec);
    return talk(stageId, talkId).compose(old -> engine.saveTalk(new Talk(old.id(), old.stageId(), checked.title(),
        checked.speakers(), checked.startsAt(), checked.endsAt(), old.createdAt())));
  }

  public Future<Void> deleteTalk(String stageId, String talkId) {
    return talk(stageId, talkId).compose(t -> engine.deleteTalk(t.stageId(), t.id()));
  }

  Future<Talk> talk(String stageId, String talkId) {
    return talks(stageId).compose(all -> {
      for (Talk t : all) {
        if (t.id().equals(talkId)) {
          return Future.succeededFuture(t);
        }
      }
      return Future.failedFuture(new PlenumException(ErrorCode.UNKNOWN_TALK, "No talk " + talkId + " on stage " + stageId + "."));
    });
  }

  private static TalkSpec checkTalk(TalkSpec spec) {
    String title = spec.title() == null ? "" : org.plenum.stage.TextRules.clean(spec.title(), "title").strip();
    if (title.isEmpty() || title.length() > Talk.MAX_TITLE) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "title: 1-" + Talk.MAX_TITLE + " characters");
    }
    String speakers = spec.speakers() == null ? null : org.plenum.stage.TextRules.clean(spec.speakers(), "speakers").strip();
    if (speakers != null && speakers.length() > Talk.MAX_SPEAKERS) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "speakers: at most " + Talk.MAX_SPEAKERS + " characters");
    }
    if (speakers != null && speakers.isEmpty()) {
      speakers = null;
    }
    Instant starts = spec.startsAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    Instant ends = spec.endsAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    if (!ends.isAfter(starts)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "endsAt: must be after startsAt");
    }
    if (java.time.Duration.between(starts, ends).compareTo(Talk.MAX_DURATION) > 0) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "endsAt: a talk lasts at most 24 hours");
    }
    return new TalkSpec(title, speakers, starts, ends);
  }

  // ---- moderator access -------------------------------------------------------------------

  /** A new moderator access and its token, which exists only in this answer. */
  public record NewModerator(ModeratorAccess access, String token) {}

  public Future<NewModerator> createModerator(String eventId, String label) {
    String l = label == null ? "" : org.plenum.stage.TextRules.clean(label, "label").strip();
    if (l.isEmpty() || l.length() > ModeratorAccess.MAX_LABEL) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "label: 1-" + ModeratorAccess.MAX_LABEL + " characters");
    }
    String token = ModeratorAccess.newToken();
    return event(eventId).compose(e -> engine.saveModerator(
            new ModeratorAccess(Ids.newId("md"), e.id(), l, ModeratorAccess.hash(token), Times.now())))
        .map(access -> new NewModerator(access, token));
  }

  public Future<List<ModeratorAccess>> moderators(String eventId) {
    return event(eventId).compose(e -> engine.moderators(e.id()));
  }

  public Future<Void> deleteModerator(String eventId, String moderatorId) {
    return event(eventId).compose(e -> Ids.isSafeId(moderatorId)
        ? engine.deleteModerator(e.id(), moderatorId)
        : Future.failedFuture(new PlenumException(ErrorCode.UNKNOWN_MODERATOR, "No moderator access " + moderatorId + ".")));
  }

  /** The moderator access a token belongs to, if it is a live moderator token (compared in constant time). */
  public Future<Optional<ModeratorAccess>> moderatorByToken(String token) {
    if (!ModeratorAccess.looksLikeToken(token)) {
      return Future.succeededFuture(Optional.empty());
    }
    return engine.moderatorByTokenHash(ModeratorAccess.hash(token)).map(found -> found.filter(m -> m.matches(token)));
  }

  // ---- organiser control: edit, duplicate, reorder, delete, reset -----------------------------

  /** The fields of a poll edit; null = keep. Question, options and their rules only while the poll is a draft. */
  public record PollEdit(String question, List<String> options, Integer maxSelections, Integer scale, Boolean resultsVisible) {}

  /**
   * Edits a poll: a draft takes a new question, options, maximum selections or scale (checked by
   * the rules of a new poll); an open or closed poll only a change of results visibility, since
   * votes already count under its options. Anything else is refused ({@code invalid_state}) and
   * nothing changes.
   */
  public Future<Poll> editPoll(String stageId, String pollId, PollEdit edit) {
    return poll(stageId, pollId).compose(p -> {
      boolean visible = edit.resultsVisible() == null ? p.resultsVisible() : edit.resultsVisible();
      if (p.state() != org.plenum.stage.Phase.DRAFT) {
        List<String> labels = p.options().stream().map(org.plenum.stage.PollOption::label).toList();
        boolean same = (edit.question() == null || edit.question().strip().equals(p.question()))
            && (edit.options() == null || edit.options().stream().map(o -> o == null ? "" : o.strip()).toList().equals(labels))
            && (edit.maxSelections() == null || edit.maxSelections() == p.maxSelections())
            && (edit.scale() == null || edit.scale().equals(p.scale()));
        if (!same) {
          return Future.failedFuture(new PlenumException(ErrorCode.INVALID_STATE, "Poll " + p.id() + " is "
              + p.state().wire() + ": its question, options, maxSelections and scale change only while it is a draft"
              + " (duplicate it to ask anew); resultsVisible may change."));
        }
        Poll next = p.withResultsVisible(visible);
        return next.equals(p) ? Future.succeededFuture(p) : engine.savePoll(next);
      }
      List<String> options = edit.options() != null ? edit.options()
          : p.kind() == org.plenum.stage.PollKind.RATING ? null
          : p.options().stream().map(org.plenum.stage.PollOption::label).toList();
      Integer max = edit.maxSelections() != null ? edit.maxSelections()
          : p.kind() == org.plenum.stage.PollKind.MULTIPLE && edit.options() == null ? Integer.valueOf(p.maxSelections()) : null;
      Integer scale = edit.scale() != null ? edit.scale() : p.scale();
      PollSpec spec = new PollSpec(p.kind(), edit.question() == null ? p.question() : edit.question(), options, max,
          p.kind() == org.plenum.stage.PollKind.RATING ? scale : null, visible, false);
      if (p.isQuiz()) { // a quiz draft keeps its key: the correct options by position, the points
        spec = org.plenum.stage.QuizDrafts.keepKey(spec, p);
      }
      Poll fresh = spec.toPoll(p.id(), p.stageId(), p.createdAt());
      return fresh.equals(p) ? Future.succeededFuture(p) : engine.savePoll(fresh);
    });
  }

  /** A new draft with the poll's question, options and rules (no votes), listed last. */
  public Future<Poll> duplicatePoll(String stageId, String pollId) {
    return poll(stageId, pollId).compose(p -> engine.savePoll(new Poll(Ids.newId("pl"), p.stageId(), p.kind(), p.question(),
        p.options(), p.maxSelections(), p.scale(), org.plenum.stage.Phase.DRAFT, p.resultsVisible(), Times.now(), null, null,
        null, p.quiz())));
  }

  /** Deletes a poll; an open-text poll's answers are erased first (their text goes with the question). */
  public Future<Void> deletePoll(String stageId, String pollId) {
    return poll(stageId, pollId).compose(p -> eraseAnswers(p).compose(v -> engine.deletePoll(p.stageId(), p.id())));
  }

  /** One compare-and-set per answer, each retried like any moderation step; nothing for other polls. */
  private Future<Void> eraseAnswers(Poll poll) {
    if (poll.kind() != org.plenum.stage.PollKind.TEXT) {
      return Future.succeededFuture();
    }
    return engine.posts(poll.stageId()).compose(views -> {
      Future<Void> chain = Future.succeededFuture();
      for (PostView v : views) {
        Post answer = v.post();
        if (poll.id().equals(answer.pollId()) && answer.state() != org.plenum.stage.PostState.DELETED) {
          chain = chain.compose(x -> moderate(poll.stageId(), answer.id(), Post::erase).mapEmpty());
        }
      }
      return chain;
    });
  }

  /**
   * Edits a word cloud: its prompt only while a draft; maxEntries may grow at any time (nobody's
   * entries are cut) but shrink only while a draft; results visibility always.
   */
  public Future<WordCloud> editCloud(String stageId, String cloudId, String prompt, Integer maxEntries, Boolean resultsVisible) {
    return cloud(stageId, cloudId).compose(c -> {
      boolean draft = c.phase() == org.plenum.stage.Phase.DRAFT;
      String p = c.prompt();
      if (prompt != null) {
        p = org.plenum.stage.TextRules.clean(prompt, "prompt").strip();
        if (p.isEmpty() || p.length() > WordCloud.MAX_PROMPT) {
          throw new PlenumException(ErrorCode.INVALID_FIELD, "prompt: 1-" + WordCloud.MAX_PROMPT + " characters");
        }
        if (!draft && !p.equals(c.prompt())) {
          throw new PlenumException(ErrorCode.INVALID_STATE, "Word cloud " + c.id() + " is " + c.phase().wire()
              + ": its prompt changes only while it is a draft (duplicate it to ask anew).");
        }
      }
      int max = maxEntries == null ? c.maxEntries() : maxEntries;
      if (max < 1 || max > WordCloud.MAX_ENTRIES) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, "maxEntries: 1 to " + WordCloud.MAX_ENTRIES);
      }
      if (!draft && max < c.maxEntries()) {
        throw new PlenumException(ErrorCode.INVALID_STATE, "Word cloud " + c.id() + " is " + c.phase().wire()
            + ": maxEntries may only grow (from " + c.maxEntries() + ") once it has been opened.");
      }
      WordCloud next = new WordCloud(c.id(), c.stageId(), p, max, c.phase(),
          resultsVisible == null ? c.resultsVisible() : resultsVisible, c.createdAt(), c.openedAt(), c.closedAt());
      return next.equals(c) ? Future.succeededFuture(c) : engine.saveCloud(next);
    });
  }

  public Future<WordCloud> duplicateCloud(String stageId, String cloudId) {
    return cloud(stageId, cloudId).compose(c -> engine.saveCloud(new WordCloud(Ids.newId("wc"), c.stageId(), c.prompt(),
        c.maxEntries(), org.plenum.stage.Phase.DRAFT, c.resultsVisible(), Times.now(), null, null)));
  }

  public Future<Void> deleteCloud(String stageId, String cloudId) {
    return cloud(stageId, cloudId).compose(c -> engine.deleteCloud(c.stageId(), c.id()));
  }

  /**
   * Renames an event and/or sets whether its moderators may export (null = keep); both are
   * checked before anything is read, so bad input changes nothing.
   */
  public Future<Event> editEvent(String eventId, String name, Boolean moderatorsMayExport) {
    String checked = name == null ? null : checkName(name);
    return event(eventId).compose(e -> {
      Event next = checked == null ? e : e.withName(checked);
      return engine.updateEvent(moderatorsMayExport == null ? next : next.withModeratorsMayExport(moderatorsMayExport));
    });
  }

  /**
   * As {@link #editEvent(String, String, Boolean)}, and sets ({@code Optional.of}), removes
   * ({@code Optional.empty}) or keeps ({@code null}) the event's passcode, already checked.
   */
  public Future<Event> editEvent(String eventId, String name, Boolean moderatorsMayExport,
                                 Optional<String> passcode) {
    String checked = name == null ? null : checkName(name);
    return event(eventId).compose(e -> {
      Event next = checked == null ? e : e.withName(checked);
      next = moderatorsMayExport == null ? next : next.withModeratorsMayExport(moderatorsMayExport);
      return engine.updateEvent(passcode == null ? next : next.withPasscode(passcode.orElse(null)));
    });
  }

  /** Renames a stage and/or changes its settings (null = keep). */
  public Future<Stage> editStage(String stageId, String name, UnaryOperator<StageSettings> settings) {
    String checked = name == null ? null : checkName(name);
    return stage(stageId).compose(s -> engine.updateStage(new Stage(s.id(), s.eventId(), checked == null ? s.name() : checked,
        s.code(), s.createdAt(), settings.apply(s.settings()))));
  }

  /**
   * Reorders the stage's polls and/or clouds (null = keep). Both lists are checked against the
   * stage's before either is applied, so a refused request changes nothing.
   */
  public Future<Void> reorder(String stageId, List<String> pollIds, List<String> cloudIds) {
    if (pollIds == null && cloudIds == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "polls or clouds: required (the ids in their new order)");
    }
    return stage(stageId).compose(s -> engine.polls(s.id()).compose(polls -> engine.clouds(s.id()).compose(clouds -> {
      if (pollIds != null) {
        requirePermutation("polls", pollIds, polls.stream().map(Poll::id).toList());
      }
      if (cloudIds != null) {
        requirePermutation("clouds", cloudIds, clouds.stream().map(WordCloud::id).toList());
      }
      Future<Void> done = pollIds == null ? Future.succeededFuture() : engine.reorderPolls(s.id(), pollIds);
      return cloudIds == null ? done : done.compose(v -> engine.reorderClouds(s.id(), cloudIds));
    })));
  }

  public Future<Void> reorderStages(String eventId, List<String> stageIds) {
    return event(eventId).compose(e -> engine.stages(e.id()).compose(stages -> {
      requirePermutation("stages", stageIds, stages.stream().map(Stage::id).toList());
      return engine.reorderStages(e.id(), stageIds);
    }));
  }

  private static void requirePermutation(String field, List<String> given, List<String> existing) {
    if (given.size() != existing.size() || new java.util.HashSet<>(given).size() != given.size()
        || !new java.util.HashSet<>(existing).containsAll(given)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": must list each of the " + existing.size() + " "
          + field + " ids exactly once (the current ones, in their new order)");
    }
  }

  public Future<Void> deleteStage(String stageId) {
    return stage(stageId).compose(s -> engine.deleteStage(s.id()));
  }

  /**
   * Deletes an event and everything of it, if {@code confirm} is its exact name (the confirmation
   * step: a client cannot delete an event by id alone).
   */
  public Future<Void> deleteEvent(String eventId, String confirm) {
    if (confirm == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "confirm: required: the event's exact name, to confirm the deletion");
    }
    return event(eventId).compose(e -> e.name().equals(confirm) ? engine.deleteEvent(e.id())
        : Future.failedFuture(new PlenumException(ErrorCode.INVALID_FIELD,
            "confirm: does not match the event's name; nothing was deleted")));
  }

  public Future<Void> resetStage(String stageId) {
    return stage(stageId).compose(s -> engine.resetStage(s.id()));
  }

  private static String checkName(String name) {
    // cleaned like every text people type: no control characters or direction overrides in names
    String n = name == null ? "" : org.plenum.stage.TextRules.clean(name, "name").strip();
    if (n.isEmpty() || n.length() > MAX_NAME) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "name: 1-" + MAX_NAME + " characters");
    }
    return n;
  }

  private static <T> Future<T> orNotFound(Future<Optional<T>> found, ErrorCode code, String message) {
    return found.compose(o -> o.<Future<T>>map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new PlenumException(code, message))));
  }
}
