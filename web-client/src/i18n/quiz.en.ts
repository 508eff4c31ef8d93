import type { quizDe } from './quiz.de';

/** English texts of the viewer's quiz corner; keys as in `quiz.de.ts`. */
export const quizEn: typeof quizDe = {
  'quizme.heading': 'Quiz',
  'quizme.nickname': 'Your quiz name',
  'quizme.nicknameHint': '2–24 characters. This is how you appear on the leaderboard.',
  'quizme.save': 'Save name',
  'quizme.saved': 'Name saved: {nickname}',
  'quizme.unlisted': "Don't list me on the leaderboard",
  'quizme.unlistedSaved': 'You are not listed on the leaderboard.',
  'quizme.listedSaved': 'You are listed on the leaderboard.',
  'quizme.error.invalid': 'Please use 2–24 characters, no control characters and no runs of spaces.',
  'quizme.error.blocked': 'The name contains a word that is not allowed.',
  'quizme.error.failed': 'The name could not be saved. Please try again.',
  'quizme.result': 'Your points: {points} · rank {rank}',
  'quizme.resultPending': 'Your points: {points} · rank after the reveal',
  'quizme.top': 'Leaderboard (top 10)',
  'quizme.entry': '{rank}. {nickname}: {points} points',
  'quizme.revealAnswer': 'Reveal answer',
  'quizme.hideAnswer': 'Hide answer',
  'quizme.key': 'Correct: {answer}',
  'quizme.scoring': '{points} points, with speed bonus',
  'quizme.scoringFlat': '{points} points, no speed bonus',
};
