package org.plenum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.stage.Ballot;
import org.plenum.stage.CloudResults;
import org.plenum.stage.CloudWord;
import org.plenum.stage.Phase;
import org.plenum.stage.Poll;
import org.plenum.stage.PollKind;
import org.plenum.stage.PostState;
import org.plenum.stage.PostView;
import org.plenum.stage.Talk;
import org.plenum.stage.WordCloud;
import org.plenum.testing.TestVertx;

/**
 * The memory engine's storage schema ({@link StoredForm}) is its own, not the wire's: a data
 * directory written before the schema had a name (schema 1: {@code src/test/resources/datadir-schema1},
 * written by the engine of commit 962b39e, a snapshot and a journal tail) still loads whole, is
 * written again in the current schema, and a directory from a newer schema is refused.
 */
class DataDirSchemaTest {
  /** The fixture's action ids must still be remembered, however old the fixture gets. */
  private static final MemoryEngine.Options OPTIONS =
      new MemoryEngine.Options(256, 100L * 365 * 86_400_000L, 100_000, 64L << 20, 60_000);

  @TempDir
  Path dataDir;
  private Vertx vertx;

  @BeforeEach
  void copyFixture() throws IOException, URISyntaxException {
    vertx = TestVertx.create();
    Change.registerCodec(vertx);
    Path fixture = Path.of(getClass().getResource("/datadir-schema1").toURI());
    try (var files = Files.list(fixture)) {
      for (Path f : files.toList()) {
        Files.copy(f, dataDir.resolve(f.getFileName()));
      }
    }
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private Engine engine() {
    return Engines.confined(new MemoryEngine(vertx, vertx.getOrCreateContext(), dataDir, false, OPTIONS, new PlenumMetrics()));
  }

  @Test
  void aSchema1DataDirectoryLoadsWholeAndIsWrittenAgainInTheCurrentSchema() throws Exception {
    Engine first = engine();
    await(first.start());
    everythingIsThere(first);
    assertThat(await(first.vote(new VoteAction("st-1", "po-1", "alice", "a2", new Ballot(List.of("a"))))).duplicate())
        .as("an action id from the snapshot").isTrue();
    assertThat(await(first.vote(new VoteAction("st-1", "po-1", "dora", "d1", new Ballot(List.of("b"))))).duplicate())
        .as("an action id from the journal tail").isTrue();
    assertThat(await(first.tokenSecret()))
        .isEqualTo(Base64.getDecoder().decode(Files.readString(dataDir.resolve(DataDir.SECRET)).strip()));
    await(((MemoryEngine) ((ConfinedEngine) first).inner()).snapshotNow());
    await(first.stop());

    JsonObject header = new JsonObject(Files.readAllLines(dataDir.resolve(DataDir.SNAPSHOT)).get(0));
    assertThat(header.getInteger("schema")).isEqualTo(StoredForm.SCHEMA);
    Path newest;
    try (var files = Files.list(dataDir)) {
      newest = files.filter(f -> f.getFileName().toString().startsWith("journal-")).sorted().reduce((a, b) -> b).orElseThrow();
    }
    JsonObject opening = new JsonObject(Files.readAllLines(newest, StandardCharsets.UTF_8).get(0));
    assertThat(opening.getString("op")).isEqualTo("noop");
    assertThat(opening.getInteger("schema")).as("a generation names its schema").isEqualTo(StoredForm.SCHEMA);

    Engine second = engine();
    await(second.start());
    everythingIsThere(second);
    await(second.stop());
  }

  @Test
  void aDataDirectoryOfANewerSchemaIsRefused() throws Exception {
    Path snapshot = dataDir.resolve(DataDir.SNAPSHOT);
    List<String> lines = Files.readAllLines(snapshot, StandardCharsets.UTF_8);
    lines.set(0, new JsonObject(lines.get(0)).put("schema", StoredForm.SCHEMA + 1).encode());
    Files.write(snapshot, lines, StandardCharsets.UTF_8);
    Future<Void> started = engine().start();
    Throwable refused = started.toCompletionStage().toCompletableFuture()
        .handle((ok, t) -> t).get(30, TimeUnit.SECONDS);
    assertThat(refused).isNotNull().hasStackTraceContaining("storage schema");
  }

  /** What the fixture's engine wrote, snapshot and tail together. */
  private static void everythingIsThere(Engine e) throws Exception {
    assertThat(await(e.event("ev-1")).orElseThrow().blockedWords()).containsExactly("spam");
    assertThat(await(e.event("ev-1")).orElseThrow().moderatorsMayExport())
        .as("written before the setting existed: moderators may not export").isFalse();
    assertThat(await(e.stageByCode("KONGR1")).orElseThrow().name()).as("renamed in the tail").isEqualTo("Saal Eins");
    assertThat(await(e.stage("st-1")).orElseThrow().settings().questionModeration()).isTrue();

    List<Poll> polls = await(e.polls("st-1"));
    assertThat(polls).extracting(Poll::id).containsExactly("po-1", "po-2");
    Poll topics = polls.get(0);
    assertThat(topics.kind()).isEqualTo(PollKind.MULTIPLE);
    assertThat(topics.state()).isEqualTo(Phase.OPEN);
    assertThat(topics.options()).extracting(o -> o.label()).containsExactly("KI", "Cloud", "OZG");
    assertThat(polls.get(1).state()).isEqualTo(Phase.CLOSED);
    assertThat(polls.get(1).closedAt()).isEqualTo(java.time.Instant.parse("2026-11-22T08:10:00Z"));
    var results = await(e.results(topics));
    assertThat(results.counts()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1L, "b", 1L, "c", 1L));
    assertThat(results.voters()).isEqualTo(3);
    assertThat(results.version()).isEqualTo(4);
    assertThat(await(e.results(polls.get(1))).counts()).containsEntry("4", 1L);

    WordCloud cloud = await(e.cloud("st-1", "wc-1")).orElseThrow();
    assertThat(cloud.maxEntries()).isEqualTo(3);
    CloudResults words = await(e.cloudResults(cloud, 10));
    assertThat(words.words()).containsExactly(new CloudWord("ki", "KI", 2), new CloudWord("ozg", "OZG", 1));
    assertThat(words.hidden()).containsExactly(new CloudWord("cloud", "Cloud", 1));
    assertThat(words.version()).isEqualTo(7);
    assertThat(await(e.wordsOf("st-1", "wc-1", "bob"))).containsExactly("ki");

    List<PostView> posts = await(e.posts("st-1"));
    assertThat(posts).extracting(v -> v.post().id()).containsExactly("qu-1", "qu-2", "cm-1");
    assertThat(posts.get(0).post().state()).isEqualTo(PostState.PUBLISHED);
    assertThat(posts.get(0).post().displayName()).isEqualTo("Alice");
    assertThat(posts.get(0).upvotes()).isEqualTo(1);
    assertThat(posts.get(0).version()).isEqualTo(3);
    assertThat(posts.get(1).post().state()).isEqualTo(PostState.DELETED);
    assertThat(posts.get(1).post().text()).isEmpty();
    assertThat(posts.get(2).post().text()).isEqualTo("Danke!");
    assertThat(await(e.upvotedBy("st-1", "bob"))).containsExactly("qu-1");

    var totals = await(e.reactionTotals("st-1"));
    assertThat(totals.totals()).containsExactlyInAnyOrderEntriesOf(Map.of("👏", 3L, "❤️", 1L));
    assertThat(totals.version()).isEqualTo(4);
    assertThat(await(e.reactionTimeline("st-1"))).hasSize(2);

    assertThat(await(e.talks("st-1"))).extracting(Talk::id).containsExactly("tk-1", "tk-2");
    assertThat(await(e.moderatorByTokenHash("ab".repeat(32))).orElseThrow().label()).isEqualTo("Saalregie");
    assertThat(await(e.moderators("ev-1"))).hasSize(1);
  }

  private static <T> T await(Future<T> future) throws InterruptedException, ExecutionException,
      java.util.concurrent.TimeoutException {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
