package org.plenum.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void defaultsGiveAMemoryServerOnPort8080WithAGeneratedToken() {
    PlenumConfig c = ConfigLoader.load(Map.of(), new String[0]);
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.engine()).isEqualTo(EngineKind.MEMORY);
    assertThat(c.organiserTokenGenerated()).isTrue();
    assertThat(c.organiserToken()).hasSizeGreaterThanOrEqualTo(24);
    assertThat(c.dataDir()).isEqualTo("plenum-data");
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("plenum.yaml");
    Files.writeString(file, "httpPort: 9000\nengine: redis\nmoderatorTickMs: 70\nallowedOrigins: [https://a.example, https://b.example]\n");
    PlenumConfig c = ConfigLoader.load(Map.of("PLENUM_HTTP_PORT", "9001", "PLENUM_CONFIG", file.toString()),
        new String[] {"--http-port=9002", "--demo"});
    assertThat(c.httpPort()).isEqualTo(9002);
    assertThat(c.engine()).isEqualTo(EngineKind.REDIS);
    assertThat(c.moderatorTickMs()).isEqualTo(70);
    assertThat(c.demo()).isTrue();
    assertThat(c.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
  }

  @Test
  void theGatewayLimitsHaveSafeDefaultsAndAHardLimitBelowTheBudgetIsRefused() {
    PlenumConfig c = ConfigLoader.load(Map.of(), new String[0]);
    assertThat(c.gateway().writeQueueHardLimitBytes()).isEqualTo(1 << 20);
    assertThat(c.gateway().joinPostsLimit()).isEqualTo(100);
    assertThat(c.gateway().joinTimeoutMs()).isEqualTo(10_000);
    assertThat(c.gateway().keepAliveMs()).as("pings well inside the idle timeout").isEqualTo(25_000);
    assertThat(c.allowedOrigins()).isEmpty();
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("PLENUM_WRITE_QUEUE_MAX_BYTES", "65536",
        "PLENUM_WRITE_QUEUE_HARD_LIMIT_BYTES", "16384"), new String[0]))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("writeQueueHardLimitBytes must be at least writeQueueMaxBytes");
  }

  @Test
  void jsonFilesWorkToo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("plenum.json");
    Files.writeString(file, "{\"viewerTickMs\": 800, \"fsync\": false}");
    PlenumConfig c = ConfigLoader.load(Map.of(), new String[] {"--config", file.toString()});
    assertThat(c.viewerTickMs()).isEqualTo(800);
    assertThat(c.fsync()).isFalse();
  }

  @Test
  void everyProblemIsReportedAtOnce(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "httpPrt: 1\n");
    assertThatThrownBy(() -> ConfigLoader.load(
        Map.of("PLENUM_ENGINE", "postgres", "PLENUM_HTTP_PORT", "70000", "PLENUM_NOPE", "1", "PLENUM_CONFIG", file.toString()),
        new String[] {"--unknown-flag", "x", "--instances", "two"}))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(6))
        .hasMessageContaining("unknown key 'httpPrt'")
        .hasMessageContaining("'postgres' is not an engine")
        .hasMessageContaining("70000 is outside 0..65535")
        .hasMessageContaining("PLENUM_NOPE: unknown setting")
        .hasMessageContaining("--unknown-flag: unknown setting")
        .hasMessageContaining("'two' is not a whole number");
  }

  @Test
  void crossFieldRulesAreChecked() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("PLENUM_MODERATOR_TICK_MS", "500", "PLENUM_VIEWER_TICK_MS", "100",
        "PLENUM_ORGANISER_TOKEN", "short", "PLENUM_REDIS_URL", "localhost:6379"), new String[0]))
        .hasMessageContaining("viewerTickMs (100) must not be shorter")
        .hasMessageContaining("organiserToken: at least 8")
        .hasMessageContaining("redisUrl");
  }

  @Test
  void fairLimitsAreReadAndTrustedProxiesMustBeAddresses() {
    PlenumConfig c = ConfigLoader.load(Map.of("PLENUM_CONNECTIONS_PER_ADDRESS", "50",
        "PLENUM_LIMIT_NEW_PARTICIPANTS_PER_ADDRESS", "50/600s", "PLENUM_TRUSTED_PROXIES", "127.0.0.1, ::1"), new String[0]);
    assertThat(c.fairLimits().connectionsPerAddress()).isEqualTo(50);
    assertThat(c.fairLimits().connectionsPerParticipant()).isEqualTo(5);
    assertThat(c.fairLimits().newParticipantsPerAddress()).isEqualTo(new Rate(50, 600));
    assertThat(c.fairLimits().joinsPerNode()).isEqualTo(new Rate(1000, 1));
    assertThat(c.fairLimits().trustedProxies()).containsExactly("127.0.0.1", "::1");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("PLENUM_TRUSTED_PROXIES", "proxy.example.org"), new String[0]))
        .hasMessageContaining("'proxy.example.org' is not an IP address");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("PLENUM_CONNECTIONS_PER_PARTICIPANT", "0"), new String[0]))
        .hasMessageContaining("0 is outside 1..1000");
  }

  @Test
  void redisModesTakeTheirEndpointListsAndWrongCombinationsAreRefusedClearly() {
    PlenumConfig standalone = ConfigLoader.load(Map.of(), new String[0]);
    assertThat(standalone.redisMode()).isEqualTo(RedisMode.STANDALONE);
    assertThat(standalone.redisEndpoints()).containsExactly("redis://127.0.0.1:6379");
    assertThat(standalone.redisMasterName()).isEqualTo("mymaster");

    PlenumConfig cluster = ConfigLoader.load(Map.of("PLENUM_ENGINE", "redis", "PLENUM_REDIS_MODE", "Cluster",
        "PLENUM_REDIS_URL", "redis://:pw@10.0.0.1:7000, redis://:pw@10.0.0.2:7000,"), new String[0]);
    assertThat(cluster.redisMode()).isEqualTo(RedisMode.CLUSTER);
    assertThat(cluster.redisEndpoints()).containsExactly("redis://:pw@10.0.0.1:7000", "redis://:pw@10.0.0.2:7000");

    PlenumConfig sentinel = ConfigLoader.load(Map.of(), new String[] {"--redis-mode", "sentinel",
        "--redis-url", "redis://s1:26379,redis://s2:26379", "--redis-master-name", "plenum-primary"});
    assertThat(sentinel.redisMode()).isEqualTo(RedisMode.SENTINEL);
    assertThat(sentinel.redisMasterName()).isEqualTo("plenum-primary");

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("PLENUM_REDIS_MODE", "shard"), new String[0]))
        .hasMessageContaining("redisMode: 'shard' is not a Redis mode; use standalone, cluster, sentinel or replication");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("PLENUM_REDIS_URL", "redis://a:6379,redis://b:6379"), new String[0]))
        .hasMessageContaining("redisUrl lists 2 endpoints, but redisMode=standalone uses one server");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("PLENUM_REDIS_MODE", "cluster",
        "PLENUM_REDIS_URL", "redis://a:7000/2,b:7000,unix:///tmp/redis.sock"), new String[0]))
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(3))
        .hasMessageContaining("'redis://a:7000/2' selects a database, but Redis Cluster has only database 0")
        .hasMessageContaining("'b:7000' must start with redis://, rediss:// or unix://")
        .hasMessageContaining("redisMode=cluster needs network endpoints");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("PLENUM_REDIS_MODE", "sentinel", "PLENUM_REDIS_MASTER_NAME", ""),
        new String[0]))
        .hasMessageContaining("redisMasterName: redisMode=sentinel needs the name");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("PLENUM_REDIS_URL", " , "), new String[0]))
        .hasMessageContaining("redisUrl: no endpoint given");
  }

  @Test
  void namesFollowOneRule() {
    Settings.Setting s = Settings.byName("moderatorTickMs");
    assertThat(s.env()).isEqualTo("PLENUM_MODERATOR_TICK_MS");
    assertThat(s.flag()).isEqualTo("--moderator-tick-ms");
  }

  @Test
  void configurationDocumentNamesEverySetting() throws Exception {
    String doc = Files.readString(Path.of("docs/configuration.md"));
    for (Settings.Setting s : Settings.ALL) {
      assertThat(doc).as("docs/configuration.md documents " + s.name()).contains("`" + s.name() + "`").contains(s.env());
    }
  }
}
