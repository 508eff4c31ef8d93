package org.plenum.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.plenum.config.Settings.Setting;

/**
 * Builds a {@link PlenumConfig} from defaults &lt; config file &lt; environment &lt; flags, reporting
 * every unknown key and invalid value at once. Reads the file at start-up only, before Vert.x runs.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static PlenumConfig load(Map<String, String> env, String[] args) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> values = new HashMap<>();
    for (Setting s : Settings.ALL) {
      values.put(s.name(), s.type() == Settings.Type.RATE ? Rate.parse((String) s.defaultValue()) : s.defaultValue());
    }
    Map<String, String> flags = parseFlags(args, problems);
    String file = flags.getOrDefault("config", env.getOrDefault("PLENUM_CONFIG", ""));
    if (!file.isEmpty()) {
      readFile(Path.of(file), values, problems);
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!e.getKey().startsWith("PLENUM_") || e.getKey().equals("PLENUM_CONFIG")) {
        continue;
      }
      Setting s = byEnv(e.getKey());
      if (s == null) {
        problems.add("environment " + e.getKey() + ": unknown setting");
      } else {
        put(values, s, e.getValue(), "environment " + e.getKey(), problems);
      }
    }
    for (Map.Entry<String, String> e : flags.entrySet()) {
      if (e.getKey().equals("config")) {
        continue;
      }
      put(values, Settings.byName(e.getKey()), e.getValue(), "flag " + Settings.byName(e.getKey()).flag(), problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return build(values, problems);
  }

  private static PlenumConfig build(Map<String, Object> v, List<String> problems) {
    String token = (String) v.get("organiserToken");
    boolean generated = token.isEmpty();
    if (generated) {
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } else if (token.length() < 8) {
      problems.add("organiserToken: at least 8 characters");
    }
    String nodeId = (String) v.get("nodeId");
    if (nodeId.isEmpty()) {
      byte[] bytes = new byte[6];
      new SecureRandom().nextBytes(bytes);
      nodeId = "node-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } else if (!nodeId.matches("[A-Za-z0-9_.-]{1,64}")) {
      problems.add("nodeId: 1-64 characters of A-Z a-z 0-9 _ . -");
    }
    int moderatorTick = (Integer) v.get("moderatorTickMs");
    int viewerTick = (Integer) v.get("viewerTickMs");
    if (viewerTick < moderatorTick) {
      problems.add("viewerTickMs (" + viewerTick + ") must not be shorter than moderatorTickMs (" + moderatorTick + ")");
    }
    if ((Integer) v.get("rateLimitBurst") < (Integer) v.get("rateLimitPerSecond")) {
      problems.add("rateLimitBurst must be at least rateLimitPerSecond");
    }
    String redisUrl = (String) v.get("redisUrl");
    RedisMode redisMode = RedisMode.parse((String) v.get("redisMode"));
    String redisMasterName = (String) v.get("redisMasterName");
    checkRedis(redisMode, (String) v.get("redisMode"), redisUrl, redisMasterName, problems);
    @SuppressWarnings("unchecked")
    List<String> proxies = (List<String>) v.get("trustedProxies");
    for (String proxy : proxies) {
      // literal addresses only: a name would need a DNS lookup, and its answer could change
      if (!proxy.matches("(\\d{1,3}\\.){3}\\d{1,3}") && !proxy.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
        problems.add("trustedProxies: '" + proxy + "' is not an IP address");
      }
    }
    String publicUrl = (String) v.get("publicUrl");
    if (!publicUrl.isEmpty() && !publicUrl.startsWith("http://") && !publicUrl.startsWith("https://")) {
      problems.add("publicUrl: must start with http:// or https://");
    }
    if ((Integer) v.get("writeQueueHardLimitBytes") < (Integer) v.get("writeQueueMaxBytes")) {
      problems.add("writeQueueHardLimitBytes must be at least writeQueueMaxBytes");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    @SuppressWarnings("unchecked")
    List<String> origins = (List<String>) v.get("allowedOrigins");
    @SuppressWarnings("unchecked")
    List<String> reactions = (List<String>) v.get("reactions");
    if (reactions.isEmpty() || reactions.size() > 20) {
      problems.add("reactions: 1 to 20 emoji");
    }
    for (String r : reactions) {
      if (r.codePointCount(0, r.length()) > 8) {
        problems.add("reactions: '" + r + "' is not a single emoji");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new PlenumConfig((String) v.get("httpHost"), (Integer) v.get("httpPort"), publicUrl,
        (EngineKind) v.get("engine"), redisUrl, (Integer) v.get("redisPoolSize"), (Integer) v.get("redisCommandTimeoutMs"),
        redisMode, redisMasterName, token, generated,
        ((String) v.get("dataDir")).strip(), (Boolean) v.get("fsync"), moderatorTick, viewerTick,
        (Integer) v.get("maxFrameBytes"), (Integer) v.get("rateLimitPerSecond"), (Integer) v.get("rateLimitBurst"),
        (Integer) v.get("slowClientTimeoutMs"), (Integer) v.get("writeQueueMaxBytes"),
        (Integer) v.get("actionIdTtlSeconds"), (Integer) v.get("instances"), (Integer) v.get("shutdownGraceMs"),
        List.copyOf(origins), (Rate) v.get("limitVote"), (Rate) v.get("limitWord"), (Rate) v.get("limitPost"),
        (Rate) v.get("limitUpvote"), (Rate) v.get("limitReaction"), List.copyOf(reactions),
        (String) v.get("webRoot"), (Boolean) v.get("demo"), nodeId,
        new JournalSettings((Integer) v.get("actionIdWindow"), (Integer) v.get("snapshotEveryRecords"),
            (Integer) v.get("snapshotEveryMegabytes"), (Integer) v.get("snapshotAfterDeleteSeconds")),
        new GatewayLimits((Integer) v.get("writeQueueHardLimitBytes"), (Integer) v.get("joinPostsLimit"),
            (Integer) v.get("requestHeaderTimeoutMs"), (Integer) v.get("idleTimeoutMs"), (Integer) v.get("joinTimeoutMs"),
            (Boolean) v.get("nativeTransport")),
        fairLimits(v), (Integer) v.get("statsSampleSeconds"),
        new Retention((Integer) v.get("retentionDays"), (Integer) v.get("retentionSweepMinutes")));
  }

  @SuppressWarnings("unchecked")
  private static FairLimits fairLimits(Map<String, Object> v) {
    return new FairLimits((Integer) v.get("connectionsPerAddress"), (Integer) v.get("connectionsPerParticipant"),
        (Rate) v.get("limitNewParticipantsPerAddress"), (Rate) v.get("limitJoinsPerAddress"),
        (Rate) v.get("limitJoinsPerNode"), List.copyOf((List<String>) v.get("trustedProxies")),
        (Rate) v.get("limitPasscodeFailuresPerAddress"));
  }

  private static Setting byEnv(String env) {
    for (Setting s : Settings.ALL) {
      if (s.env().equals(env)) {
        return s;
      }
    }
    return null;
  }

  /** {@code --http-port 8081}, {@code --http-port=8081}, or a bare boolean flag {@code --demo}. */
  private static Map<String, String> parseFlags(String[] args, List<String> problems) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        problems.add("argument '" + arg + "': expected a flag such as --http-port 8080 (see --help)");
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      Setting s = null;
      for (Setting candidate : Settings.ALL) {
        if (candidate.flag().equals(name)) {
          s = candidate;
        }
      }
      if (s == null) {
        problems.add("flag " + name + ": unknown setting (see --help)");
        if (value == null && i + 1 < args.length && !args[i + 1].startsWith("--")) {
          i++; // its value belongs to it, not to the next flag
        }
        continue;
      }
      if (value == null) {
        boolean nextIsValue = i + 1 < args.length && !args[i + 1].startsWith("--");
        if (s.type() == Settings.Type.BOOLEAN && !nextIsValue) {
          value = "true";
        } else if (nextIsValue) {
          value = args[++i];
        } else {
          problems.add("flag " + name + ": needs a value");
          continue;
        }
      }
      flags.put(s.name(), value);
    }
    return flags;
  }

  private static void readFile(Path path, Map<String, Object> values, List<String> problems) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(path));
    } catch (IOException e) {
      problems.add("config file " + path + ": " + e.getMessage().lines().findFirst().orElse("unreadable"));
      return;
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return;
    }
    if (!root.isObject()) {
      problems.add("config file " + path + ": must be a JSON or YAML object of settings");
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      Setting s = Settings.byName(f.getKey());
      if (s == null || s.name().equals("config")) {
        problems.add("config file " + path + ": unknown key '" + f.getKey() + "'");
        continue;
      }
      JsonNode node = f.getValue();
      String text;
      if (node.isArray()) {
        List<String> items = new ArrayList<>();
        node.forEach(n -> items.add(n.asText()));
        text = String.join(",", items);
      } else if (node.isValueNode()) {
        text = node.asText();
      } else {
        problems.add("config file " + path + ": '" + f.getKey() + "' must be a single value");
        continue;
      }
      put(values, s, text, "config file key '" + s.name() + "'", problems);
    }
  }

  /** The comma-separated endpoints of a {@code redisUrl}, blanks dropped. */
  static List<String> endpoints(String redisUrl) {
    return Arrays.stream(redisUrl.split(",")).map(String::strip).filter(e -> !e.isEmpty()).toList();
  }

  /**
   * The Redis settings must fit together: a mode that exists, endpoints the client can use in it
   * (one for standalone; no database index on a cluster, which has only database 0), and a master
   * name for Sentinel. Says what to change, since a wrong one otherwise shows only as a failed start.
   */
  private static void checkRedis(RedisMode mode, String modeText, String redisUrl, String masterName, List<String> problems) {
    if (mode == null) {
      problems.add("redisMode: '" + modeText + "' is not a Redis mode; use standalone, cluster, sentinel or replication");
      return;
    }
    List<String> endpoints = endpoints(redisUrl);
    if (endpoints.isEmpty()) {
      problems.add("redisUrl: no endpoint given");
    }
    for (String endpoint : endpoints) {
      if (!endpoint.startsWith("redis://") && !endpoint.startsWith("rediss://") && !endpoint.startsWith("unix://")) {
        problems.add("redisUrl: '" + endpoint + "' must start with redis://, rediss:// or unix://");
      } else if (mode != RedisMode.STANDALONE && endpoint.startsWith("unix://")) {
        problems.add("redisUrl: '" + endpoint + "': redisMode=" + mode.wire() + " needs network endpoints (redis:// or rediss://)");
      }
    }
    if (mode == RedisMode.STANDALONE && endpoints.size() > 1) {
      problems.add("redisUrl lists " + endpoints.size() + " endpoints, but redisMode=standalone uses one server; "
          + "set redisMode to cluster, sentinel or replication, or give one endpoint");
    }
    if (mode == RedisMode.CLUSTER) {
      for (String endpoint : endpoints) {
        if (endpoint.matches("rediss?://[^/]+/0*[1-9][0-9]*")) {
          problems.add("redisUrl: '" + endpoint + "' selects a database, but Redis Cluster has only database 0");
        }
      }
    }
    if (mode == RedisMode.SENTINEL && !masterName.matches("[A-Za-z0-9_.-]{1,64}")) {
      problems.add("redisMasterName: redisMode=sentinel needs the name the Sentinels monitor the primary under "
          + "(1-64 characters of A-Z a-z 0-9 _ . -)");
    }
  }

  private static void put(Map<String, Object> values, Setting s, String raw, String source, List<String> problems) {
    String text = raw.strip();
    switch (s.type()) {
      case STRING -> values.put(s.name(), text);
      case INT -> {
        try {
          long n = Long.parseLong(text);
          if (n < s.min() || n > s.max()) {
            problems.add(source + ": " + n + " is outside " + s.min() + ".." + s.max());
          } else {
            values.put(s.name(), (int) n);
          }
        } catch (NumberFormatException e) {
          problems.add(source + ": '" + text + "' is not a whole number");
        }
      }
      case BOOLEAN -> {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("1") || t.equals("yes")) {
          values.put(s.name(), true);
        } else if (t.equals("false") || t.equals("0") || t.equals("no")) {
          values.put(s.name(), false);
        } else {
          problems.add(source + ": '" + text + "' is not true or false");
        }
      }
      case ENGINE -> {
        try {
          values.put(s.name(), EngineKind.valueOf(text.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          problems.add(source + ": '" + text + "' is not an engine; use memory or redis");
        }
      }
      case RATE -> {
        try {
          values.put(s.name(), Rate.parse(text));
        } catch (IllegalArgumentException e) {
          problems.add(source + ": " + e.getMessage());
        }
      }
      case LIST -> values.put(s.name(), text.isEmpty() ? List.of()
          : Arrays.stream(text.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList());
    }
  }

  /** The --help text: every setting with its flag, environment variable and default. */
  public static String help() {
    StringBuilder out = new StringBuilder("Usage: java -jar plenum.jar [--setting value ...]\n\n"
        + "Settings (defaults < config file < environment < flags):\n");
    for (Setting s : Settings.ALL) {
      out.append(String.format("  %-24s %-28s default: %s%n      %s%n", s.flag(), s.env(),
          s.defaultValue() instanceof String str && str.isEmpty() ? "(empty)"
              : s.defaultValue() instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
              : String.valueOf(s.defaultValue()).toLowerCase(Locale.ROOT),
          s.description()));
    }
    return out.toString();
  }
}
