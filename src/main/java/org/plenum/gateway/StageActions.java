package org.plenum.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.plenum.config.PlenumConfig;
import org.plenum.engine.ConcurrentUpdateException;
import org.plenum.engine.Engine;
import org.plenum.engine.PostAction;
import org.plenum.engine.ReactionAction;
import org.plenum.engine.UpvoteAction;
import org.plenum.engine.VoteAction;
import org.plenum.engine.WordAction;
import org.plenum.hub.Hub;
import org.plenum.hub.StageRoom;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.ClientMessage;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.protocol.Role;
import org.plenum.protocol.ServerMessages;
import org.plenum.protocol.Wire;
import org.plenum.stage.Ballot;
import org.plenum.stage.Ids;
import org.plenum.stage.ModeratorAccess;
import org.plenum.stage.Poll;
import org.plenum.stage.Post;
import org.plenum.stage.PostKind;
import org.plenum.stage.Stage;
import org.plenum.stage.Times;
import org.plenum.stage.TextShape;
import org.plenum.stage.Word;
import org.plenum.stage.WordCloud;
import org.plenum.stage.WordNormalizer;

/** What the WebSocket actions do: join a stage, vote, submit words, post, upvote, delete, react. */
final class StageActions {
  private static final int UPDATE_ATTEMPTS = 5;
  /**
   * Code points a field may have as sent, checked before any normalisation: four times what is
   * kept after cleaning (a word 40, a post 500, a name 60), room for spaces and invisible
   * characters that cleaning removes.
   */
  static final int WORD_BUDGET = 4 * WordNormalizer.MAX_CHARS;
  static final int POST_BUDGET = 4 * Post.MAX_TEXT;
  static final int NAME_BUDGET = 4 * Post.MAX_NAME;

  private final Engine engine;
  private final Hub hub;
  private final ParticipantTokens tokens;
  private final PlenumMetrics metrics;
  private final byte[] organiserToken;
  private final ActionLimits limits;
  private final NodeLimits nodeLimits;
  private final List<String> reactionSet;
  private final org.plenum.config.Rate postRate;

  StageActions(Engine engine, Hub hub, ParticipantTokens tokens, PlenumMetrics metrics, PlenumConfig config, NodeLimits nodeLimits) {
    this.engine = engine;
    this.hub = hub;
    this.tokens = tokens;
    this.metrics = metrics;
    this.organiserToken = config.organiserToken().getBytes(StandardCharsets.UTF_8);
    this.limits = nodeLimits.actions;
    this.nodeLimits = nodeLimits;
    this.reactionSet = config.reactions();
    this.postRate = config.limitPost();
  }

  // ---- join ------------------------------------------------------------------------------

  Future<JsonObject> join(ClientSession session, ClientMessage.Join join) {
    nodeLimits.admitJoin(session.address, System.nanoTime());
    if (session.role() != null && session.role() != join.role()) {
      return Future.failedFuture(new PlenumException(ErrorCode.INVALID_FIELD,
          "role: this connection joined as " + session.role().wire() + "; open another connection for another role"));
    }
    if (join.role() == Role.MODERATOR && !isOrganiser(join.auth())) {
      if (!ModeratorAccess.looksLikeToken(join.auth())) {
        return Future.failedFuture(new PlenumException(ErrorCode.UNAUTHORIZED, join.auth() == null
            ? "auth: a moderator join needs the organiser token or a moderator token" : "auth: not a valid organiser or moderator token"));
      }
      return moderatorJoin(session, join);
    }
    return findStage(join).compose(stage -> enter(session, join, stage));
  }

  /** A moderator token is good for the stages of its own event only; it is checked anew on every join. */
  private Future<JsonObject> moderatorJoin(ClientSession session, ClientMessage.Join join) {
    String token = join.auth();
    return engine.moderatorByTokenHash(ModeratorAccess.hash(token)).compose(found -> {
      ModeratorAccess access = found.filter(m -> m.matches(token)).orElse(null);
      if (access == null) {
        return Future.failedFuture(new PlenumException(ErrorCode.UNAUTHORIZED, "auth: not a valid organiser or moderator token"));
      }
      return findStage(join).compose(stage -> {
        if (!access.eventId().equals(stage.eventId())) {
          return Future.failedFuture(new PlenumException(ErrorCode.UNAUTHORIZED, "auth: this moderator token is for another event"));
        }
        session.moderatorId = access.id(); // a revocation of this access closes the session
        return enter(session, join, stage);
      });
    });
  }

