package org.plenum.stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.plenum.protocol.ErrorCode;

/**
 * The entries of one word cloud: who gave which key, in which spellings, and the moderators'
 * hides and merges. The cloud's aggregate rules, pure (no I/O, no threads):
 * <ul>
 *   <li>only an open cloud takes entries ({@link #refusal(WordCloud)});</li>
 *   <li>a key typed is resolved through earlier merges; a participant holds a key once
 *       ({@code already_submitted}) and at most the cloud's {@code maxEntries} keys
 *       ({@code too_many_entries}) ({@link #refusal(String, String, int)});</li>
 *   <li>an entry tallies its spelling for the key, except when the key typed was merged away (the
 *       target keeps its own spelling); a word's count is its number of contributors;</li>
 *   <li>a hidden word keeps its count but leaves the visible list; a merge moves the contributors
 *       of one key to another (a participant who had both counts once and holds one entry),
 *       forgets the merged key's spellings and hidden flag, and redirects later entries;</li>
 *   <li>hide and merge need a key with contributors ({@link #wordRefusal}); every change grows the
 *       version by one.</li>
 * </ul>
 * The memory engine applies it as it is; its Redis twins are {@code redis/submit_word.lua},
 * {@code redis/hide_word.lua}, {@code redis/merge_words.lua} and {@code redis/cloud_read.lua}.
 */
public class CloudTally {
  private long version;
  private long entries;
  private final Map<String, Set<String>> contributors = new HashMap<>();
  private final Map<String, Map<String, Long>> spellings = new HashMap<>();
  private final Map<String, Set<String>> keysOf = new HashMap<>();
  private final Map<String, String> mergedInto = new HashMap<>();
  private final Set<String> hidden = new HashSet<>();
  /** Every key with contributors, best first, kept sorted as counts move (text unused). */
  private final TreeSet<CloudWord> ranking = new TreeSet<>(CloudRanking.ORDER);

  /** Null if {@code cloud} (null: it does not exist) takes entries now, else the refusal. */
  public static ErrorCode refusal(WordCloud cloud) {
    if (cloud == null) {
      return ErrorCode.UNKNOWN_CLOUD;
    }
    return cloud.isOpen() ? null : ErrorCode.CLOUD_NOT_OPEN;
  }

  /** The key an entry of {@code key} counts for, merges applied. */
  public String resolve(String key) {
    return mergedInto.getOrDefault(key, key);
  }

  /** The number of contributors of {@code key} (0 for a key nobody gave, or merged away). */
  public long count(String key) {
    Set<String> who = contributors.get(key);
    return who == null ? 0 : who.size();
  }

  /** Null if the participant may add {@code typed}, else the refusal. */
  public ErrorCode refusal(String participantId, String typed, int maxEntries) {
    Set<String> mine = keysOf.getOrDefault(participantId, Set.of());
    if (mine.contains(resolve(typed))) {
      return ErrorCode.ALREADY_SUBMITTED;
    }
    if (mine.size() >= maxEntries) {
      return ErrorCode.TOO_MANY_ENTRIES;
    }
    return null;
  }

  /** Null if a moderator may hide or merge {@code key}, else the refusal: nobody gave it. */
  public ErrorCode wordRefusal(String key) {
    return count(key) == 0 ? ErrorCode.UNKNOWN_WORD : null;
  }

  /** Null if {@code from} may be merged into {@code into}, else the refusal. */
  public ErrorCode mergeRefusal(String from, String into) {
    if (from.equals(into)) {
      return ErrorCode.INVALID_FIELD;
    }
    ErrorCode refused = wordRefusal(from);
    return refused != null ? refused : wordRefusal(into);
  }

  /** Adds an entry (already checked with {@link #refusal(String, String, int)}). */
  public void add(String participantId, String typed, String spelling) {
    String key = resolve(typed);
    keysOf.computeIfAbsent(participantId, k -> new HashSet<>()).add(key);
    Set<String> who = contributors.computeIfAbsent(key, k -> new HashSet<>());
    long before = who.size();
    who.add(participantId);
    rerank(key, before, who.size());
    if (key.equals(typed)) { // a merged-away spelling is not tallied: the target keeps its own
      spellings.computeIfAbsent(key, k -> new HashMap<>()).merge(spelling, 1L, Long::sum);
    }
    entries++;
    version++;
  }

