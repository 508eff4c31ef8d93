/**
 * Texts of the viewer's quiz corner (issue 12): the leaderboard name, the opt-out and the own
 * result. Their own file, spread into `de.ts`, so parallel changes to the dictionaries merge cleanly.
 */
export const quizDe = {
  'quizme.heading': 'Quiz',
  'quizme.nickname': 'Dein Quiz-Name',
  'quizme.nicknameHint': '2–24 Zeichen. So erscheinst du in der Bestenliste.',
  'quizme.save': 'Namen speichern',
  'quizme.saved': 'Name gespeichert: {nickname}',
  'quizme.unlisted': 'Mich nicht in der Bestenliste zeigen',
  'quizme.unlistedSaved': 'Du erscheinst nicht in der Bestenliste.',
  'quizme.listedSaved': 'Du erscheinst in der Bestenliste.',
  'quizme.error.invalid': 'Bitte 2–24 Zeichen ohne Steuerzeichen und ohne mehrere Leerzeichen hintereinander.',
  'quizme.error.blocked': 'Der Name enthält ein nicht erlaubtes Wort.',
  'quizme.error.failed': 'Der Name konnte nicht gespeichert werden. Bitte erneut versuchen.',
  'quizme.result': 'Deine Punkte: {points} · Platz {rank}',
  'quizme.resultPending': 'Deine Punkte: {points} · Platz nach der Auflösung',
  'quizme.top': 'Bestenliste (Top 10)',
  'quizme.entry': '{rank}. {nickname}: {points} Punkte',
  'quizme.revealAnswer': 'Antwort auflösen',
  'quizme.hideAnswer': 'Auflösung verbergen',
  'quizme.key': 'Richtig: {answer}',
  'quizme.scoring': '{points} Punkte, mit Tempobonus',
  'quizme.scoringFlat': '{points} Punkte, ohne Tempobonus',
};
