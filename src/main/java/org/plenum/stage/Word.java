package org.plenum.stage;

/** A normalised word-cloud entry: the key it groups under and the spelling as the participant wrote it. */
public record Word(String key, String spelling) {}
