package org.plenum.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options. Every option has a bound so that no run can grow without limit:
 * the load phase ends at {@code --duration} whatever happens.
 */
public final class Options {

  public static final List<String> SCENARIOS = List.of("smoke", "poll-burst", "word-cloud", "congress", "join-storm",
      "capacity", "sustained", "audience");

  public String scenario;
  /** The first node: REST set-up goes here. */
  public URI url = URI.create("http://127.0.0.1:8080");
  /** Every node (--url a,b,c); viewers are spread round-robin over them. */
  public List<URI> urls = List.of(url);
  /** This process is part {@code part} of {@code parts} generator processes sharing one run (1-based). */
  public int part = 1;
  public int parts = 1;
  /** Shared set-up of a run of several processes: part 1 writes it, the others read it. */
  public String runFile;
  /** Server process ids, in --url order, whose /proc RSS and CPU time the report gives. */
  public List<Integer> serverPids = List.of();
  /** audience: seconds everyone stays connected before the polls, and the share of viewers voting. */
  public int holdSeconds = 10;
  /** audience: only parts 1..K open polls (default every part), so N processes need not mean N polls a round. */
  public int pollingParts = -1;
  /** audience: part 1 asks each server for a full GC (jcmd PID GC.run) before the idle and hold readings. */
  public boolean gcAtReadings;
  public double voteFraction = 0.1;
  private boolean sourceBaseGiven;
  public String organiserToken;
  public int durationSeconds;
  public int viewers;
  public int moderators;
  public int stages;
  public int pollsPerStage;
  public double spreadSeconds;
  public double connectRate;
  public int maxConnectsInFlight = 256;
  public int sourceAddresses = -1; // -1: automatic
  public String sourceBase = "127.0.0.2";
  public String pollKind = "single";
  public boolean resultsVisible = true;
  public double changeFraction;
  public double resendFraction;
  public int observers = 100;
  public int eventLoops = 2;
  public int requestTimeoutSeconds = 30;
  public int maxReconnects = 3;
  public int rampSeconds = -1;
  public int stepViewers = 1000;
  public int stepSeconds = 20;
  public int sloMillis = 1000;
  public double settleSeconds = 3;
  public boolean sampleMetrics = true;
  public long seed = 42;
  public String reportPath;
  public final Set<String> allowedErrors = new LinkedHashSet<>();
  public boolean help;
  /** Word-cloud contributors (word-cloud, congress) and entries each. */
  public int contributors = 1000;
  public int entries = 3;
  public double wordSpreadSeconds = -1;
  /** Questions asked during the word cloud (word-cloud scenario). */
  public int questions = 100;
  /** Questions, comments and feedback over the whole congress. */
  public int posts = 700;
  /** Mean upvoters per published question. */
  public double upvotesPerQuestion = 4;
  /** Reactions per second over all stages (congress). */
  public double reactionsPerSecond = 10;
  public double withdrawFraction = 0.1;
  /** Sustained: actions per second, and the mix of kinds in percent. */
  public double rate = 1000;
  public String mix = "vote=40,word=20,react=40";
  public int premoderatedStage = 2;

