package org.plenum.stage;

import java.util.ArrayList;
import java.util.List;

/** How an edit of a quiz question's draft keeps its key (the edit itself does not name one). */
public final class QuizDrafts {
  private QuizDrafts() {}

  /** {@code spec} with the correct options of {@code quiz} by their positions, its points and speed bonus. */
  public static PollSpec keepKey(PollSpec spec, Poll quiz) {
    List<Integer> correct = new ArrayList<>();
    for (int i = 0; i < quiz.options().size(); i++) {
      if (quiz.quiz().correct().contains(quiz.options().get(i).id())) {
        correct.add(i);
      }
    }
    return new PollSpec(spec.kind(), spec.question(), spec.options(), null, null, spec.resultsVisible(), spec.open(),
        spec.seconds(), correct, quiz.quiz().points(), quiz.quiz().speedBonus());
  }
}