  private Future<Stage> findStage(ClientMessage.Join join) {
    Future<Optional<Stage>> found = join.stageId() != null
        ? (Ids.isSafeId(join.stageId()) ? engine.stage(join.stageId()) : Future.succeededFuture(Optional.empty()))
        : engine.stageByCode(join.code().strip().toUpperCase(Locale.ROOT));
    return found.compose(stage -> stage.<Future<Stage>>map(Future::succeededFuture).orElseGet(() ->
        Future.failedFuture(new PlenumException(ErrorCode.UNKNOWN_STAGE, join.stageId() != null
            ? "No stage with id " + abbreviate(join.stageId()) + "."
            : "No stage with join code " + abbreviate(join.code()) + "."))));
  }

  private Future<JsonObject> enter(ClientSession session, ClientMessage.Join join, Stage stage) {
    return admitToEvent(session, join, stage)
        .compose(v -> admitNewcomer(session, join, stage)).compose(v -> enterAdmitted(session, join, stage));
  }

  /**
   * A closed event's passcode (issue 12), checked on every viewer and presenter join, before any
   * participant is issued or anything of the stage is shown. Exempt: moderator joins (already
   * authenticated) and audience joins whose {@code auth} is the organiser token or a moderator
   * token of this event (a projector opened by a moderator). Wrong attempts count per address.
   */
  private Future<Void> admitToEvent(ClientSession session, ClientMessage.Join join, Stage stage) {
    if (join.role() == Role.MODERATOR) {
      return Future.succeededFuture();
    }
    return engine.event(stage.eventId()).compose(found -> {
      if (found.isEmpty() || !found.get().closed()) {
        return Future.succeededFuture();
      }
      org.plenum.stage.Event event = found.get();
      return staffOf(event, join.auth()).compose(staff -> {
        if (!staff) {
          nodeLimits.passcodeAttempts().admit(event, join.passcode(), session.address, System.nanoTime());
        }
        return Future.<Void>succeededFuture();
      });
    });
  }

  /** Whether {@code auth} is the organiser token or a live moderator token of {@code event}. */
  private Future<Boolean> staffOf(org.plenum.stage.Event event, String auth) {
    if (isOrganiser(auth)) {
      return Future.succeededFuture(true);
    }
    if (!ModeratorAccess.looksLikeToken(auth)) {
      return Future.succeededFuture(false);
    }
    return engine.moderatorByTokenHash(ModeratorAccess.hash(auth))
        .map(m -> m.filter(a -> a.matches(auth) && a.eventId().equals(event.id())).isPresent());
  }

  /**
   * A viewer or presenter join that will issue a new participant takes one from the address's
   * budget of new participants: first the node's, then (Redis engine) the deployment's for this
   * stage, so several nodes behind a load balancer do not multiply it. Anything else passes.
   */
  private Future<Void> admitNewcomer(ClientSession session, ClientMessage.Join join, Stage stage) {
    if (join.role() == Role.MODERATOR || session.participantId != null || tokens.verify(join.token()) != null) {
      return Future.succeededFuture();
    }
    nodeLimits.admitNewParticipant(session.address, System.nanoTime());
    org.plenum.config.Rate rate = nodeLimits.newParticipantsPerAddress();
    return engine.takeAllowance(stage.id(), "new-participants:" + session.address, rate.count(), rate.seconds())
        .compose(wait -> wait > 0
            ? Future.failedFuture(new PlenumException(ErrorCode.RATE_LIMITED,
                "Too many new participants from your network address; retry in " + wait + " ms.", wait))
            : Future.succeededFuture());
  }

