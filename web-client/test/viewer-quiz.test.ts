// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ActionError } from '../src/lib/connection';
import { setLanguage } from '../src/lib/i18n';
import type { Poll } from '../src/lib/protocol';
import type { NicknameAction, StandingReply } from '../src/lib/quiz';
import { STANDING_INTERVAL_MS, ViewerQuizCorner } from '../src/ui/viewer-quiz';

const settle = () => new Promise((r) => setTimeout(r, 0));
const quiz = (id: string, resultsVisible: boolean): Poll =>
  ({ id, stageId: 'st1', kind: 'quiz', question: 'Q', options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }], maxSelections: 1, scale: null, state: 'open', resultsVisible, createdAt: '', openedAt: '', closedAt: null, quiz: { points: 1000, speedBonus: false } }) as Poll;
const reply = (over: Partial<StandingReply> = {}): StandingReply => ({ type: 'standing', id: 's', stageId: 'st1', nickname: 'Swift Otter 42', listed: true, points: 0, correct: 0, rank: null, participants: 0, pending: 0, ...over });

function corner(standing: () => StandingReply, nickname: (a: Omit<NicknameAction, 'type'>) => Promise<{ nickname?: string; listed?: boolean }> = async (a) => ({ nickname: a.nickname, listed: a.listed })) {
  let clock = 0;
  const asked: number[] = [];
  const sent: Array<Omit<NicknameAction, 'type'>> = [];
  const c = new ViewerQuizCorner(
    {
      standing: async () => {
        asked.push(clock);
        return standing();
      },
      nickname: (a) => {
        sent.push(a);
        return nickname(a);
      },
    },
    () => clock,
  );
  document.body.replaceChildren(c.el);
  return { c, asked, sent, tick: (ms: number) => (clock += ms) };
}

describe('the viewer’s quiz corner (issue 12)', () => {
  it('stays hidden without a quiz, then asks for the standing and shows the generated name', async () => {
    setLanguage('en');
    const { c, asked } = corner(() => reply());
    c.sync([]);
    expect(c.el.hidden).toBe(true);
    expect(asked).toEqual([]);
    c.sync([quiz('p1', false)]);
    await settle();
    expect(c.el.hidden).toBe(false);
    expect(asked.length).toBe(1);
    expect((c.el.querySelector('#quiz-nickname') as HTMLInputElement).value).toBe('Swift Otter 42');
    expect(c.el.querySelector('label[for="quiz-nickname"]')!.textContent).toBe('Your quiz name');
    expect(c.el.querySelector('.quiz-result')!.textContent).toBe('Your points: 0 · rank after the reveal');
  });

  it('asks again after a reveal and a board push, at most once per interval', async () => {
    setLanguage('en');
    let current = reply();
    const { c, asked, tick } = corner(() => current);
    c.sync([quiz('p1', false)]);
    await settle();
    current = reply({ points: 940, correct: 1, rank: 3 });
    c.sync([quiz('p1', true)]); // a reveal within the interval: kept as a trailing ask
    c.leaderboard({ stageId: 'st1', scored: 1, participants: 1, entries: [] });
    expect(asked.length).toBe(1);
    tick(STANDING_INTERVAL_MS);
    await new Promise((r) => setTimeout(r, STANDING_INTERVAL_MS + 20));
    expect(asked.length).toBe(2);
    expect(c.el.querySelector('.quiz-result')!.textContent).toBe('Your points: 940 · rank 3');
    c.sync([quiz('p1', true)]); // nothing new revealed: no ask
    expect(asked.length).toBe(2);
  });

  it('saves a new name, shows a refusal next to the field, and opts out keeping the name', async () => {
    setLanguage('en');
    const { c, sent } = corner(
      () => reply(),
      async (a) => {
        if (a.nickname === 'bad') throw new ActionError('blocked_word', 'blocked', 'n1');
        if (a.nickname === 'x') throw new ActionError('invalid_nickname', 'invalid', 'n2');
        return { nickname: a.nickname, listed: a.listed };
      },
    );
    c.sync([quiz('p1', false)]);
    await settle();
    const input = c.el.querySelector('#quiz-nickname') as HTMLInputElement;
    const form = c.el.querySelector('form')!;
    input.value = 'bad';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(c.el.querySelector('#quiz-nickname-error')!.textContent).toBe('The name contains a word that is not allowed.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    input.value = 'x';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(c.el.querySelector('#quiz-nickname-error')!.textContent).toContain('2–24 characters');
    input.value = '  Ada Lovelace ';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(c.el.querySelector('#quiz-nickname-error')!.textContent).toBe('');
    expect(c.el.querySelector('.settings-status')!.textContent).toBe('Name saved: Ada Lovelace');
    const box = c.el.querySelector('#quiz-unlisted') as HTMLInputElement;
    box.checked = true;
    box.dispatchEvent(new Event('change'));
    await settle();
    expect(sent.at(-1)).toEqual({ nickname: 'Ada Lovelace', listed: false });
    expect(c.el.querySelector('.settings-status')!.textContent).toBe('You are not listed on the leaderboard.');
  });

  it('shows the top 10 only while the leaderboard is on the screens', () => {
    setLanguage('de');
    const { c } = corner(() => reply());
    const entries = Array.from({ length: 12 }, (_, i) => ({ rank: i + 1, nickname: `N${i + 1}`, points: 100 - i, correct: 1 }));
    c.leaderboard({ stageId: 'st1', scored: 12, participants: 12, entries });
    expect((c.el.querySelector('.quiz-board-box') as HTMLElement).hidden).toBe(true);
    c.presentation('leaderboard');
    expect(c.el.querySelectorAll('.quiz-board li').length).toBe(10);
    expect(c.el.querySelector('.quiz-board li')!.textContent).toBe('1. N1: 100 Punkte');
    c.presentation('auto');
    expect((c.el.querySelector('.quiz-board-box') as HTMLElement).hidden).toBe(true);
  });
});
