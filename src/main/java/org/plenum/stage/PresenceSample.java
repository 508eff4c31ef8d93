package org.plenum.stage;

import java.time.Instant;

/**
 * A stage's presence over the whole deployment at one sampling interval: {@code at} is the interval's
 * start (a multiple of the interval since the epoch), so every node sampling the interval names it alike.
 */
public record PresenceSample(Instant at, Presence presence) {}