  private Future<JsonObject> enterAdmitted(ClientSession session, ClientMessage.Join join, Stage stage) {
    boolean renewed = identify(session, join.token(), join.role());
    session.role(join.role());
    session.source = join.source();
    if (join.role() != Role.MODERATOR) {
      for (String other : new ArrayList<>(session.rooms.keySet())) {
        if (!other.equals(stage.id())) {
          session.rooms.remove(other);
          hub.leave(other, session);
        }
      }
    }
    if (session.rooms.containsKey(stage.id())) {
      hub.leave(stage.id(), session); // a repeated join refreshes the snapshot
    }
    session.rooms.put(stage.id(), null);
    session.holdPushes();
    return hub.enter(stage, session)
        .compose(room -> {
          if (session.isClosed()) {
            return Future.failedFuture(new PlenumException(ErrorCode.INTERNAL, "closed while joining"));
          }
          session.rooms.put(stage.id(), room);
          return snapshot(session, room, join, renewed);
        })
        .onFailure(err -> {
          session.rooms.remove(stage.id());
          hub.leave(stage.id(), session);
          session.releasePushes();
        });
  }

  /**
   * Sets the session's participant from a valid token, or issues a new one (admitted before, by
   * {@link #admitNewcomer}); true if new. Audience sessions count against the participant's open
   * connections; moderators are authenticated and exempt. A refusal changes nothing.
   */
  private boolean identify(ClientSession session, String token, Role role) {
    boolean audience = role != Role.MODERATOR;
    String known = tokens.verify(token);
    if (known != null) {
      if (audience) {
        session.holdParticipantSlot(known, nodeLimits.connectionsByParticipant);
      }
      session.participantId = known;
      session.token = token;
      return false;
    }
    if (session.participantId != null) {
      if (audience) {
        session.holdParticipantSlot(session.participantId, nodeLimits.connectionsByParticipant);
      }
      return false;
    }
    String fresh = Ids.newParticipantId();
    if (audience) {
      session.holdParticipantSlot(fresh, nodeLimits.connectionsByParticipant);
    }
    session.participantId = fresh;
    session.token = tokens.issue(session.participantId);
    return true;
  }

  private Future<JsonObject> snapshot(ClientSession session, StageRoom room, ClientMessage.Join join, boolean renewed) {
    Role role = join.role();
    Future<JsonObject> parts = hub.snapshot(room, session, role, session.participantId);
    Future<JsonObject> presence = role == Role.MODERATOR
        ? hub.presenceNow(room).map(p -> Wire.presence(room.stage().id(), p))
        : Future.succeededFuture(null);
    return Future.all(parts, presence).map(all -> {
      JsonObject joined = new JsonObject().put("type", "joined").put("id", join.id()).put("role", role.wire())
          .put("participant", new JsonObject().put("id", session.participantId).put("token", session.token)
              .put("renewed", renewed))
          .put("stage", Wire.stage(room.stage()))
          // the server's clock, so a client can count poll timers down to closesAt whatever its own clock says
          .put("serverTime", Wire.time(org.plenum.stage.Times.now()));
      joined.mergeIn(parts.result());
      if (presence.result() != null) {
        joined.put("presence", presence.result());
      }
      session.reply(joined);
      session.joined();
      hub.joined(room, session); // the pushes since it entered, newer than what joined showed
      session.releasePushes();
      return null;
    });
  }

  // ---- audience actions ------------------------------------------------------------------

  Future<JsonObject> vote(ClientSession session, ClientMessage.Vote vote) {
    StageRoom room = requireViewer(session, "vote");
    return findPoll(room, vote.pollId()).compose(poll -> {
      if (poll == null || !poll.isPublic()) {
        throw new PlenumException(ErrorCode.UNKNOWN_POLL, "No poll " + abbreviate(vote.pollId()) + " on this stage.");
      }
      Ballot ballot = poll.ballot(vote.choices(), vote.rating());
      limits.acquire(session.participantId, vote.id(), ActionLimits.Kind.VOTE, System.nanoTime());
      VoteAction action = new VoteAction(poll.stageId(), poll.id(), session.participantId, vote.id(), ballot);
      return poll.isQuiz() ? engine.answer(action, poll) : engine.vote(action); // a quiz answer is scored too
    }).map(receipt -> {
      limits.applied(session.participantId, vote.id());
      if (receipt.duplicate()) {
        metrics.voteDuplicate();
      } else {
        metrics.voteApplied();
      }
      return ServerMessages.ack(vote.id(), receipt.duplicate());
    });
  }

