package org.plenum.hub;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.plenum.engine.Engine;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.Role;
import org.plenum.protocol.ServerMessages;
import org.plenum.protocol.Wire;
import org.plenum.stage.CloudResults;
import org.plenum.stage.WordCloud;

/**
 * Word clouds: definitions pushed as {@code cloud}, the top words as coalesced {@code words}
 * snapshots. Moderators also get the hidden words; everyone else never sees them.
 */
final class CloudFeed extends FeedBase {
  static final String PREFIX = "words";
  CloudFeed(Engine engine, Fanout fanout, PlenumMetrics metrics) {
    super(PREFIX, engine, fanout, metrics);
  }

  @Override
  public Future<Void> load(StageReadModel room) {
    read("clouds");
    return engine.clouds(room.stage.id()).map(clouds -> {
      clouds.forEach(c -> room.clouds.putIfAbsent(c.id(), c));
      return null;
    });
  }

  Future<Void> reload(StageReadModel room, String cloudId) {
    read("cloud");
    return engine.cloud(room.stage.id(), cloudId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      WordCloud cloud = found.get();
      room.clouds.put(cloud.id(), cloud);
      room.toLoops(loop -> loop.putCloud(cloud));
      read(PREFIX);
      return engine.cloudResults(cloud, WordCloud.TOP).map(results -> {
        String stageId = room.stage.id();
        String key = key(cloud.id());
        fanout.write(room, Audience.MODERATORS, encode(ServerMessages.cloud(stageId, cloud, results)), "cloud:" + cloud.id());
        remember(room, Audience.MODERATORS, key, results);
        if (cloud.isPublic()) {
          CloudResults visible = cloud.resultsVisible() ? results.publicView() : null;
          fanout.write(room, Audience.AUDIENCE, encode(ServerMessages.cloud(stageId, cloud, visible)), "cloud:" + cloud.id());
          if (visible != null) {
            remember(room, Audience.AUDIENCE, key, visible);
          }
        }
        return null;
      });
    });
  }

  private void remember(StageReadModel room, Audience audience, String key, CloudResults results) {
    room.rememberIfNewer(audience, key, results.version(), () -> encode(ServerMessages.words(room.stage.id(), results)));
  }

  @Override
  public Future<Void> push(StageReadModel room, Audience audience, String cloudId, long dirtySince) {
    WordCloud cloud = room.clouds.get(cloudId);
    if (cloud == null || (audience == Audience.AUDIENCE && !(cloud.isPublic() && cloud.resultsVisible()))) {
      return Future.succeededFuture();
    }
    String key = key(cloudId);
    read(PREFIX);
    return engine.cloudResults(cloud, WordCloud.TOP).map(all -> {
      CloudResults results = audience == Audience.MODERATORS ? all : all.publicView();
      if (fanout.writeIfNewer(room, audience, key, results.version(),
          () -> encode(ServerMessages.words(room.stage.id(), results)))) {
        metrics.changeToPush(audience.metricTag(), System.nanoTime() - dirtySince);
      }
      return null;
    });
  }

  @Override
  public Future<Void> snapshot(StageReadModel room, Role role, String participantId, JsonObject joined) {
    List<WordCloud> clouds = StageReadModel.newest(room.cloudsFor(role));
    List<Future<CloudResults>> results = new ArrayList<>();
    for (WordCloud c : clouds) {
      boolean visible = role == Role.MODERATOR || c.resultsVisible();
      results.add(visible ? engine.cloudResults(c, WordCloud.TOP) : Future.succeededFuture(null));
    }
    List<Future<java.util.Set<String>>> mine = new ArrayList<>();
    for (WordCloud c : clouds) {
      mine.add(role == Role.VIEWER ? engine.wordsOf(c.stageId(), c.id(), participantId) : Future.succeededFuture(null));
    }
    return Future.all(Future.all(results), Future.all(mine)).map(all -> {
      JsonArray out = new JsonArray();
      for (int i = 0; i < clouds.size(); i++) {
        CloudResults r = results.get(i).result();
        JsonObject entry = Wire.cloudWithResults(clouds.get(i), r == null || role == Role.MODERATOR ? r : r.publicView());
        if (mine.get(i).result() != null) {
          entry.put("mine", new JsonArray(new ArrayList<>(mine.get(i).result())));
        }
        out.add(entry);
      }
      joined.put("clouds", out);
      return null;
    });
  }
}
