package org.plenum.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.plenum.engine.Engine;
import org.plenum.stage.Ballot;
import org.plenum.stage.Interaction;
import org.plenum.stage.Poll;
import org.plenum.stage.PollKind;
import org.plenum.stage.PollOption;
import org.plenum.stage.Post;
import org.plenum.stage.PostState;
import org.plenum.stage.PostView;
import org.plenum.stage.Stage;
import org.plenum.stage.Talk;

/**
 * The raw interaction log as JSON Lines ({@code format=jsonl}): one line per accepted interaction of
 * the stages in scope, stage by stage, each in the order it was accepted, from each stage's interaction
 * log ({@link org.plenum.engine.StatisticsStore#interactions}: the newest
 * {@link org.plenum.engine.StatisticsStore#MAX_LOG} per stage). Participants appear only as
 * pseudonyms: HMAC-SHA256 of the participant id under a random key made for this one export and then
 * forgotten, so a person's lines can be followed within one file but not linked across two exports or
 * back to the id. No address or user agent exists to leak: Plenum stores none. A post's text is the
 * post's current one, and left out for a post deleted by its author or rejected by a moderator.
 *
 * <p>Streams like the table exports: a page of {@link StatisticsRows#LOG_PAGE} interactions is read
 * on the event loop, written on the export pool's worker, then the next page is read.
 */
public final class InteractionLogExporter {
  private static final Logger LOG = Logger.getLogger(InteractionLogExporter.class.getName());
  private static final JsonFactory FACTORY = new JsonFactory();
  public static final String CONTENT_TYPE = "application/x-ndjson";

  private final Vertx vertx;
  private final Engine engine;
  private final WorkerExecutor writers;

  public InteractionLogExporter(Vertx vertx, Engine engine) {
    this.vertx = vertx;
    this.engine = engine;
    // the table exports' pool (shared by name): the same bound on threads held by slow clients
    this.writers = vertx.createSharedWorkerExecutor("plenum-export", Exporter.WRITERS,
        ResponseOutputStream.STALL_SECONDS + 30, TimeUnit.SECONDS);
  }

  /** What a stage's lines refer to, read once before its log: poll options and posts. */
  private record StageFacts(Stage stage, Map<String, Poll> polls, Map<String, Post> posts) {}