  /**
   * The room's cached poll, or the engine's when the cache has not caught up yet: a client may
   * vote with an id it learned elsewhere (the REST answer) a moment before this loop's reload.
   */
  private Future<Poll> findPoll(StageRoom room, String pollId) {
    Poll cached = room.poll(pollId);
    if (cached != null || !Ids.isSafeId(pollId)) {
      return Future.succeededFuture(cached);
    }
    return engine.poll(room.stage().id(), pollId).map(found -> found.orElse(null));
  }

  private Future<WordCloud> findCloud(StageRoom room, String cloudId) {
    WordCloud cached = room.cloud(cloudId);
    if (cached != null || !Ids.isSafeId(cloudId)) {
      return Future.succeededFuture(cached);
    }
    return engine.cloud(room.stage().id(), cloudId).map(found -> found.orElse(null));
  }

  Future<JsonObject> word(ClientSession session, ClientMessage.Word word) {
    StageRoom room = requireViewer(session, "submit words");
    TextShape.check(word.text(), "text", WORD_BUDGET);
    Word entry = WordNormalizer.normalize(word.text());
    return findCloud(room, word.cloudId()).compose(cloud -> {
      if (cloud == null || !cloud.isPublic()) {
        throw new PlenumException(ErrorCode.UNKNOWN_CLOUD, "No word cloud " + abbreviate(word.cloudId()) + " on this stage.");
      }
      room.blocklist().check(entry);
      limits.acquire(session.participantId, word.id(), ActionLimits.Kind.WORD, System.nanoTime());
      return engine.submitWord(new WordAction(cloud.stageId(), cloud.id(), session.participantId, word.id(),
          entry.key(), entry.spelling(), cloud.maxEntries()));
    }).map(receipt -> {
      limits.applied(session.participantId, word.id());
      return ServerMessages.ack(word.id(), receipt.duplicate()).put("key", entry.key());
    });
  }

