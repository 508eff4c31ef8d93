package org.plenum.config;

/**
 * Data protection: automatic deletion of past events ({@code org.plenum.api.RetentionSweeper}).
 *
 * @param retentionDays         an event is deleted this many days after its end; 0 = never
 * @param retentionSweepMinutes how often the sweep runs (it also finishes half-done deletions)
 */
public record Retention(int retentionDays, int retentionSweepMinutes) {}
