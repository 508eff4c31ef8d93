package org.plenum.stage;

import java.util.Comparator;
import java.util.Map;

/**
 * How every engine orders a cloud's words and picks the spelling it shows, so that the memory and
 * the Redis engine give the same snapshot for the same entries.
 */
public final class CloudRanking {
  /**
   * Most contributors first; ties by key in code-point order, which is the bytewise order of the
   * keys' UTF-8 (the order Redis gives members of a sorted set with equal scores).
   */
  public static final Comparator<CloudWord> ORDER = (a, b) -> {
    int byCount = Long.compare(b.count(), a.count());
    return byCount != 0 ? byCount : compareKeys(a.key(), b.key());
  };

  private CloudRanking() {}

  public static int compareKeys(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** The spelling typed most often; ties go to the first in code-point order; the key if none was tallied. */
  public static String display(String key, Map<String, Long> spellings) {
    String best = null;
    long bestCount = 0;
    for (Map.Entry<String, Long> e : spellings.entrySet()) {
      long n = e.getValue();
      if (best == null || n > bestCount || n == bestCount && compareKeys(e.getKey(), best) < 0) {
        best = e.getKey();
        bestCount = n;
      }
    }
    return best == null ? key : best;
  }
}
