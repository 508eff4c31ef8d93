import type { lifecycleDe } from './lifecycle.de';

/** English texts for a deleted poll, cloud or stage and a stage reset; keys as in `lifecycle.de.ts`. */
export const lifecycleEn: typeof lifecycleDe = {
  'stage.deleted': 'This stage was deleted.',
  'stage.deletedHint': 'The organisers removed it. There is nothing more to see here.',
  'stage.deletedHome': 'Enter another code',
  'stage.deletedModerator': 'The stage “{stage}” was deleted.',
  'stage.reset': 'The stage was reset.',
  'stage.pollRemoved': 'The poll “{question}” was removed.',
  'stage.cloudRemoved': 'The word cloud “{prompt}” was removed.',
};
