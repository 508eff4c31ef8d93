package org.plenum.export;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.plenum.PlenumServer;
import org.plenum.api.Catalog;
import org.plenum.engine.Engine;
import org.plenum.engine.PostAction;
import org.plenum.engine.ReactionAction;
import org.plenum.engine.UpvoteAction;
import org.plenum.engine.VoteAction;
import org.plenum.engine.WordAction;
import org.plenum.stage.Ids;
import org.plenum.stage.Poll;
import org.plenum.stage.PollKind;
import org.plenum.stage.PollSpec;
import org.plenum.stage.Post;
import org.plenum.stage.PostKind;
import org.plenum.stage.Stage;
import org.plenum.stage.StageSettings;
import org.plenum.stage.WordCloud;
import org.plenum.testing.RedisServerProcess;
import org.plenum.testing.TestServer;

/**
 * Not a test: fills one stage of a real server with {@code interactions} interactions through
 * the engine (a quarter each: posts, upvotes, votes; an eighth each: word entries, reactions
 * spread over two days of minutes), then downloads every export over HTTP, reading the body as
 * it comes and throwing it away (the statistics tables and the JSON Lines interaction log included),
 * while sampling the server's heap every 10 ms. Run it with a
 * small fixed heap ({@code -Xmx}) to show the export fits in it; see load-tests/export-bench.sh.
 *
 * <p>Usage: {@code ExportBenchmark memory|redis [interactions]}.
 */
public final class ExportBenchmark {
  private ExportBenchmark() {}

  public static void main(String[] args) throws Exception {
    String engineName = args.length > 0 ? args[0] : "memory";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    RedisServerProcess redis = engineName.equals("redis") ? RedisServerProcess.start() : null;
    Vertx vertx = Vertx.vertx();
    try {
      Map<String, String> env = redis == null ? Map.of()
          : Map.of("PLENUM_ENGINE", "redis", "PLENUM_REDIS_URL", redis.url(), "PLENUM_NODE_ID", "bench");
      PlenumServer server = await(TestServer.start(vertx, env));
      Engine engine = server.engine();
      Catalog catalog = server.catalog();
      long t0 = System.nanoTime();
      String eventId = await(catalog.createEvent("Benchmark-Kongress")).id();
      Stage stage = await(catalog.createStage(eventId, "Hauptbühne"));
      Instant start = Instant.now().minus(2, ChronoUnit.DAYS);
      await(catalog.createTalk(stage.id(), new Catalog.TalkSpec("Tag 1", "Viele", start, start.plus(20, ChronoUnit.HOURS))));
      List<Poll> polls = new ArrayList<>();
      for (PollKind kind : PollKind.values()) {
        polls.add(await(catalog.createPoll(stage.id(), new PollSpec(kind, "Frage " + kind,
            kind == PollKind.RATING ? null : List.of("Ja", "Nein", "Vielleicht", "Egal"), null, kind == PollKind.RATING ? 10 : null,
            true, true))));
      }
      WordCloud cloud = await(catalog.createCloud(stage.id(), "Ein Wort?", 3, true, true));
      int posts = n / 4;
      int upvotes = n / 4;
      int votes = n / 4;
      int words = n / 8;
      int reactions = n - posts - upvotes - votes - words;
      List<String> postIds = new ArrayList<>(posts);
      for (int i = 0; i < posts; i++) {
        postIds.add(Ids.newId("qa"));
      }
      fill(posts, i -> engine.submitPost(new PostAction("p" + i, Post.create(postIds.get(i), stage.id(),
          i % 4 == 3 ? PostKind.COMMENT : PostKind.QUESTION, "pt" + i, i % 2 == 0 ? "Name " + i : null,
          "Frage Nummer " + i + ": Wie geht es mit der Verwaltungsdigitalisierung weiter; \"konkret\"?",
          StageSettings.DEFAULT, start.plusSeconds(i)))));
      fill(upvotes, i -> engine.upvote(new UpvoteAction(stage.id(), postIds.get(i % 1000), "pu" + i, "u" + i, true)));
      fill(votes, i -> {
        Poll p = polls.get(i % 3);
        List<String> choice = p.kind() == PollKind.RATING ? List.of(String.valueOf(1 + i % 10)) : List.of(p.choiceKeys().get(i % 4));
        return engine.vote(new VoteAction(stage.id(), p.id(), "pv" + i, "v" + i, p.ballot(
            p.kind() == PollKind.RATING ? null : choice, p.kind() == PollKind.RATING ? 1 + i % 10 : null)));
      });
      fill(words, i -> engine.submitWord(new WordAction(stage.id(), cloud.id(), "pw" + i, "w" + i, "wort" + (i % 5000),
          "Wort" + (i % 5000), 3)));
      List<String> emoji = List.of("👏", "❤️", "😂", "😮", "👍", "🤔");
      fill(reactions, i -> engine.react(new ReactionAction(stage.id(), "pr" + i, "r" + i, emoji.get(i % 6),
          start.plus(i % 2880, ChronoUnit.MINUTES).getEpochSecond())));
      System.out.printf("engine %s: filled %d interactions (%d posts, %d upvotes, %d votes, %d words, %d reactions) in %.1f s%n",
          engineName, n, posts, upvotes, votes, words, reactions, (System.nanoTime() - t0) / 1e9);

      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      HttpClient client = vertx.createHttpClient();
      for (String query : List.of("format=json", "format=xlsx", "format=csv&kind=posts", "format=csv&kind=timeline&separator=semicolon",
          "format=csv&kind=activity", "format=csv&kind=summary", "format=jsonl")) {
        System.gc();
        long base = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(base);
        long sampler = vertx.setPeriodic(10, id -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max));
        long s = System.nanoTime();
        AtomicLong bytes = new AtomicLong();
        int status = await(client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                .setPort(server.port()).setURI("/api/v1/events/" + eventId + "/export?" + query)
                .putHeader("Authorization", "Bearer " + TestServer.ORGANISER_TOKEN))
            .compose(req -> req.send().compose(resp -> {
              resp.handler(b -> bytes.addAndGet(b.length()));
              return resp.end().map(v -> resp.statusCode());
            })));
        double secs = (System.nanoTime() - s) / 1e9;
        vertx.cancelTimer(sampler);
        System.out.printf("  %-45s HTTP %d, %,12d bytes in %6.2f s; heap after GC before %6.1f MiB, peak during %6.1f MiB, max %6.1f MiB%n",
            query, status, bytes.get(), secs, base / 1048576.0, peak.get() / 1048576.0,
            memory.getHeapMemoryUsage().getMax() / 1048576.0);
      }
      await(server.stop());
    } finally {
      await(vertx.close());
      if (redis != null) {
        redis.close();
      }
    }
  }

  /** Runs {@code count} engine writes, at most 256 at a time. */
  private static void fill(int count, IntFunction<Future<?>> write) {
    int window = 256;
    for (int from = 0; from < count; from += window) {
      List<Future<?>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + window); i++) {
        batch.add(write.apply(i));
      }
      await(Future.all(batch));
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
