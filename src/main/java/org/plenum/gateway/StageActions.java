package org.plenum.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.plenum.engine.Engine;
import org.plenum.engine.VoteAction;
import org.plenum.hub.Audience;
import org.plenum.hub.Hub;
import org.plenum.hub.SharedFrame;
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
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;
import org.plenum.stage.Stage;

/** What the WebSocket actions do: join a stage, vote. Each returns the reply to send. */
final class StageActions {
  private final Engine engine;
  private final Hub hub;
  private final ParticipantTokens tokens;
  private final PlenumMetrics metrics;
  private final byte[] organiserToken;

  StageActions(Engine engine, Hub hub, ParticipantTokens tokens, PlenumMetrics metrics, String organiserToken) {
    this.engine = engine;
    this.hub = hub;
    this.tokens = tokens;
    this.metrics = metrics;
    this.organiserToken = organiserToken.getBytes(StandardCharsets.UTF_8);
  }

  Future<JsonObject> join(ClientSession session, ClientMessage.Join join) {
    if (session.role() != null && session.role() != join.role()) {
      return Future.failedFuture(new PlenumException(ErrorCode.INVALID_FIELD,
          "role: this connection joined as " + session.role().wire() + "; open another connection for another role"));
    }
    if (join.role() == Role.MODERATOR && !isOrganiser(join.auth())) {
      return Future.failedFuture(new PlenumException(ErrorCode.UNAUTHORIZED, "auth: not a valid organiser token"));
    }
    return findStage(join).compose(stage -> enter(session, join, stage));
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
    boolean renewed = false;
    if (session.participantId == null || join.token() != null) {
      String known = tokens.verify(join.token());
      if (known == null && session.participantId == null) {
        session.participantId = Ids.newParticipantId();
        session.token = tokens.issue(session.participantId);
        renewed = true;
      } else if (known != null) {
        session.participantId = known;
        session.token = join.token();
      }
    }
    session.role(join.role());
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
    boolean isRenewed = renewed;
    return hub.enter(stage, session)
        .compose(room -> {
          if (session.isClosed()) {
            hub.leave(stage.id(), session);
            return Future.failedFuture(new PlenumException(ErrorCode.INTERNAL, "closed while joining"));
          }
          session.rooms.put(stage.id(), room);
          return snapshot(session, room, join, isRenewed);
        })
        .onFailure(err -> {
          session.rooms.remove(stage.id());
          hub.leave(stage.id(), session);
          session.releasePushes();
        });
  }

  private Future<JsonObject> snapshot(ClientSession session, StageRoom room, ClientMessage.Join join, boolean renewed) {
    Role role = join.role();
    List<Poll> polls = room.pollsFor(role);
    List<Future<PollResults>> results = new ArrayList<>();
    for (Poll p : polls) {
      boolean visible = role == Role.MODERATOR || p.resultsVisible();
      results.add(visible ? engine.results(p) : Future.succeededFuture(null));
    }
    Future<JsonObject> presence = role == Role.MODERATOR
        ? hub.presenceNow(room).map(p -> Wire.presence(room.stage().id(), p))
        : Future.succeededFuture(null);
    return Future.all(Future.all(results), presence).map(all -> {
      JsonArray snapshot = new JsonArray();
      Audience audience = Audience.of(role);
      List<SharedFrame> newer = new ArrayList<>();
      for (int i = 0; i < polls.size(); i++) {
        PollResults r = results.get(i).result();
        snapshot.add(Wire.pollWithResults(polls.get(i), r));
        if (r != null && room.pushedVersion(audience, r.pollId()) > r.version()) {
          newer.add(room.lastResultsFrame(audience, r.pollId())); // pushed while we read: send it after joined
        }
      }
      JsonObject joined = new JsonObject().put("type", "joined").put("id", join.id()).put("role", role.wire())
          .put("participant", new JsonObject().put("id", session.participantId).put("token", session.token)
              .put("renewed", renewed))
          .put("stage", Wire.stage(room.stage())).put("polls", snapshot);
      if (presence.result() != null) {
        joined.put("presence", presence.result());
      }
      session.reply(joined);
      newer.forEach(frame -> session.push(frame, "results:late"));
      session.releasePushes();
      return null;
    });
  }

  Future<JsonObject> vote(ClientSession session, ClientMessage.Vote vote) {
    if (session.rooms.isEmpty() || session.role() == null) {
      return Future.failedFuture(new PlenumException(ErrorCode.NOT_JOINED, "Join a stage before voting."));
    }
    if (session.role() != Role.VIEWER) {
      return Future.failedFuture(new PlenumException(ErrorCode.FORBIDDEN,
          "A " + session.role().wire() + " session does not vote; join as a viewer."));
    }
    Poll poll = null;
    for (StageRoom room : session.rooms.values()) {
      Poll p = room == null ? null : room.poll(vote.pollId());
      if (p != null && p.isPublic()) {
        poll = p;
      }
    }
    if (poll == null) {
      return Future.failedFuture(new PlenumException(ErrorCode.UNKNOWN_POLL,
          "No poll " + abbreviate(vote.pollId()) + " on this stage."));
    }
    Ballot ballot = poll.ballot(vote.choices(), vote.rating());
    return engine.vote(new VoteAction(poll.stageId(), poll.id(), session.participantId, vote.id(), ballot))
        .map(receipt -> {
          if (receipt.duplicate()) {
            metrics.voteDuplicate();
          } else {
            metrics.voteApplied();
          }
          return ServerMessages.ack(vote.id(), receipt.duplicate());
        });
  }

  private boolean isOrganiser(String auth) {
    return auth != null && MessageDigest.isEqual(organiserToken, auth.getBytes(StandardCharsets.UTF_8));
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