  /** Parses {@code --name value} / {@code --name=value} arguments, then fills scenario defaults. */
  public static Options parse(String... args) {
    Options o = new Options();
    Map<String, String> raw = new LinkedHashMap<>();
    List<String> flags = List.of("--help", "-h", "--no-metrics", "--hidden-results", "--visible-results",
        "--gc-at-readings");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (flags.contains(a)) {
        raw.put(a, "true");
        continue;
      }
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + a);
      }
      int eq = a.indexOf('=');
      if (eq > 0) {
        raw.put(a.substring(0, eq), a.substring(eq + 1));
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        raw.put(a, args[++i]);
      }
    }
    if (raw.containsKey("--help") || raw.containsKey("-h")) {
      o.help = true;
      return o;
    }
    for (Map.Entry<String, String> e : raw.entrySet()) {
      o.set(e.getKey(), e.getValue());
    }
    if (o.scenario == null) {
      throw new IllegalArgumentException("--scenario is required (one of " + SCENARIOS + ")");
    }
    if (o.organiserToken == null || o.organiserToken.isBlank()) {
      String env = System.getenv("PLENUM_ORGANISER_TOKEN");
      if (env == null || env.isBlank()) {
        throw new IllegalArgumentException("--organiser-token is required (or PLENUM_ORGANISER_TOKEN)");
      }
      o.organiserToken = env;
    }
    o.applyDefaults(raw.keySet());
    o.validate();
    return o;
  }

  private void set(String name, String v) {
    switch (name) {
      case "--scenario" -> scenario = v.toLowerCase(Locale.ROOT);
      case "--url" -> {
        List<URI> list = new ArrayList<>();
        for (String one : v.split(",")) {
          String t = one.trim();
          if (!t.isEmpty()) {
            list.add(URI.create(t.endsWith("/") ? t.substring(0, t.length() - 1) : t));
          }
        }
        if (list.isEmpty()) {
          throw new IllegalArgumentException("--url needs at least one URL");
        }
        urls = List.copyOf(list);
        url = list.get(0);
      }
      case "--part" -> {
        String[] kn = v.split("/");
        if (kn.length != 2) {
          throw new IllegalArgumentException("--part needs K/N, e.g. 2/3");
        }
        part = intValue(name, kn[0]);
        parts = intValue(name, kn[1]);
      }
      case "--run-file" -> runFile = v;
      case "--server-pids" -> {
        List<Integer> pids = new ArrayList<>();
        for (String one : v.split(",")) {
          if (!one.isBlank()) {
            pids.add(intValue(name, one));
          }
        }
        serverPids = List.copyOf(pids);
      }
      case "--hold-seconds" -> holdSeconds = intValue(name, v);
      case "--polling-parts" -> pollingParts = intValue(name, v);
      case "--vote-fraction" -> voteFraction = doubleValue(name, v);
      case "--visible-results" -> resultsVisible = true;
      case "--gc-at-readings" -> gcAtReadings = true;
      case "--organiser-token" -> organiserToken = v;
      case "--duration" -> durationSeconds = intValue(name, v);
      case "--viewers" -> viewers = intValue(name, v);
      case "--moderators" -> moderators = intValue(name, v);
      case "--stages" -> stages = intValue(name, v);
      case "--polls-per-stage" -> pollsPerStage = intValue(name, v);
      case "--spread-seconds" -> spreadSeconds = doubleValue(name, v);
      case "--connect-rate" -> connectRate = doubleValue(name, v);
      case "--max-connects-in-flight" -> maxConnectsInFlight = intValue(name, v);
      case "--source-addresses" -> sourceAddresses = intValue(name, v);
      case "--source-base" -> {
        sourceBase = v;
        sourceBaseGiven = true;
      }
      case "--poll-kind" -> pollKind = v.toLowerCase(Locale.ROOT);
      case "--hidden-results" -> resultsVisible = false;
      case "--change-fraction" -> changeFraction = doubleValue(name, v);
      case "--resend-fraction" -> resendFraction = doubleValue(name, v);
      case "--observers" -> observers = intValue(name, v);
      case "--event-loops" -> eventLoops = intValue(name, v);
      case "--request-timeout" -> requestTimeoutSeconds = intValue(name, v);
      case "--max-reconnects" -> maxReconnects = intValue(name, v);
      case "--ramp-seconds" -> rampSeconds = intValue(name, v);
      case "--step-viewers" -> stepViewers = intValue(name, v);
      case "--step-seconds" -> stepSeconds = intValue(name, v);
      case "--slo-ms" -> sloMillis = intValue(name, v);
      case "--settle-seconds" -> settleSeconds = doubleValue(name, v);
      case "--no-metrics" -> sampleMetrics = false;
      case "--seed" -> seed = Long.parseLong(v);
      case "--report" -> reportPath = v;
      case "--contributors" -> contributors = intValue(name, v);
      case "--entries" -> entries = intValue(name, v);
      case "--word-spread-seconds" -> wordSpreadSeconds = doubleValue(name, v);
      case "--questions" -> questions = intValue(name, v);
      case "--posts" -> posts = intValue(name, v);
      case "--upvotes-per-question" -> upvotesPerQuestion = doubleValue(name, v);
      case "--reactions-per-second" -> reactionsPerSecond = doubleValue(name, v);
      case "--withdraw-fraction" -> withdrawFraction = doubleValue(name, v);
      case "--rate" -> rate = doubleValue(name, v);
      case "--mix" -> mix = v;
      case "--premoderated-stage" -> premoderatedStage = intValue(name, v);
      case "--allow-errors" -> {
        for (String code : v.split(",")) {
          if (!code.isBlank()) {
            allowedErrors.add(code.trim());
          }
        }
      }
      default -> throw new IllegalArgumentException("unknown option: " + name);
    }
  }

  private void applyDefaults(Set<String> given) {
    switch (scenario) {
      case "smoke" -> {
        def(given, "--viewers", () -> viewers = 50);
        def(given, "--moderators", () -> moderators = 1);
        def(given, "--duration", () -> durationSeconds = 30);
        def(given, "--spread-seconds", () -> spreadSeconds = 4);
        def(given, "--change-fraction", () -> changeFraction = 0.2);
        def(given, "--resend-fraction", () -> resendFraction = 0.1);
        def(given, "--connect-rate", () -> connectRate = 100);
        def(given, "--withdraw-fraction", () -> withdrawFraction = 0.3);
        def(given, "--stages", () -> stages = 1);
        def(given, "--polls-per-stage", () -> pollsPerStage = 1);
      }
      case "poll-burst" -> {
        def(given, "--viewers", () -> viewers = 500);
        def(given, "--moderators", () -> moderators = 1);
        def(given, "--duration", () -> durationSeconds = 120);
        def(given, "--spread-seconds", () -> spreadSeconds = 10);
        def(given, "--connect-rate", () -> connectRate = 500);
        def(given, "--stages", () -> stages = 1);
        def(given, "--polls-per-stage", () -> pollsPerStage = 1);
      }
      case "word-cloud" -> {
        def(given, "--contributors", () -> contributors = 1000);
        def(given, "--viewers", () -> viewers = contributors + questions);
        def(given, "--moderators", () -> moderators = 1);
        def(given, "--duration", () -> durationSeconds = 90);
        def(given, "--word-spread-seconds", () -> wordSpreadSeconds = 3);
        def(given, "--resend-fraction", () -> resendFraction = 0.05);
        def(given, "--connect-rate", () -> connectRate = 500);
        def(given, "--stages", () -> stages = 1);
        def(given, "--polls-per-stage", () -> pollsPerStage = 1);
      }
      case "sustained" -> {
        def(given, "--viewers", () -> viewers = 2000);
        def(given, "--moderators", () -> moderators = 1);
        def(given, "--duration", () -> durationSeconds = 300);
        def(given, "--connect-rate", () -> connectRate = 500);
        def(given, "--observers", () -> observers = 20);
        def(given, "--stages", () -> stages = 1);
        def(given, "--polls-per-stage", () -> pollsPerStage = 1);
      }
      case "congress" -> {
        def(given, "--viewers", () -> viewers = 1800);
        def(given, "--moderators", () -> moderators = 1);
        def(given, "--duration", () -> durationSeconds = 600);
        def(given, "--spread-seconds", () -> spreadSeconds = 20);
        def(given, "--word-spread-seconds", () -> wordSpreadSeconds = 20);
        def(given, "--resend-fraction", () -> resendFraction = 0.02);
        def(given, "--change-fraction", () -> changeFraction = 0.1);
        def(given, "--connect-rate", () -> connectRate = 200);
        def(given, "--stages", () -> stages = 3);
        def(given, "--polls-per-stage", () -> pollsPerStage = 4);
      }
      case "join-storm" -> {
        def(given, "--viewers", () -> viewers = 2000);
        def(given, "--moderators", () -> moderators = 1);
        def(given, "--duration", () -> durationSeconds = 120);
        def(given, "--spread-seconds", () -> spreadSeconds = 5);
        def(given, "--connect-rate", () -> connectRate = 5000);
        def(given, "--max-connects-in-flight", () -> maxConnectsInFlight = 1000);
        def(given, "--stages", () -> stages = 1);
        def(given, "--polls-per-stage", () -> pollsPerStage = 1);
      }
      case "capacity" -> {
        def(given, "--viewers", () -> viewers = 10000);
        def(given, "--moderators", () -> moderators = 1);
        def(given, "--duration", () -> durationSeconds = 600);
        def(given, "--spread-seconds", () -> spreadSeconds = 10);
        def(given, "--connect-rate", () -> connectRate = 500);
        def(given, "--stages", () -> stages = 1);
        def(given, "--polls-per-stage", () -> pollsPerStage = 1);
        // In a capacity search refusals are the finding, not a failure of the generator.
        def(given, "--allow-errors", () -> allowedErrors.add("rate_limited"));
      }
      case "audience" -> {
        def(given, "--viewers", () -> viewers = 3000);
        def(given, "--moderators", () -> moderators = 1);
        def(given, "--spread-seconds", () -> spreadSeconds = 10);
        def(given, "--connect-rate", () -> connectRate = 200);
        def(given, "--stages", () -> stages = 1);
        def(given, "--polls-per-stage", () -> pollsPerStage = 3);
        def(given, "--observers", () -> observers = 0);
        // viewers of a big audience do not see results (the cheap default); --visible-results shows them
        if (!given.contains("--visible-results") && !given.contains("--hidden-results")) {
          resultsVisible = false;
        }
      }
      default -> throw new IllegalArgumentException("unknown scenario " + scenario + " (one of " + SCENARIOS + ")");
    }
    if (pollingParts < 0) {
      pollingParts = parts;
    }
    if ("audience".equals(scenario) && !given.contains("--duration") && parts >= 1 && connectRate > 0) {
      // long enough for the plan every part computes (Audience.plan), within the bound
      durationSeconds = Math.min(3600, Audience.neededSeconds(this));
    }
    if (parts > 1 && !sourceBaseGiven && part >= 1 && part <= parts) {
      // every process of a run gets source addresses of its own: one address has ~28k ports
      int k = sourceAddresses > 0 ? sourceAddresses : Loopback.addressesFor(partViewers() + moderators * urls.size() * stages + 1,
          20_000);
      sourceBase = Loopback.format(Loopback.parseIpv4("127.0.0.2") + (long) (part - 1) * k);
    }
    if (rampSeconds < 0) {
      rampSeconds = Math.max(1, durationSeconds / 4);
    }
    if (wordSpreadSeconds < 0) {
      wordSpreadSeconds = 3;
    }
  }

  private static void def(Set<String> given, String name, Runnable setter) {
    if (!given.contains(name)) {
      setter.run();
    }
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    for (URI u : urls) {
      if (!"http".equals(u.getScheme())) {
        problems.add("--url must be http://HOST:PORT[,http://HOST:PORT...] (loopback only)");
      }
      if (u.getHost() == null) {
        problems.add("--url has no host: " + u);
      }
    }
    range(problems, "--duration", durationSeconds, 5, 3600);
    range(problems, "--viewers", viewers, 1, 60000 * Math.max(1, parts));
    range(problems, "--parts (N of --part K/N)", parts, 1, 64);
    range(problems, "--part (K of --part K/N)", part, 1, Math.max(1, parts));
    if (urls.size() > 32) {
      problems.add("--url takes at most 32 nodes");
    }
    if (parts > 1 && !"audience".equals(scenario)) {
      problems.add("--part is for the audience scenario only");
    }
    if (parts > 1 && runFile == null) {
      problems.add("--part K/N needs --run-file (the processes share the event and stages through it)");
    }
    if (gcAtReadings && serverPids.isEmpty()) {
      problems.add("--gc-at-readings needs --server-pids");
    }
    if (!serverPids.isEmpty() && serverPids.size() != urls.size()) {
      problems.add("--server-pids needs one pid per --url (" + urls.size() + "), got " + serverPids.size());
    }
    range(problems, "--hold-seconds", holdSeconds, 0, 3600);
    range(problems, "--polling-parts", pollingParts, 0, Math.max(1, parts));
    if (voteFraction < 0 || voteFraction > 1) {
      problems.add("--vote-fraction must be in [0, 1]");
    }
    range(problems, "--moderators", moderators, 0, 50);
    range(problems, "--stages", stages, 1, 20);
    range(problems, "--polls-per-stage", pollsPerStage, 1, 50);
    range(problems, "--max-connects-in-flight", maxConnectsInFlight, 1, 10000);
    range(problems, "--source-addresses", sourceAddresses, -1, 250);
    range(problems, "--observers", observers, 0, 60000);
    range(problems, "--event-loops", eventLoops, 1, 64);
    range(problems, "--request-timeout", requestTimeoutSeconds, 1, 600);
    range(problems, "--max-reconnects", maxReconnects, 0, 20);
    range(problems, "--step-viewers", stepViewers, 1, 60000);
    range(problems, "--step-seconds", stepSeconds, 1, 600);
    if (spreadSeconds < 0 || spreadSeconds > 600) {
      problems.add("--spread-seconds must be 0..600");
    }
    if (connectRate <= 0 || connectRate > 100000) {
      problems.add("--connect-rate must be in (0, 100000] per second");
    }
    if (changeFraction < 0 || changeFraction > 1 || resendFraction < 0 || resendFraction > 1) {
      problems.add("--change-fraction and --resend-fraction must be in [0, 1]");
    }
    if (settleSeconds < 0 || settleSeconds > 60) {
      problems.add("--settle-seconds must be 0..60");
    }
    range(problems, "--contributors", contributors, 1, 60000);
    range(problems, "--entries", entries, 1, 10);
    range(problems, "--questions", questions, 0, 60000);
    range(problems, "--posts", posts, 0, 60000);
    if (wordSpreadSeconds < 0 || wordSpreadSeconds > 600) {
      problems.add("--word-spread-seconds must be 0..600");
    }
    if (upvotesPerQuestion < 0 || upvotesPerQuestion > 1000 || reactionsPerSecond < 0 || reactionsPerSecond > 100000) {
      problems.add("--upvotes-per-question must be 0..1000 and --reactions-per-second 0..100000");
    }
    if (withdrawFraction < 0 || withdrawFraction > 1) {
      problems.add("--withdraw-fraction must be in [0, 1]");
    }
    if (rate <= 0 || rate > 200000) {
      problems.add("--rate must be in (0, 200000] actions per second");
    }
    try {
      mixWeights();
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (!List.of("single", "multiple", "rating", "quiz").contains(pollKind)) {
      problems.add("--poll-kind must be single, multiple or rating");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Whether this process opens polls (audience: parts 1..--polling-parts do). */
  public boolean polls() {
    return part <= pollingParts;
  }

  /** Viewers this process opens: its share of --viewers (parts with a lower K take the remainder). */
  public int partViewers() {
    return viewers / parts + (part <= viewers % parts ? 1 : 0);
  }

  /**
   * The run-wide index of this process's {@code local}-th viewer: part K has the K-th block of
   * indexes, so that round-robin over the nodes by this index spreads every part over every node.
   */
  public int globalViewerIndex(int local) {
    int k = part - 1;
    return k * (viewers / parts) + Math.min(k, viewers % parts) + local;
  }

  /** The sustained mix as weights per kind (vote, word, react, upvote), from "vote=40,word=20,react=40". */
  public Map<ActionKind, Double> mixWeights() {
    Map<ActionKind, Double> w = new LinkedHashMap<>();
    for (String part : mix.split(",")) {
      String[] kv = part.split("=");
      if (kv.length != 2) {
        throw new IllegalArgumentException("--mix: expected kind=weight pairs like vote=40,word=20,react=40");
      }
      ActionKind k = switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
        case "vote" -> ActionKind.VOTE;
        case "word" -> ActionKind.WORD;
        case "react", "reaction" -> ActionKind.REACT;
        default -> throw new IllegalArgumentException("--mix: kinds are vote, word and react");
      };
      double v;
      try {
        v = Double.parseDouble(kv[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--mix: weight of " + kv[0] + " is not a number");
      }
      if (v < 0) {
        throw new IllegalArgumentException("--mix: weights must not be negative");
      }
      w.put(k, v);
    }
    if (w.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
      throw new IllegalArgumentException("--mix: weights add up to 0");
    }
    return w;
  }

  private static void range(List<String> problems, String name, int v, int min, int max) {
    if (v < min || v > max) {
      problems.add(name + " must be " + min + ".." + max + " (was " + v + ")");
    }
  }

  private static int intValue(String name, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs an integer, got " + v);
    }
  }

  private static double doubleValue(String name, String v) {
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a number, got " + v);
    }
  }

  /** Options as they appear in the report (the token is never written out). */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", scenario);
    m.put("url", url.toString());
    m.put("urls", urls.stream().map(URI::toString).toList());
    m.put("part", part + "/" + parts);
    m.put("sourceBase", sourceBase);
    m.put("durationSeconds", durationSeconds);
    m.put("viewers", viewers);
    m.put("moderators", moderators);
    m.put("stages", stages);
    m.put("pollsPerStage", pollsPerStage);
    m.put("pollKind", pollKind);
    m.put("resultsVisible", resultsVisible);
    m.put("spreadSeconds", spreadSeconds);
    m.put("changeFraction", changeFraction);
    m.put("resendFraction", resendFraction);
    m.put("connectRate", connectRate);
    m.put("maxConnectsInFlight", maxConnectsInFlight);
    m.put("sourceAddresses", sourceAddresses);
    m.put("observers", observers);
    m.put("eventLoops", eventLoops);
    m.put("rampSeconds", rampSeconds);
    m.put("seed", seed);
    m.put("allowedErrors", List.copyOf(allowedErrors));
    if (List.of("word-cloud", "congress").contains(scenario)) {
      m.put("contributors", contributors);
      m.put("entries", entries);
      m.put("wordSpreadSeconds", wordSpreadSeconds);
    }
    if ("word-cloud".equals(scenario)) {
      m.put("questions", questions);
    }
    if ("congress".equals(scenario)) {
      m.put("posts", posts);
      m.put("upvotesPerQuestion", upvotesPerQuestion);
      m.put("reactionsPerSecond", reactionsPerSecond);
      m.put("withdrawFraction", withdrawFraction);
      m.put("premoderatedStage", premoderatedStage);
    }
    if ("sustained".equals(scenario)) {
      m.put("rate", rate);
      m.put("mix", mix);
    }
    if ("audience".equals(scenario)) {
      m.put("viewersThisPart", partViewers());
      m.put("holdSeconds", holdSeconds);
      m.put("pollingParts", pollingParts);
      m.put("voteFraction", voteFraction);
      m.put("serverPids", serverPids);
      m.put("gcAtReadings", gcAtReadings);
    }
    if ("capacity".equals(scenario)) {
      m.put("stepViewers", stepViewers);
      m.put("stepSeconds", stepSeconds);
      m.put("sloMs", sloMillis);
    }
    return m;
  }

  public static String usage() {
    return """
        Usage: java -jar plenum-load.jar --scenario NAME --organiser-token TOKEN [options]

        Scenarios: smoke | poll-burst | word-cloud | congress | join-storm | capacity | sustained | audience

          --url URL[,URL...]        server base URL(s), loopback only (default http://127.0.0.1:8080);
                                    several: nodes of one deployment, viewers round-robin over them,
                                    moderators on each, REST set-up through the first
          --part K/N                audience: this process is part K of N generator processes of one
                                    run and opens its share of --viewers (the total); needs --run-file
          --run-file FILE           audience: the run's shared event and stages (part 1 writes it)
          --server-pids P1,P2,...   audience: server pids in --url order, for RSS and CPU from /proc
          --hold-seconds S          audience: everyone stays connected S s before the polls (default 10)
          --vote-fraction F         audience: share of viewers voting in each poll (default 0.1)
          --polling-parts K         audience: only parts 1..K open polls and vote (default: every part)
          --gc-at-readings          audience: full GC of each server (jcmd PID GC.run) before the idle and
                                    hold readings, so heap after GC / viewers is the live memory per viewer
          --visible-results         polls show results to viewers (audience default: hidden)
          --organiser-token T       bearer token for the REST API and moderator joins
                                    (default: $PLENUM_ORGANISER_TOKEN)
          --duration S              hard cap of the whole run in seconds (5..3600)
          --viewers N               viewer connections (capacity: the upper bound)
          --moderators N            moderator connections per stage
          --stages N                stages (congress: 3)
          --polls-per-stage N       polls per stage (congress: 4)
          --poll-kind K             single | multiple | rating (poll-burst, smoke)
          --hidden-results          create polls with resultsVisible=false (no vote-to-viewer figure)
          --spread-seconds S        viewers vote at uniformly random moments within S seconds
          --change-fraction F       share of voters who change their vote afterwards
          --resend-fraction F       share of voters who reconnect and resend the same action id
          --connect-rate R          new connections per second
          --max-connects-in-flight N
          --source-addresses K      loopback source addresses 127.0.0.2.. (0: kernel default; default auto)
          --source-base A           first source address (default 127.0.0.2)
          --observers N             viewers whose result pushes are timed (vote-to-viewer), default 100
          --ramp-seconds S          congress: time to ramp up to --viewers
          --step-viewers N --step-seconds S --slo-ms MS   capacity steps and the ack p99 limit
          --settle-seconds S        wait for the last pushes after the last ack (default 3)
          --contributors N          word-cloud contributors (word-cloud, congress; default 1000)
          --entries N               entries each contributor submits at once (default 3)
          --word-spread-seconds S   contributors start within S seconds (word-cloud 3, congress 20)
          --questions N             word-cloud: questions asked by other viewers meanwhile (default 100)
          --posts N                 congress: questions, comments and feedback in all (default 700)
          --upvotes-per-question F  congress: mean upvoters per published question (default 4)
          --reactions-per-second F  congress: reactions per second over all stages (default 10)
          --withdraw-fraction F     share of upvotes withdrawn before the final check (default 0.1)
          --premoderated-stage N    congress: the stage (1-based) whose questions wait for a moderator (default 2; 0 none)
          --rate R                  sustained: actions per second (default 1000)
          --mix vote=40,word=20,react=40   sustained: the mix of kinds
          --allow-errors a,b        server error codes that do not fail the run
          --request-timeout S       seconds before an unanswered action counts as lost (default 30)
          --max-reconnects N        reconnects per viewer after an unexpected close (default 3)
          --event-loops N           generator event loops (default 2)
          --seed N                  random seed (default 42)
          --no-metrics              do not sample GET /metrics
          --report FILE             write the report as JSON
        """;
  }
}
