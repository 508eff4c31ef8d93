package org.plenum.config;

/**
 * The memory engine's bounds: how many action ids it remembers per participant per stage (the
 * time bound is {@code actionIdTtlSeconds}), and when it snapshots its state and compacts the
 * journal. See docs/configuration.md and docs/operations.md.
 */
public record JournalSettings(int actionIdWindow, int snapshotEveryRecords, int snapshotEveryMegabytes,
                              int snapshotAfterDeleteSeconds) {
  public static final JournalSettings DEFAULT = new JournalSettings(256, 50_000, 64, 60);
}
