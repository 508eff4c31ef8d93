package org.plenum.hub;

import org.plenum.engine.Engine;
import org.plenum.metrics.PlenumMetrics;

/** What every feed has: the engine it reads, the fan-out it writes through, and its key prefix. */
abstract class FeedBase implements Feed {
  protected final Engine engine;
  protected final Fanout fanout;
  protected final PlenumMetrics metrics;
  private final String prefix;

  FeedBase(String prefix, Engine engine, Fanout fanout, PlenumMetrics metrics) {
    this.prefix = prefix;
    this.engine = engine;
    this.fanout = fanout;
    this.metrics = metrics;
  }

  @Override
  public final String prefix() {
    return prefix;
  }

  /** Encodes a push once, counted per message type (the fan-out writes the same bytes to every session). */
  protected final SharedFrame encode(io.vertx.core.json.JsonObject message) {
    SharedFrame frame = SharedFrame.of(message);
    metrics.readModelEncode(frame.type());
    return frame;
  }

  /** Counts one read of an aggregate or definition of {@code kind} from the engine. */
  protected final void read(String kind) {
    metrics.readModelRead(kind);
  }

  /** The aggregate key of one item of this feed, e.g. {@code results:<pollId>}. */
  protected final String key(String id) {
    return prefix + ":" + id;
  }
}
