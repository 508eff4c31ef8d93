// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { setLanguage } from '../src/lib/i18n';
import type { Poll, PollResults } from '../src/lib/protocol';
import { ModeratorPollCard, visibilityCommand } from '../src/ui/moderator-poll';

const quizPoll = (over: Partial<Poll> = {}): Poll =>
  ({ id: 'q1', stageId: 'st1', kind: 'quiz', question: 'Seit wann gilt das OZG?', options: [{ id: 'a', label: '2017' }, { id: 'b', label: '2020' }, { id: 'c', label: '2024' }], maxSelections: 1, scale: null, state: 'open', resultsVisible: false, createdAt: '', openedAt: '', closedAt: null, closesAt: null, quiz: { points: 1000, speedBonus: true, correct: ['a'] }, ...over }) as Poll;
const results: PollResults = { pollId: 'q1', version: 1, voters: 0, counts: { a: 0, b: 0, c: 0 }, mean: null };

describe('the moderator’s quiz card (issue 12)', () => {
  it('names the correct options, the points and the speed bonus, and labels the reveal as the answer', () => {
    setLanguage('en');
    const sent: string[] = [];
    const card = new ModeratorPollCard({ poll: quizPoll(), results }, { command: async (_p, c) => (sent.push(c), { poll: quizPoll(), results }) });
    document.body.replaceChildren(card.el);
    expect(card.el.querySelector('.quiz-key')!.textContent).toBe('Correct: 2017 · 1,000 points, with speed bonus');
    const reveal = [...card.el.querySelectorAll('button')].find((b) => b.textContent === 'Reveal answer');
    expect(reveal, 'a clearly labelled reveal').toBeDefined();
    reveal!.click();
    expect(sent).toEqual(['reveal']);
    card.update({ poll: quizPoll({ resultsVisible: true, quiz: { points: 500, speedBonus: false, correct: ['a', 'c'] }, maxSelections: 2 }), results });
    expect(card.el.querySelector('.quiz-key')!.textContent).toBe('Correct: 2017 and 2024 · 500 points, no speed bonus');
    expect(visibilityCommand(quizPoll({ resultsVisible: true })).label).toBe('quizme.hideAnswer');
    setLanguage('de');
    card.refresh();
    expect(card.el.querySelector('.quiz-key')!.textContent).toBe('Richtig: 2017 und 2024 · 500 Punkte, ohne Tempobonus');
  });

  it('keeps the plain labels and no key line for other polls', () => {
    setLanguage('en');
    const card = new ModeratorPollCard({ poll: quizPoll({ kind: 'single', quiz: undefined }), results }, { command: async () => ({ poll: quizPoll(), results }) });
    expect((card.el.querySelector('.quiz-key') as HTMLElement).hidden).toBe(true);
    expect(visibilityCommand(quizPoll({ kind: 'single', quiz: undefined })).label).toBe('moderator.reveal');
  });
});
