/**
 * Texts for a closed event's passcode (issue 12): the viewer's prompt and the organiser's
 * setting. Their own file, spread into `de.ts`, so parallel changes merge cleanly.
 */
export const passcodeDe = {
  'passcode.heading': 'Zugangscode eingeben',
  'passcode.intro': 'Diese Veranstaltung ist geschlossen. Bitte geben Sie den Zugangscode aus Ihrer Einladung ein.',
  'passcode.label': 'Zugangscode',
  'passcode.hint': 'Groß- und Kleinschreibung zählt. Der Code bleibt gespeichert, bis Sie diesen Tab schließen.',
  'passcode.submit': 'Weiter',
  'passcode.back': 'Anderen Code für die Bühne eingeben',
  'passcode.error.empty': 'Bitte geben Sie den Zugangscode ein.',
  'passcode.error.wrong': 'Dieser Zugangscode stimmt nicht. Bitte prüfen Sie ihn.',
  'passcode.error.limited': 'Zu viele falsche Versuche aus Ihrem Netzwerk. Bitte warten Sie {seconds} Sekunden.',
  'passcode.changed': 'Der Zugangscode wurde geändert. Bitte geben Sie den neuen Code ein.',
  'passcode.organiser.heading': 'Zugangscode',
  'passcode.organiser.intro':
    'Mit einem Zugangscode ist die Veranstaltung geschlossen: Teilnehmende müssen ihn eingeben, bevor sie etwas sehen. Moderation und Organisation brauchen ihn nicht.',
  'passcode.organiser.label': 'Zugangscode (4 bis 64 Zeichen)',
  'passcode.organiser.save': 'Zugangscode speichern',
  'passcode.organiser.remove': 'Zugangscode entfernen',
  'passcode.organiser.open': 'Offen: jede Person mit Link oder Code kann teilnehmen.',
  'passcode.organiser.closed': 'Geschlossen: Teilnahme nur mit Zugangscode.',
  'passcode.organiser.saved': 'Zugangscode gespeichert.',
  'passcode.organiser.removed': 'Zugangscode entfernt. Die Veranstaltung ist offen.',
  'passcode.organiser.error.length': 'Der Zugangscode hat 4 bis 64 Zeichen.',
};
