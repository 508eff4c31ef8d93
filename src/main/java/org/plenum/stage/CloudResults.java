package org.plenum.stage;

import java.util.List;

/**
 * A snapshot of a word cloud: the top words (hidden ones left out), and, for moderators, the
 * hidden ones. {@code version} grows with every applied change, on every node.
 *
 * @param contributors participants with at least one entry
 * @param entries      accepted entries in all
 */
public record CloudResults(String cloudId, long version, long contributors, long entries,
                           List<CloudWord> words, List<CloudWord> hidden) {

  /** The same snapshot without the hidden words, for viewers, presenters and exports. */
  public CloudResults publicView() {
    return hidden.isEmpty() ? this : new CloudResults(cloudId, version, contributors, entries, words, List.of());
  }
}
