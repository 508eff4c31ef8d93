package org.plenum.config;

/** Which {@link org.plenum.engine.Engine} implementation holds the state. */
public enum EngineKind { MEMORY, REDIS }
