package org.plenum.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audience scenario from two generator "processes" (two runs in this JVM, --part 1/2 and 2/2)
 * against two "nodes" (two ports of one {@link FakePlenum}), then the merge of their reports.
 */
class AudienceTest {

  private Vertx vertx;

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void twoPartsOverTwoNodesSeeTheWholeAudienceAndMerge() throws Exception {
    FakePlenum fake = new FakePlenum("secret", false, 2);
    vertx.deployVerticle(fake).await(5, TimeUnit.SECONDS);
    String urls = "http://127.0.0.1:" + fake.port(0) + ",http://127.0.0.1:" + fake.port(1);
    String pid = Long.toString(ProcessHandle.current().pid());
    Path runFile = dir.resolve("run.json");

    CompletableFuture<Integer> part1 = CompletableFuture.supplyAsync(() -> LoadMain.run(args(urls, runFile, 1,
        "--server-pids", pid + "," + pid, "--gc-at-readings")));
    CompletableFuture<Integer> part2 = CompletableFuture.supplyAsync(() -> LoadMain.run(args(urls, runFile, 2)));
    int exit1 = part1.get(90, TimeUnit.SECONDS);
    int exit2 = part2.get(90, TimeUnit.SECONDS);

    ObjectMapper mapper = new ObjectMapper();
    JsonNode r1 = mapper.readTree(Files.readString(dir.resolve("part-1.json")));
    JsonNode r2 = mapper.readTree(Files.readString(dir.resolve("part-2.json")));
    assertThat(r1.path("failures")).isEmpty();
    assertThat(r2.path("failures")).isEmpty();
    assertThat(exit1).isZero();
    assertThat(exit2).isZero();

    JsonNode a1 = r1.path("audience");
    assertThat(a1.path("viewersJoinedThisPart").asInt()).isEqualTo(20);
    assertThat(r2.path("audience").path("viewersJoinedThisPart").asInt()).isEqualTo(20);
    // viewers round-robin over the nodes, moderators on each
    for (JsonNode n : a1.path("nodes")) {
      assertThat(n.path("viewersJoinedThisPart").asInt()).isEqualTo(10);
      assertThat(n.path("moderatorsThisPart").asInt()).isEqualTo(1);
      JsonNode presence = n.path("presenceByStage").get(0);
      assertThat(presence.path("viewersExpectedInAllParts").asInt()).isEqualTo(40);
      assertThat(presence.path("maxViewersSeenByModerators").asInt()).isEqualTo(40);
      assertThat(n.path("voteToModeratorMs").path("count").asLong()).isEqualTo(10); // 20 x 0.5 votes, one moderator
    }
    // the two parts shared one stage and used different source addresses
    assertThat(r2.path("audience").path("stages")).isEqualTo(a1.path("stages"));
    assertThat(a1.path("generator").path("sourceBase").asText()).isEqualTo("127.0.0.2");
    assertThat(r2.path("audience").path("generator").path("sourceBase").asText()).isEqualTo("127.0.0.3");
    assertThat(a1.path("generator").path("cpuSeconds").asDouble()).isPositive();
    // part 1 read the "servers" (here: this JVM) through /proc
    JsonNode server = a1.path("servers").get(0);
    assertThat(server.path("readings")).hasSize(3);
    assertThat(server.path("readings").get(0).path("rssMiB").asDouble()).isPositive();
    assertThat(server.path("readings").get(0).path("afterFullGc").asBoolean()).isTrue();
    assertThat(server.path("readings").get(2).path("afterFullGc").asBoolean()).isFalse();
    assertThat(server.path("derived").path("cpuSecondsIdleToEnd").asDouble()).isPositive();

    Path merged = dir.resolve("merged.json");
    int mergeExit = MergeReports.run(new String[] {"--out", merged.toString(), dir.resolve("part-1.json").toString(),
        dir.resolve("part-2.json").toString()});
    JsonNode m = mapper.readTree(Files.readString(merged));
    assertThat(m.path("failures")).isEmpty();
    assertThat(mergeExit).isZero();
    assertThat(m.path("viewers").path("joined").asInt()).isEqualTo(40);
    assertThat(m.path("latencyMs").path("voteToModerator").path("count").asLong()).isEqualTo(40);
    assertThat(m.path("latencyMs").path("join").path("count").asLong()).isEqualTo(44);
    assertThat(m.path("nodes")).hasSize(2);
    assertThat(m.path("nodes").get(1).path("viewersJoined").asInt()).isEqualTo(20);
    assertThat(m.path("nodes").get(1).path("voteToModeratorMs").path("count").asLong()).isEqualTo(20);
  }

  @Test
  void aPartThatOnlyKeepsViewersConnectedPassesAndTheMergeCountsItsViewers() throws Exception {
    FakePlenum fake = new FakePlenum("secret", false, 3);
    vertx.deployVerticle(fake).await(5, TimeUnit.SECONDS);
    String urls = "http://127.0.0.1:" + fake.port(0) + ",http://127.0.0.1:" + fake.port(1) + ",http://127.0.0.1:"
        + fake.port(2);
    Path runFile = dir.resolve("run.json");

    CompletableFuture<Integer> part1 = CompletableFuture.supplyAsync(() -> LoadMain.run(args(urls, runFile, 1,
        "--polling-parts", "1")));
    CompletableFuture<Integer> part2 = CompletableFuture.supplyAsync(() -> LoadMain.run(args(urls, runFile, 2,
        "--polling-parts", "1")));
    assertThat(part1.get(90, TimeUnit.SECONDS)).isZero();
    assertThat(part2.get(90, TimeUnit.SECONDS)).isZero();

    ObjectMapper mapper = new ObjectMapper();
    JsonNode r2 = mapper.readTree(Files.readString(dir.resolve("part-2.json")));
    assertThat(r2.path("polls")).isEmpty();
    assertThat(r2.path("audience").path("generator").path("opensPolls").asBoolean()).isFalse();
    // 20 viewers of part 2 (run-wide indexes 20..39) round-robin over 3 nodes: 7, 6, 7
    assertThat(r2.path("audience").path("nodes").get(2).path("viewersJoinedThisPart").asInt()).isEqualTo(7);
    assertThat(r2.path("audience").path("nodes").get(1).path("viewersJoinedThisPart").asInt()).isEqualTo(6);
    Path merged = dir.resolve("merged.json");
    assertThat(MergeReports.run(new String[] {"--out", merged.toString(), "--embed-parts",
        dir.resolve("part-1.json").toString(), dir.resolve("part-2.json").toString()})).isZero();
    JsonNode m = mapper.readTree(Files.readString(merged));
    assertThat(m.path("viewers").path("joined").asInt()).isEqualTo(40);
    assertThat(m.path("latencyMs").path("voteToModerator").path("count").asLong()).isEqualTo(30); // 10 votes, 3 moderators
    assertThat(m.path("partReports")).hasSize(2);
  }

  private String[] args(String urls, Path runFile, int part, String... extra) {
    String[] base = {"--scenario", "audience", "--url", urls, "--organiser-token", "secret", "--viewers", "40",
        "--part", part + "/2", "--run-file", runFile.toString(), "--connect-rate", "40", "--hold-seconds", "2",
        "--polls-per-stage", "1", "--spread-seconds", "1", "--settle-seconds", "1", "--vote-fraction", "0.5",
        "--report", dir.resolve("part-" + part + ".json").toString()};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }
}