  public void hide(String key, boolean hide) {
    if (hide) {
      hidden.add(key);
    } else {
      hidden.remove(key);
    }
    version++;
  }

  /** Merges {@code from} into {@code into} (already checked with {@link #mergeRefusal}). */
  public void merge(String from, String into) {
    Set<String> fromWho = contributors.remove(from);
    Set<String> intoWho = contributors.get(into);
    long before = intoWho.size();
    for (String participant : fromWho) {
      Set<String> mine = keysOf.get(participant);
      mine.remove(from);
      mine.add(into);
      intoWho.add(participant);
    }
    ranking.remove(new CloudWord(from, from, fromWho.size()));
    rerank(into, before, intoWho.size());
    spellings.remove(from);
    hidden.remove(from);
    mergedInto.replaceAll((word, target) -> target.equals(from) ? into : target);
    mergedInto.put(from, into);
    version++;
  }

  private void rerank(String key, long before, long after) {
    if (before == after) {
      return;
    }
    if (before > 0) {
      ranking.remove(new CloudWord(key, key, before));
    }
    ranking.add(new CloudWord(key, key, after));
  }

  /** The top {@code top} visible words and every hidden word, in {@link CloudRanking#ORDER}. */
  public CloudResults results(String cloudId, int top) {
    List<CloudWord> words = new ArrayList<>(Math.max(0, Math.min(top, ranking.size())));
    for (CloudWord ranked : ranking) {
      if (words.size() >= top) {
        break;
      }
      if (!hidden.contains(ranked.key())) {
        words.add(shown(ranked.key(), ranked.count()));
      }
    }
    List<CloudWord> hiddenWords = new ArrayList<>(hidden.size());
    for (String key : hidden) {
      hiddenWords.add(shown(key, count(key)));
    }
    hiddenWords.sort(CloudRanking.ORDER);
    return new CloudResults(cloudId, version, keysOf.size(), entries, List.copyOf(words), List.copyOf(hiddenWords));
  }

  private CloudWord shown(String key, long count) {
    return new CloudWord(key, CloudRanking.display(key, spellings.getOrDefault(key, Map.of())), count);
  }

  /** The keys the participant holds, merges applied. */
  public Set<String> keysOf(String participantId) {
    Set<String> keys = keysOf.get(participantId);
    return keys == null ? Set.of() : Set.copyOf(keys);
  }

  public long version() {
    return version;
  }

  public void version(long v) {
    version = v;
  }

  public long entries() {
    return entries;
  }

  /** Key -> its contributors (read-only views; copy before keeping). */
  public Map<String, Set<String>> contributors() {
    return Collections.unmodifiableMap(contributors);
  }

  /** Key -> spelling -> how often it was typed. */
  public Map<String, Map<String, Long>> spellings() {
    return Collections.unmodifiableMap(spellings);
  }

  /** Merged-away key -> the key it counts for. */
  public Map<String, String> mergedInto() {
    return Collections.unmodifiableMap(mergedInto);
  }

  public Set<String> hidden() {
    return Collections.unmodifiableSet(hidden);
  }

  /** How many participants hold entries (the weight of a stored copy). */
  public int participants() {
    return keysOf.size();
  }

  /** Puts back a stored state as the read methods above gave it; takes over the contributors' sets (no copy). */
  public void restore(long v, long storedEntries, Map<String, Set<String>> storedContributors,
                      Map<String, Map<String, Long>> storedSpellings, Map<String, String> storedMerges,
                      Set<String> storedHidden) {
    version = v;
    entries = storedEntries;
    storedContributors.forEach((key, who) -> {
      for (String p : who) {
        keysOf.computeIfAbsent(p, k -> new HashSet<>()).add(key);
      }
      contributors.put(key, who);
      if (!who.isEmpty()) {
        ranking.add(new CloudWord(key, key, who.size()));
      }
    });
    storedSpellings.forEach((key, counts) -> spellings.put(key, new HashMap<>(counts)));
    mergedInto.putAll(storedMerges);
    hidden.addAll(storedHidden);
  }
}
