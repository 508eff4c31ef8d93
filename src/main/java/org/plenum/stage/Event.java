package org.plenum.stage;

import java.time.Instant;

/** A conference: the container of stages. */
public record Event(String id, String name, Instant createdAt) {}
