package org.plenum.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole generator against {@link FakePlenum}: a correct server passes, a double-counting one fails. */
class LoadMainTest {

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

  private int serve(boolean countTwice) throws Exception {
    FakePlenum fake = new FakePlenum("secret", countTwice);
    vertx.deployVerticle(fake).await(5, TimeUnit.SECONDS);
    return fake.port();
  }

  private int run(int port, Path report, String... extra) {
    String[] base = {"--scenario", "smoke", "--url", "http://127.0.0.1:" + port, "--organiser-token", "secret",
        "--viewers", "20", "--spread-seconds", "1", "--duration", "20", "--settle-seconds", "2",
        "--report", report.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return LoadMain.run(args);
  }

  @Test
  void smokeAgainstACorrectServerPasses() throws Exception {
    int port = serve(false);
    Path report = dir.resolve("report.json");

    int exit = run(port, report, "--resend-fraction", "0.3", "--change-fraction", "0.3");

    JsonNode r = new ObjectMapper().readTree(Files.readString(report));
    assertThat(r.path("failures")).isEmpty();
    assertThat(exit).isZero();
    assertThat(r.path("exactlyOnce").path("passed").asBoolean()).isTrue();
    assertThat(r.path("latencyMs").path("join").path("count").asLong()).isEqualTo(21);
    assertThat(r.path("latencyMs").path("ack").path("count").asLong()).isGreaterThanOrEqualTo(20);
    assertThat(r.path("latencyMs").path("voteToModerator").path("count").asLong()).isEqualTo(20);
    assertThat(r.path("latencyMs").path("voteToViewer").path("count").asLong()).isEqualTo(400);
    assertThat(r.path("votes").path("duplicateAcks").asLong()).isPositive();
    assertThat(r.path("server").path("connections").path("max").asLong()).isPositive();
    assertThat(r.path("connections").path("dropped").asLong()).isZero();
  }

  @Test
  void aServerThatAppliesAResentActionAgainFails() throws Exception {
    int port = serve(true);
    Path report = dir.resolve("report.json");

    int exit = run(port, report, "--resend-fraction", "1", "--change-fraction", "1");

    JsonNode r = new ObjectMapper().readTree(Files.readString(report));
    assertThat(exit).isEqualTo(1);
    assertThat(r.path("exactlyOnce").path("passed").asBoolean()).isFalse();
    assertThat(r.path("protocolDiscrepancies").toString()).contains("resent action id was applied again");
  }

  @Test
  void nonLoopbackTargetIsRefusedBeforeAnyTraffic() {
    assertThat(LoadMain.run(new String[] {"--scenario", "smoke", "--url", "http://10.1.2.3:8080",
        "--organiser-token", "x"})).isEqualTo(2);
  }

  @Test
  void everyNodeOfAListMustBeLoopback() {
    assertThat(LoadMain.run(new String[] {"--scenario", "smoke", "--organiser-token", "secret",
        "--url", "http://127.0.0.1:1,http://10.0.0.1:80"})).isEqualTo(2);
  }
}
