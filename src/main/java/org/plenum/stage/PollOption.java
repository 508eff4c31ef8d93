package org.plenum.stage;

public record PollOption(String id, String label) {}
