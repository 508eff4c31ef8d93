import type { Poll, PollResults } from '../src/lib/protocol';

export function poll(id: string, extra: Partial<Poll> = {}): Poll {
  return {
    id,
    stageId: 'st1',
    kind: 'single',
    question: `Question ${id}?`,
    options: [
      { id: 'a', label: 'Ja' },
      { id: 'b', label: 'Nein' },
    ],
    maxSelections: 1,
    scale: null,
    state: 'open',
    resultsVisible: true,
    createdAt: '2026-11-22T09:00:00Z',
    openedAt: '2026-11-22T09:05:00Z',
    closedAt: null,
    ...extra,
  };
}

export function results(pollId: string, version: number, counts: Record<string, number>, voters?: number): PollResults {
  return { pollId, version, voters: voters ?? Object.values(counts).reduce((a, b) => a + b, 0), counts, mean: null };
}
