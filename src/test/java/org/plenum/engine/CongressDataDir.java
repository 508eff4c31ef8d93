package org.plenum.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.stage.Event;
import org.plenum.stage.Ids;
import org.plenum.stage.Poll;
import org.plenum.stage.PollKind;
import org.plenum.stage.PollSpec;
import org.plenum.stage.Post;
import org.plenum.stage.PostKind;
import org.plenum.stage.Stage;
import org.plenum.stage.StageSettings;
import org.plenum.stage.WordCloud;

/**
 * Not a test: builds the data directory of a two-day congress for the restart benchmark
 * ({@code load-tests/restart-after-1m.sh}). Drives a memory engine in this JVM through its own
 * API (so every record, snapshot and compaction is the engine's own), fsync off for speed:
 * {@code N} actions by 1,800 participants on 3 stages — 50 % reactions, 25 % votes (a third of
 * them changing an earlier vote), 10 % word-cloud entries, 13 % upvotes, 2 % posts.
 *
 * <p>Usage: {@code java -cp … org.plenum.engine.CongressDataDir DATA_DIR [ACTIONS]}
 */
public final class CongressDataDir {
  private static final int PARTICIPANTS = 1_800;
  private static final int WAVE = 5_000;

  private CongressDataDir() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long actions = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
    Vertx vertx = Vertx.vertx();
    Change.registerCodec(vertx);
    Engine engine = Engines.confined(new MemoryEngine(vertx, vertx.getOrCreateContext(), dir, false,
        new MemoryEngine.Options(256, 86_400_000L, 50_000, 64L << 20, 60_000), new PlenumMetrics()));
    get(engine.start());
    Instant now = Instant.now();
    Event event = get(engine.createEvent(new Event(Ids.newId("ev"), "Digitalkongress", now, List.of())));
    List<Stage> stages = new ArrayList<>();
    List<List<Poll>> polls = new ArrayList<>();
    List<WordCloud> clouds = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      Stage stage = get(engine.createStage(new Stage(Ids.newId("st"), event.id(), "Stage " + s, Ids.newJoinCode(), now,
          StageSettings.DEFAULT)));
      stages.add(stage);
      List<Poll> stagePolls = new ArrayList<>();
      for (int p = 0; p < 40; p++) {
        PollSpec spec = new PollSpec(PollKind.SINGLE, "Frage " + p + "?", List.of("Ja", "Nein", "Enthaltung"), null, null,
            true, true);
        stagePolls.add(get(engine.savePoll(spec.toPoll(Ids.newId("po"), stage.id(), now))));
      }
      polls.add(stagePolls);
      clouds.add(get(engine.saveCloud(new WordCloud(Ids.newId("wc"), stage.id(), "Ein Wort?", 10,
          org.plenum.stage.Phase.OPEN, true, now, now, null))));
    }
    Random random = new Random(42);
    List<List<String>> posts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    long started = System.nanoTime();
    long done = 0;
    long seq = 0;
    while (done < actions) {
      int wave = (int) Math.min(WAVE, actions - done);
      List<Future<?>> inFlight = new ArrayList<>(wave);
      for (int i = 0; i < wave; i++) {
        int participant = random.nextInt(PARTICIPANTS);
        int s = participant % 3;
        String stageId = stages.get(s).id();
        String who = "participant-" + participant;
        String actionId = "a-" + (seq++);
        int kind = random.nextInt(100);
        if (kind < 50) {
          inFlight.add(engine.react(new ReactionAction(stageId, who, actionId, "\uD83D\uDC4F",
              now.getEpochSecond() / 60 * 60 + random.nextInt(2_880) * 60L)));
        } else if (kind < 75) {
          Poll poll = polls.get(s).get(random.nextInt(40));
          inFlight.add(engine.vote(new VoteAction(stageId, poll.id(), who, actionId,
              poll.ballot(List.of(String.valueOf((char) ('a' + random.nextInt(3)))), null))));
        } else if (kind < 85) {
          WordCloud cloud = clouds.get(s);
          String word = "wort" + random.nextInt(500);
          inFlight.add(engine.submitWord(new WordAction(stageId, cloud.id(), who, actionId, word, word, 10))
              .otherwiseEmpty()); // already_submitted / too_many_entries are answers, not failures
        } else if (kind < 98 && !posts.get(s).isEmpty()) {
          List<String> ids = posts.get(s);
          inFlight.add(engine.upvote(new UpvoteAction(stageId, ids.get(random.nextInt(ids.size())), who, actionId,
              random.nextInt(10) > 0)));
        } else {
          Post post = Post.create(Ids.newId("qu"), stageId, PostKind.QUESTION, who, "Teilnehmerin " + participant,
              "Wie geht es mit dem Vorhaben " + seq + " weiter, und wer ist zuständig?", StageSettings.DEFAULT, now);
          posts.get(s).add(post.id());
          inFlight.add(engine.submitPost(new PostAction(actionId, post)));
        }
      }
      get(Future.all(inFlight));
      done += wave;
      if (done % 100_000 == 0) {
        System.out.printf("%,d actions, %.1f s%n", done, (System.nanoTime() - started) / 1e9);
      }
    }
    get(engine.stop());
    vertx.close();
    System.out.printf("built %s: %,d actions in %.1f s%n", dir, actions, (System.nanoTime() - started) / 1e9);
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
