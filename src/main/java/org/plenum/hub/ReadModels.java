package org.plenum.hub;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.plenum.engine.Change;
import org.plenum.engine.Engine;
import org.plenum.metrics.PlenumMetrics;

/**
 * The node's read models, one per stage this node serves (see {@link StageReadModel}), shared by
 * every event loop's {@link Hub}. Built once per node, before the gateways.
 *
 * <p>Threading: the registry itself is a concurrent map, looked up from any loop; a model is
 * created on the loop of its stage's first local subscriber, which becomes the model's home
 * context for its whole life, and removed from the map by its own home when it closes. The feeds
 * and the fan-out held here keep no state of their own: they work on the model they are handed,
 * on that model's home. Every loop hears every change on the local event bus; only the loop that
 * is home to the stage's model acts on it, so a change costs one read per node, not per loop.
 */
public final class ReadModels {
  final Engine engine;
  final PlenumMetrics metrics;
  final String nodeId;
  final Fanout fanout;
  final PollFeed polls;
  final CloudFeed clouds;
  final TalkFeed talks;
  final PresentationFeed presentations;
  final PostFeed posts;
  final LeaderboardFeed leaderboards;
  private final Map<String, Feed> feeds = new LinkedHashMap<>();
  private final int moderatorTickMs;
  private final int viewerTickMs;
  /** The presence sampling interval of the statistics ({@code statsSampleSeconds}). */
  final int sampleSeconds;
  private final ConcurrentHashMap<String, StageReadModel> models = new ConcurrentHashMap<>();

  public ReadModels(Engine engine, PlenumMetrics metrics, String nodeId, List<String> reactionSet, int joinPostsLimit,
                    int moderatorTickMs, int viewerTickMs) {
    this(engine, metrics, nodeId, reactionSet, joinPostsLimit, moderatorTickMs, viewerTickMs, 10);
  }

  public ReadModels(Engine engine, PlenumMetrics metrics, String nodeId, List<String> reactionSet, int joinPostsLimit,
                    int moderatorTickMs, int viewerTickMs, int sampleSeconds) {
    this.sampleSeconds = sampleSeconds;
    this.engine = engine;
    this.metrics = metrics;
    this.nodeId = nodeId;
    this.moderatorTickMs = moderatorTickMs;
    this.viewerTickMs = viewerTickMs;
    this.fanout = new Fanout();
    this.polls = new PollFeed(engine, fanout, metrics);
    this.clouds = new CloudFeed(engine, fanout, metrics);
    this.talks = new TalkFeed(engine, fanout, metrics);
    this.presentations = new PresentationFeed(engine, fanout, metrics);
    this.posts = new PostFeed(engine, fanout, metrics, joinPostsLimit);
    this.leaderboards = new LeaderboardFeed(engine, fanout, metrics);
    for (Feed f : List.of(polls, clouds, talks, presentations, posts, new ReactionFeed(engine, fanout, metrics, reactionSet))) {
      feeds.put(f.prefix(), f);
    }
    feeds.put(leaderboards.prefix(), leaderboards);
  }

  /** The stage's model, created with the calling loop's context as its home if the node does not serve it yet. */
  StageReadModel serve(org.plenum.stage.Stage stage, Context caller) {
    return models.computeIfAbsent(stage.id(), id -> {
      StageReadModel model = new StageReadModel(this, stage, caller);
      model.start(moderatorTickMs, viewerTickMs); // on the caller's thread, which is the home's
      return model;
    });
  }

  /** The model serving a stage on this node, if any (for tests and diagnostics; touch it only on its home). */
  public Optional<StageReadModel> model(String stageId) {
    return Optional.ofNullable(models.get(stageId));
  }

  /** How many stages this node serves. */
  public int size() {
    return models.size();
  }

  void dropped(StageReadModel model) {
    models.remove(model.stageId(), model);
  }

  /** A change heard on the local event bus by the loop whose context is {@code here}. */
  public void onChange(Change change, Context here) {
    if (change.kind() == Change.Kind.RESYNC) {
      for (StageReadModel m : models.values()) {
        if (m.home == here) {
          m.resync();
        }
      }
      return;
    }
    if (change.stageId() == null) {
      return;
    }
    StageReadModel m = models.get(change.stageId());
    if (m != null && m.home == here) {
      m.onChange(change);
    }
  }

  Collection<Feed> feeds() {
    return feeds.values();
  }

  Feed feed(String prefix) {
    return feeds.get(prefix);
  }

  /** Fills a new model's caches; on its home. */
  Future<Void> load(StageReadModel model) {
    List<Future<Void>> loads = new ArrayList<>();
    feeds.values().forEach(f -> loads.add(f.load(model)));
    loads.add(model.loadBlocklist());
    return Future.all(loads).mapEmpty();
  }

  /** Encodes a push once, counted per message type. */
  SharedFrame encode(JsonObject message) {
    SharedFrame frame = SharedFrame.of(message);
    metrics.readModelEncode(frame.type());
    return frame;
  }
}
