import type { rankingDe } from './ranking.de';

/** English texts for ranking polls, removing votes and custom timer durations; keys as in `ranking.de.ts`. */
export const rankingEn: typeof rankingDe = {
  'poll.kind.ranking': 'Ranking',
  'ranking.points': '{count} point|{count} points',
  'ranking.meanRank': 'mean rank {rank}',
  'ranking.atPosition': '#{position}: {count}',
  'ranking.bordaNote': 'Borda: {max} points for first place … 0 for last',
  'ranking.hint': 'Put all answers in your order, the most important at the top: drag them, or move them with the arrow buttons.',
  'ranking.position': 'Rank {position}',
  'ranking.up': 'Move “{label}” up',
  'ranking.down': 'Move “{label}” down',
  'ranking.moved': '“{label}” is now at rank {position} of {total}.',
  'ranking.submit': 'Submit ranking',
  'ranking.change': 'Change ranking',
  'mposts.removeVotes': 'Remove votes',
  'mposts.removeVotesTitle': 'Remove this person’s votes?',
  'mposts.removeVotesMessage': 'Every counted vote of the person who wrote “{text}” is removed from all polls of this stage, closed ones too. This cannot be undone.',
  'mposts.removeVotesConfirm': 'Remove votes',
  'mposts.done.removeVotes': 'Votes removed from {count} poll.|Votes removed from {count} polls.',
  'report.bordaPoints': 'Borda points',
  'report.meanRank': 'Mean rank',
  'report.positions': 'By rank',
  'timer.custom': 'Other duration …',
  'timer.customMinutes': 'Minutes',
  'timer.customSeconds': 'Seconds',
  'timer.customError': 'Please enter a duration from 10 seconds to 24 hours.',
};
