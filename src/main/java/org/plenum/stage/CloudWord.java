package org.plenum.stage;

/**
 * One word of a cloud: its grouping key, the text shown (the most frequent original spelling)
 * and how many participants submitted it.
 */
public record CloudWord(String key, String text, long count) {}