  public Future<Void> export(ExportScope scope, String fileName, HttpServerResponse response) {
    Context context = vertx.getOrCreateContext();
    response.setChunked(true).setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("Content-Disposition", "attachment; filename=\"" + fileName + ".jsonl\"");
    ResponseOutputStream out = new ResponseOutputStream(context, response);
    Pseudonyms pseudonyms = new Pseudonyms();
    Future<JsonGenerator> opened = writers.executeBlocking(() -> {
      JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8);
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      return json;
    }, false);
    return opened.compose(json -> {
      Future<Void> done = Future.succeededFuture();
      for (Stage stage : scope.stages()) {
        // one page in memory at a time: the next is read once this one is written
        done = done.compose(v -> facts(stage)).compose(facts -> pages(scope, facts, json, pseudonyms, 0));
      }
      return done.compose(v -> writers.executeBlocking(() -> {
        json.flush();
        out.flush();
        return null;
      }, false));
    }).compose(v -> response.end()).recover(err -> {
      if (response.headWritten()) {
        LOG.warning("interaction log export broken off after " + out.written() + " bytes: " + err);
        response.reset();
        return Future.succeededFuture();
      }
      response.headers().remove("Content-Disposition");
      return Future.failedFuture(err);
    });
  }

  private Future<StageFacts> facts(Stage stage) {
    return engine.polls(stage.id()).compose(polls -> engine.posts(stage.id()).map(posts -> {
      Map<String, Poll> byId = new HashMap<>();
      polls.forEach(p -> byId.put(p.id(), p));
      Map<String, Post> postsById = new HashMap<>();
      for (PostView v : posts) {
        postsById.put(v.post().id(), v.post());
      }
      return new StageFacts(stage, byId, postsById);
    }));
  }

  private Future<Void> pages(ExportScope scope, StageFacts facts, JsonGenerator json, Pseudonyms pseudonyms, long offset) {
    return engine.interactions(facts.stage().id(), offset, StatisticsRows.LOG_PAGE).compose(page ->
        writers.executeBlocking(() -> {
          for (Interaction i : page) {
            Talk talk = scope.programme(facts.stage().id()).at(i.at());
            if (scope.covers(talk)) {
              line(json, scope, facts, talk, i, pseudonyms);
            }
          }
          json.flush();
          return null;
        }, false).compose(v -> page.size() < StatisticsRows.LOG_PAGE ? Future.succeededFuture()
            : pages(scope, facts, json, pseudonyms, offset + page.size())));
  }

  private static void line(JsonGenerator json, ExportScope scope, StageFacts facts, Talk talk, Interaction i,
                           Pseudonyms pseudonyms) throws IOException {
    json.writeStartObject();
    json.writeStringField("at", i.at().toString());
    json.writeStringField("eventId", scope.event().id());
    json.writeStringField("stageId", facts.stage().id());
    json.writeStringField("talkId", talk == null ? null : talk.id());
    json.writeStringField("kind", i.kind().wire());
    json.writeStringField("targetId", i.targetId());
    json.writeStringField("participant", pseudonyms.of(i.participantId()));
    switch (i.kind()) {
      case VOTES -> {
        Poll poll = facts.polls().get(i.targetId());
        List<String> keys = Ballot.decode(i.detail()).keys();
        if (poll != null && poll.kind() == PollKind.RANKING) {
          keys = org.plenum.stage.RankingBallot.order(Ballot.decode(i.detail())); // the order, best first
        }
        if (poll != null && poll.kind() == PollKind.RATING && keys.size() == 1) {
          json.writeNumberField("rating", Integer.parseInt(keys.get(0)));
        } else {
          json.writeArrayFieldStart("choices");
          for (String k : keys) {
            json.writeString(k);
          }
          json.writeEndArray();
          json.writeArrayFieldStart("options");
          for (String k : keys) {
            json.writeString(label(poll, k));
          }
          json.writeEndArray();
        }
      }
      case WORDS -> json.writeStringField("word", i.detail());
      case QUESTIONS, COMMENTS, FEEDBACK -> {
        Post post = facts.posts().get(i.targetId());
        boolean gone = post == null || post.state() == PostState.DELETED || post.state() == PostState.REJECTED;
        json.writeStringField("text", gone ? null : post.text());
      }
      case UPVOTES -> json.writeBooleanField("up", "up".equals(i.detail()));
      case ANSWERS -> {
        Post post = facts.posts().get(i.targetId());
        boolean gone = post == null || post.state() == PostState.DELETED || post.state() == PostState.REJECTED;
        json.writeStringField("pollId", post == null ? null : post.pollId());
        json.writeStringField("text", gone ? null : post.text());
      }
      case REACTIONS -> json.writeStringField("emoji", i.detail());
      default -> throw new IllegalStateException("unknown interaction kind " + i.kind());
    }
    json.writeEndObject();
    json.writeRaw('\n');
  }

  private static String label(Poll poll, String key) {
    if (poll != null) {
      for (PollOption o : poll.options()) {
        if (o.id().equals(key)) {
          return o.label();
        }
      }
    }
    return key;
  }

  /** Per-export pseudonyms: a keyed hash under a random key that lives as long as the export. */
  static final class Pseudonyms {
    private final Mac mac;
    private final Map<String, String> cache = new HashMap<>();

    Pseudonyms() {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      try {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }

    /** Only ever called by the export's one writer step at a time. */
    String of(String participantId) {
      if (cache.size() > 100_000) {
        cache.clear(); // bounded: recomputing is cheap
      }
      return cache.computeIfAbsent(participantId, id -> "p-" + Base64.getUrlEncoder().withoutPadding()
          .encodeToString(Arrays.copyOf(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)), 12)));
    }
  }
}
