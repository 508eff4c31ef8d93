package org.plenum.engine;

import java.util.Comparator;
import java.util.Map;
import org.plenum.stage.CloudWord;

/**
 * The domain's cloud ranking ({@link org.plenum.stage.CloudRanking}) under the name the Redis
 * engine uses; kept only so that engine's code is unchanged while it is reworked elsewhere.
 */
final class CloudRanking {
  static final Comparator<CloudWord> ORDER = org.plenum.stage.CloudRanking.ORDER;

  private CloudRanking() {}

  static String display(String key, Map<String, Long> spellings) {
    return org.plenum.stage.CloudRanking.display(key, spellings);
  }
}
