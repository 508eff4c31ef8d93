// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { setLanguage } from '../src/lib/i18n';
import type { Poll, PollResults } from '../src/lib/protocol';
import { rankingBars } from '../src/lib/results-view';
import { customTimerSeconds, ModeratorTimerControls, TIMER_MAX_SECONDS } from '../src/ui/countdown';
import { RankingOrder } from '../src/ui/ranking-order';
import { distributionText, ResultsView, resultsSentence } from '../src/ui/results';
import { voteFromSelection } from '../src/ui/viewer-poll';

const poll: Poll = {
  id: 'pr', stageId: 'st', kind: 'ranking', question: 'Was zuerst?', state: 'open', resultsVisible: true,
  createdAt: '2026-12-06T09:00:00.000Z', maxSelections: 3,
  options: [{ id: 'a', label: 'OZG' }, { id: 'b', label: 'KI' }, { id: 'c', label: 'Cloud' }],
};
const results: PollResults = {
  pollId: 'pr', version: 3, voters: 3, counts: { a: 3, b: 5, c: 1 }, mean: null,
  ranking: { distribution: { a: [1, 1, 1], b: [2, 1, 0], c: [0, 1, 2] }, meanRank: { a: 2, b: 1.33, c: 2.67 }, maxPoints: 6 },
};

describe('ranking results', () => {
  it('are Borda points as a share of the maximum, highest first', () => {
    const bars = rankingBars(poll, results);
    expect(bars.map((b) => [b.key, b.count, b.percent, b.meanRank])).toEqual([
      ['b', 5, 83, 1.33], ['a', 3, 50, 2], ['c', 1, 17, 2.67],
    ]);
    expect(rankingBars(poll, null).map((b) => [b.key, b.count, b.share])).toEqual([['a', 0, 0], ['b', 0, 0], ['c', 0, 0]]);
  });

  it('show points, mean rank and (for moderators) the distribution, in German and English', () => {
    setLanguage('de');
    const view = new ResultsView({ distribution: true });
    view.update(poll, results);
    const first = view.el.querySelector('.bar-row')!;
    expect(first.querySelector('.bar-label')!.textContent).toBe('KI');
    expect(first.querySelector('.bar-value')!.textContent).toBe('5 Punkte');
    expect(first.querySelector('.bar-count')!.textContent).toBe('(Ø Platz 1,3)');
    expect(first.querySelector('.bar-positions')!.textContent).toBe('1.: 2 · 2.: 1 · 3.: 0');
    expect(resultsSentence(poll, results)).toContain('KI 5 Punkte');
    setLanguage('en');
    view.refresh();
    expect(first.querySelector('.bar-value')!.textContent).toBe('5 points');
    expect(distributionText([2, 1, 0])).toBe('#1: 2 · #2: 1 · #3: 0');
    const projector = new ResultsView({ large: true });
    projector.update(poll, results);
    expect((projector.el.querySelector('.bar-positions') as HTMLElement).hidden).toBe(true);
  });
});

describe('RankingOrder', () => {
  it('moves options with the buttons, keeps the focus on the moved option and announces its rank', () => {
    setLanguage('en');
    const order = new RankingOrder('t1', poll.options!, null);
    document.body.append(order.el);
    expect(order.order()).toEqual(['a', 'b', 'c']);
    const downOfA = order.el.querySelector('[data-option-id=a] .ranking-down') as HTMLButtonElement;
    expect(downOfA.getAttribute('aria-label')).toBe('Move “OZG” down');
    downOfA.click();
    expect(order.order()).toEqual(['b', 'a', 'c']);
    expect(document.activeElement).toBe(downOfA);
    expect(order.el.querySelector('[aria-live=polite]')!.textContent).toBe('“OZG” is now at rank 2 of 3.');
    downOfA.click();
    expect(order.order()).toEqual(['b', 'c', 'a']);
    expect(downOfA.disabled).toBe(true);
    expect(document.activeElement).toBe(order.el.querySelector('[data-option-id=a] .ranking-up'));
    expect(order.el.querySelector('[data-option-id=b] .ranking-up')).toHaveProperty('disabled', true);
    expect(order.el.querySelector('[data-option-id=b] .ranking-position')!.textContent).toBe('Rank 1');
  });

  it('starts from the remembered order and becomes a vote of every option', () => {
    const order = new RankingOrder('t2', poll.options!, ['c', 'a', 'b']);
    expect(order.order()).toEqual(['c', 'a', 'b']);
    expect(voteFromSelection(poll, order.order())).toEqual({ vote: { choices: ['c', 'a', 'b'] } });
    expect(new RankingOrder('t3', poll.options!, ['c', 'z']).order()).toEqual(['a', 'b', 'c']);
  });
});

describe('custom timer duration', () => {
  it('takes minutes and seconds within the server limits (10 s to 24 h)', () => {
    expect(customTimerSeconds('2', '30')).toBe(150);
    expect(customTimerSeconds('', '45')).toBe(45);
    expect(customTimerSeconds('1440', '')).toBe(TIMER_MAX_SECONDS);
    expect(customTimerSeconds('1440', '1')).toBeNull();
    expect(customTimerSeconds('0', '9')).toBeNull();
    expect(customTimerSeconds('1.5', '')).toBeNull();
    expect(customTimerSeconds('-1', '80')).toBeNull();
    expect(customTimerSeconds('', '')).toBeNull();
  });

  it('shows its fields on "other duration", refuses a bad one with a message and opens with a good one', () => {
    setLanguage('de');
    const controls = new ModeratorTimerControls('tm', { timer: () => Promise.resolve() }, () => {});
    document.body.append(controls.el);
    const picker = controls.el.querySelector('select') as HTMLSelectElement;
    const custom = controls.el.querySelector('.timer-custom') as HTMLElement;
    expect(custom.hidden).toBe(true);
    picker.value = 'custom';
    picker.dispatchEvent(new Event('change'));
    expect(custom.hidden).toBe(false);
    const minutes = controls.el.querySelector('.timer-minutes') as HTMLInputElement;
    const seconds = controls.el.querySelector('.timer-seconds') as HTMLInputElement;
    expect(controls.el.querySelector(`label[for="${minutes.id}"]`)!.textContent).toBe('Minuten');
    seconds.value = '5';
    expect(controls.checkOpen()).toBe(false);
    expect(minutes.getAttribute('aria-invalid')).toBe('true');
    expect((controls.el.querySelector('.field-error') as HTMLElement).hidden).toBe(false);
    expect(document.activeElement).toBe(minutes);
    minutes.value = '3';
    minutes.dispatchEvent(new Event('input'));
    expect(minutes.hasAttribute('aria-invalid')).toBe(false);
    expect(controls.checkOpen()).toBe(true);
    expect(controls.openSeconds()).toBe(185);
  });
});
