/**
 * Texts for what the server pushes when an organiser changes a running stage (issue 8: a poll or
 * cloud deleted, the stage reset or deleted). Their own file, spread into `de.ts`, so parallel
 * changes to the pages' dictionaries merge cleanly.
 */
export const lifecycleDe = {
  'stage.deleted': 'Diese Bühne wurde gelöscht.',
  'stage.deletedHint': 'Die Veranstalter haben sie entfernt. Hier gibt es nichts mehr zu sehen.',
  'stage.deletedHome': 'Anderen Code eingeben',
  'stage.deletedModerator': 'Die Bühne „{stage}“ wurde gelöscht.',
  'stage.reset': 'Die Bühne wurde zurückgesetzt.',
  'stage.pollRemoved': 'Die Umfrage „{question}“ wurde entfernt.',
  'stage.cloudRemoved': 'Die Wortwolke „{prompt}“ wurde entfernt.',
};
