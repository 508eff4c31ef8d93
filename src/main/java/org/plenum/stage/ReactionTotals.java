package org.plenum.stage;

import java.util.Map;

/** How many of each reaction a stage has received in all; {@code version} grows with each one. */
public record ReactionTotals(long version, Map<String, Long> totals) {}
