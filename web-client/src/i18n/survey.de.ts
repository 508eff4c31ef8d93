/** Texts of a talk's feedback survey on the viewer page (issue 12); their own file, spread into `de.ts`. */
export const surveyDe = {
  'survey.heading': 'Feedback zum Vortrag „{talk}“',
  'survey.intro': 'Ihre Antworten sind anonym. Sie können sie ändern, solange die Umfrage offen ist.',
  'survey.required': '(Pflichtfrage)',
  'survey.ratingOf': '{value} von {scale}',
  'survey.chooseUpTo': 'Höchstens {max} Antworten.',
  'survey.textHint': 'Höchstens {max} Zeichen.',
  'survey.submit': 'Feedback senden',
  'survey.resubmit': 'Feedback aktualisieren',
  'survey.sent': 'Danke! Ihr Feedback ist angekommen.',
  'survey.error.required': 'Bitte beantworten Sie alle Pflichtfragen.',
  'survey.error.closed': 'Die Umfrage ist geschlossen. Ihre Antworten wurden nicht gespeichert.',
  'survey.error.invalid': 'Eine Antwort ist nicht möglich. Bitte prüfen Sie Ihre Eingaben.',
  'survey.error.other': 'Das Feedback konnte nicht gesendet werden. Bitte versuchen Sie es erneut.',
};