  /**
   * The stage's settings are read from the engine, not from this loop's cache: a change of
   * moderation is in force for the next post once the REST call that made it has returned,
   * before this loop has heard of the change.
   */
  Future<JsonObject> post(ClientSession session, ClientMessage.Post message) {
    StageRoom room = requireViewer(session, "post");
    TextShape.check(message.text(), "text", POST_BUDGET);
    TextShape.check(message.name(), "name", NAME_BUDGET);
    PostKind kind = PostKind.parse(message.kind());
    if (kind == PostKind.ANSWER) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "kind: an answer is sent as type answer, with the poll's id");
    }
    room.blocklist().checkText(message.text(), "text");
    room.blocklist().checkText(message.name(), "name");
    String stageId = room.stage().id();
    return engine.stage(stageId).compose(found -> engine.isMuted(stageId, session.participantId)
        .compose(muted -> post(session, message, kind, found.orElse(room.stage()), muted)));
  }

  private Future<JsonObject> post(ClientSession session, ClientMessage.Post message, PostKind kind, Stage stage,
                                  boolean muted) {
    Post created = Post.create(Ids.newId("qa"), stage.id(), kind, session.participantId, message.name(),
        message.text(), stage.settings(), Times.now());
    return submit(session, message.id(), stage, muted ? created.fromMutedAuthor() : created);
  }

  /**
   * A written answer to an open-text poll: a post of kind answer, so it is checked, rate-limited,
   * moderated and hidden (muted author) exactly as a comment is; whether the poll is open is the
   * engine's to decide, in the step that stores it.
   */
  Future<JsonObject> answer(ClientSession session, ClientMessage.Answer message) {
    StageRoom room = requireViewer(session, "answer");
    TextShape.check(message.text(), "text", POST_BUDGET);
    TextShape.check(message.name(), "name", NAME_BUDGET);
    room.blocklist().checkText(message.text(), "text");
    room.blocklist().checkText(message.name(), "name");
    String stageId = room.stage().id();
    return findPoll(room, message.pollId()).compose(poll -> {
      if (poll == null || !poll.isPublic()) {
        throw new PlenumException(ErrorCode.UNKNOWN_POLL, "No poll " + abbreviate(message.pollId()) + " on this stage.");
      }
      org.plenum.stage.OpenTextRules.requireTextPoll(poll);
      return engine.stage(stageId).compose(found -> engine.isMuted(stageId, session.participantId).compose(muted -> {
        Stage stage = found.orElse(room.stage());
        Post created = Post.answer(Ids.newId("qa"), stageId, poll.id(), session.participantId, message.name(),
            message.text(), stage.settings(), Times.now());
        return submit(session, message.id(), stage, muted ? created.fromMutedAuthor() : created);
      }));
    });
  }

  private Future<JsonObject> submit(ClientSession session, String actionId, Stage stage, Post post) {
    boolean counted = limits.acquire(session.participantId, actionId, ActionLimits.Kind.POST, System.nanoTime());
    // posts are what every node shows everyone: their limit holds across the deployment's nodes
    // (a resend this node knows was applied takes nothing: it is answered as a duplicate)
    Future<Long> global = counted
        ? engine.takeAllowance(stage.id(), "post:" + session.participantId, postRate.count(), postRate.seconds())
        : Future.succeededFuture(0L);
    return global
        .compose(wait -> wait > 0
            ? Future.failedFuture(new PlenumException(ErrorCode.RATE_LIMITED, "Too many post actions; retry in " + wait + " ms.", wait))
            : engine.submitPost(new PostAction(actionId, post)))
        .map(receipt -> {
          limits.applied(session.participantId, actionId);
          return ServerMessages.postAck(actionId, receipt.duplicate(), receipt.postId());
        });
  }

  Future<JsonObject> upvote(ClientSession session, ClientMessage.Upvote upvote) {
    StageRoom room = requireViewer(session, "upvote");
    return findPost(room, upvote.postId()).compose(view -> {
      if (view == null || !(view.post().isPublic() || view.post().authorId().equals(session.participantId))) {
        throw new PlenumException(ErrorCode.UNKNOWN_POST, "No question " + abbreviate(upvote.postId()) + " on this stage.");
      }
      if (view.post().kind() != PostKind.QUESTION) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, "postId: only questions can be upvoted");
      }
      limits.acquire(session.participantId, upvote.id(), ActionLimits.Kind.UPVOTE, System.nanoTime());
      return engine.upvote(new UpvoteAction(room.stage().id(), upvote.postId(), session.participantId, upvote.id(), upvote.up()));
    }).map(receipt -> {
      limits.applied(session.participantId, upvote.id());
      return ServerMessages.ack(upvote.id(), receipt.duplicate());
    });
  }

  /** The room's cached post, or (for one posted a moment ago, before the next tick) the engine's. */
  private Future<org.plenum.stage.PostView> findPost(StageRoom room, String postId) {
    var cached = room.post(postId);
    if (cached != null || !Ids.isSafeId(postId)) {
      return Future.succeededFuture(cached);
    }
    return engine.post(room.stage().id(), postId).map(found -> found.orElse(null));
  }

  Future<JsonObject> delete(ClientSession session, ClientMessage.Delete delete) {
    StageRoom room = requireViewer(session, "delete posts");
    return deleteOwn(room.stage().id(), delete.postId(), session.participantId, 0)
        .map(v -> ServerMessages.ack(delete.id(), false));
  }

  /** Compare-and-set with a few retries: a moderator may change the post at the same moment. */
  private Future<Void> deleteOwn(String stageId, String postId, String participantId, int attempt) {
    return engine.post(stageId, postId).compose(found -> {
      if (found.isEmpty() || !found.get().post().authorId().equals(participantId)) {
        return Future.failedFuture(new PlenumException(ErrorCode.UNKNOWN_POST, "You have no post " + abbreviate(postId) + " here."));
      }
      Post current = found.get().post();
      if (current.state() == org.plenum.stage.PostState.DELETED) {
        return Future.succeededFuture(); // deleting twice is deleting once
      }
      return engine.updatePost(current, current.deleteByAuthor(participantId)).<Void>mapEmpty()
          .recover(err -> err instanceof ConcurrentUpdateException && attempt < UPDATE_ATTEMPTS
              ? deleteOwn(stageId, postId, participantId, attempt + 1)
              : Future.failedFuture(err));
    });
  }

  Future<JsonObject> react(ClientSession session, ClientMessage.React react) {
    StageRoom room = requireViewer(session, "react");
    if (!reactionSet.contains(react.emoji())) {
      throw new PlenumException(ErrorCode.UNKNOWN_REACTION, "emoji: one of " + String.join(" ", reactionSet));
    }
    limits.acquire(session.participantId, react.id(), ActionLimits.Kind.REACTION, System.nanoTime());
    long minute = org.plenum.stage.ReactionTally.minuteOf(Times.now());
    return engine.react(new ReactionAction(room.stage().id(), session.participantId, react.id(), react.emoji(), minute))
        .map(receipt -> {
          limits.applied(session.participantId, react.id());
          return ServerMessages.ack(react.id(), receipt.duplicate());
        });
  }

  /**
   * A viewer's response to a talk's feedback survey (issue 12): checked by the survey's rules
   * ({@link org.plenum.stage.Survey#response}: the poll's for ratings and choices) before anything
   * is stored, limited like a vote, applied by the engine in one step (a resubmission replaces the
   * participant's response while the survey is open; a retried id counts once).
   */
  Future<JsonObject> survey(ClientSession session, ClientMessage.SurveyAnswers answers) {
    StageRoom room = requireViewer(session, "answer a survey");
    String stageId = room.stage().id();
    if (!Ids.isSafeId(answers.talkId())) {
      throw new PlenumException(ErrorCode.UNKNOWN_SURVEY, "No feedback survey for talk " + abbreviate(answers.talkId()) + " on this stage.");
    }
    return engine.survey(stageId, answers.talkId()).compose(found -> {
      org.plenum.stage.Survey survey = found.orElse(null);
      if (survey == null || survey.state() == org.plenum.stage.Phase.DRAFT) {
        throw new PlenumException(ErrorCode.UNKNOWN_SURVEY, "No feedback survey for talk " + abbreviate(answers.talkId()) + " on this stage.");
      }
      org.plenum.stage.SurveyResponse response = survey.response(answers.answers());
      limits.acquire(session.participantId, answers.id(), ActionLimits.Kind.VOTE, System.nanoTime());
      return engine.respond(new org.plenum.engine.SurveyAction(stageId, answers.talkId(), session.participantId,
          answers.id(), response)).map(receipt -> {
            limits.applied(session.participantId, answers.id());
            return ServerMessages.ack(answers.id(), receipt.duplicate());
          });
    });
  }

  /**
   * An action answered {@code outcome_unknown} may have been applied: its resend under the same id
   * passes the per-participant limits free, as the resend of an applied action does, so the client
   * gets its (duplicate) ack rather than {@code rate_limited}.
   */
  void outcomeUnknown(ClientSession session, String actionId) {
    if (session.participantId != null && actionId != null) {
      limits.applied(session.participantId, actionId);
    }
  }

  /** A page of older posts of a stage this session has joined, in any role. */
  Future<JsonObject> posts(ClientSession session, ClientMessage.Posts page) {
    StageRoom room = session.rooms.get(page.stageId());
    if (room == null) {
      throw new PlenumException(ErrorCode.NOT_JOINED, "Join stage " + abbreviate(page.stageId()) + " before you ask for its posts.");
    }
    int limit = page.limit() == null ? Integer.MAX_VALUE : page.limit();
    return hub.postsPage(room, session.role(), session.participantId, page.before(), limit)
        .map(out -> new JsonObject().put("type", "page").put("id", page.id()).put("stageId", page.stageId())
            .mergeIn(out));
  }

  /** The viewer's stage (viewers are on one stage at a time); refuses sessions that may not act. */
  StageRoom requireViewer(ClientSession session, String what) {
    if (session.rooms.isEmpty() || session.role() == null) {
      throw new PlenumException(ErrorCode.NOT_JOINED, "Join a stage before you " + what + ".");
    }
    if (session.role() != Role.VIEWER) {
      throw new PlenumException(ErrorCode.FORBIDDEN,
          "A " + session.role().wire() + " session does not " + what + "; join as a viewer.");
    }
    StageRoom room = session.rooms.values().iterator().next();
    if (room == null) {
      throw new PlenumException(ErrorCode.NOT_JOINED, "Still joining; wait for joined.");
    }
    return room;
  }

  private boolean isOrganiser(String auth) {
    return auth != null && MessageDigest.isEqual(organiserToken, auth.getBytes(StandardCharsets.UTF_8));
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
