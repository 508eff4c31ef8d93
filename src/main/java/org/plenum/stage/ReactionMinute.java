package org.plenum.stage;

import java.time.Instant;
import java.util.Map;

/** The reactions of one minute on a stage, for the timeline of the export. */
public record ReactionMinute(Instant minute, Map<String, Long> counts) {}
