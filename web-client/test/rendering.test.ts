// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PlenumConnection } from '../src/lib/connection';
import { setLanguage } from '../src/lib/i18n';
import type { PollEntry } from '../src/lib/poll-store';
import { ConnectionBanner } from '../src/ui/connection-banner';
import { ModeratorPollCard } from '../src/ui/moderator-poll';
import { PollForm } from '../src/ui/poll-form';
import { ResultsView, resultsSentence, resultsSummary } from '../src/ui/results';
import { selectionLimit, ViewerPollCard, voteFromSelection } from '../src/ui/viewer-poll';
import { FakeWebSocket } from './fake-websocket';
import { poll, results } from './fixtures';

const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

beforeEach(() => {
  document.body.replaceChildren();
  setLanguage('de');
});

describe('ResultsView', () => {
  it('renders every option with its percent and count as text', () => {
    const view = new ResultsView();
    view.update(poll('p'), results('p', 1, { a: 250, b: 140 }));
    const rows = [...view.el.querySelectorAll('li')].map(text);
    expect(rows).toEqual(['Ja 64 % (250 Stimmen)', 'Nein 36 % (140 Stimmen)']);
    expect(text(view.el.querySelector('.results-summary'))).toBe('390 Stimmen');
    expect(view.el.querySelector('.bar-track')!.getAttribute('aria-hidden')).toBe('true');
  });

  it('updates the same elements in place (no flicker, focus and reading position stay)', () => {
    const view = new ResultsView();
    view.update(poll('p'), results('p', 1, { a: 1, b: 0 }));
    const before = [...view.el.querySelectorAll('li')];
    view.update(poll('p'), results('p', 2, { a: 1, b: 3 }));
    const after = [...view.el.querySelectorAll('li')];
    expect(after).toEqual(before);
    expect(after[0]).toBe(before[0]);
    expect(text(after[1])).toBe('Nein 75 % (3 Stimmen)');
    expect((after[1].querySelector('.bar-fill') as HTMLElement).style.width).toBe('75.00%');
    expect(after[1].classList.contains('is-leading')).toBe(true);
    expect(after[0].classList.contains('is-leading')).toBe(false);
  });

  it('follows a language switch', () => {
    const view = new ResultsView();
    view.update(poll('p'), results('p', 1, { a: 1, b: 0 }));
    setLanguage('en');
    view.refresh();
    expect(text(view.el.querySelector('li'))).toBe('Ja 100% (1 vote)');
  });

  it('summarises ratings with their mean', () => {
    const p = poll('r', { kind: 'rating', options: undefined, scale: 5 });
    const r = { pollId: 'r', version: 3, voters: 4, counts: { '1': 0, '2': 0, '3': 1, '4': 2, '5': 1 }, mean: 4 };
    expect(resultsSummary(p, r)).toBe('4 Stimmen · Durchschnitt 4,0 von 5');
    expect(resultsSentence(p, r)).toBe('Zwischenstand „Question r?“: Durchschnitt 4,0 von 5; 4 Stimmen.');
    expect(resultsSentence(poll('p'), results('p', 1, { a: 3, b: 1 }))).toBe('Zwischenstand „Question p?“: Ja 75\u00a0%, Nein 25\u00a0%; 4 Stimmen.');
  });
});

describe('ViewerPollCard', () => {
  const entry = (extra = {}, r: PollEntry['results'] = null): PollEntry => ({ poll: poll('p1', extra), results: r });

  function card(e: PollEntry, send = vi.fn(() => Promise.resolve({ type: 'ack' as const, id: 'a-1' }))) {
    const c = new ViewerPollCard(e, { send, myVote: () => null, online: () => true });
    document.body.append(c.el);
    return { c, send };
  }

  it('offers radio buttons for a single-choice poll, labelled by the question', () => {
    const { c } = card(entry());
    const inputs = [...c.el.querySelectorAll('input')];
    expect(inputs.map((i) => i.type)).toEqual(['radio', 'radio']);
    for (const input of inputs) expect(c.el.querySelector(`label[for="${input.id}"]`)).not.toBeNull();
    const fieldset = c.el.querySelector('fieldset')!;
    expect(document.getElementById(fieldset.getAttribute('aria-labelledby')!)!.textContent).toBe('Question p1?');
    expect(text(c.el.querySelector('.hint'))).toBe('Wählen Sie eine Antwort.');
    expect(text(c.el.querySelector('button[type=submit]'))).toBe('Abstimmen');
  });

  it('offers checkboxes with the limit for a multiple-choice poll, and 1…scale for a rating', () => {
    const multiple = card(entry({ kind: 'multiple', maxSelections: 2, options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }, { id: 'c', label: 'C' }] })).c;
    expect([...multiple.el.querySelectorAll('input')].map((i) => i.type)).toEqual(['checkbox', 'checkbox', 'checkbox']);
    expect(text(multiple.el.querySelector('.hint'))).toBe('Wählen Sie bis zu 2 Antworten.');
    const rating = card(entry({ kind: 'rating', options: undefined, scale: 10 })).c;
    expect([...rating.el.querySelectorAll('input')].map((i) => i.value)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });

  it('sends the checked choice and says when it was counted', async () => {
    const { c, send } = card(entry());
    (c.el.querySelector('input[value=b]') as HTMLInputElement).checked = true;
    c.el.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(send).toHaveBeenCalledWith(expect.objectContaining({ id: 'p1' }), { choices: ['b'] });
    expect(text(c.el.querySelector('[role=status]'))).toBe('Ihre Stimme wird gesendet …');
    await Promise.resolve();
    await Promise.resolve();
    expect(text(c.el.querySelector('[role=status]'))).toMatch(/^Ihre Stimme wurde gezählt/);
    expect(text(c.el.querySelector('button[type=submit]'))).toBe('Stimme ändern');
  });

  it('says that nothing was chosen instead of sending', () => {
    const { c, send } = card(entry());
    c.el.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(send).not.toHaveBeenCalled();
    expect(text(c.el.querySelector('[role=status]'))).toBe('Bitte wählen Sie zuerst eine Antwort.');
  });

  it('removes the form when the poll closes and shows results only while visible', () => {
    const { c } = card(entry({ resultsVisible: false }, results('p1', 1, { a: 1, b: 0 })));
    expect(c.el.querySelector('.poll-results')!.hasAttribute('hidden')).toBe(true);
    c.update(entry({ state: 'closed', resultsVisible: true }, results('p1', 1, { a: 1, b: 0 })));
    expect(c.el.querySelector('form')).toBeNull();
    expect(c.el.querySelector('.poll-results')!.hasAttribute('hidden')).toBe(false);
    expect(text(c.el.querySelector('.badge'))).toBe('Beendet');
    expect(text(c.el.querySelector('[role=status]'))).toBe('Diese Abstimmung ist beendet.');
  });

  it('says a vote waits for the connection while offline', () => {
    let online = true;
    const c = new ViewerPollCard(entry(), { send: () => new Promise(() => {}), myVote: () => null, online: () => online });
    (c.el.querySelector('input[value=a]') as HTMLInputElement).checked = true;
    c.el.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    online = false;
    c.connectionChanged();
    expect(text(c.el.querySelector('[role=status]'))).toMatch(/^Keine Verbindung: Ihre Stimme ist gespeichert/);
  });
});

describe('voteFromSelection', () => {
  it('checks the poll rules', () => {
    const multiple = poll('m', { kind: 'multiple', maxSelections: 2, options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }, { id: 'c', label: 'C' }] });
    expect(voteFromSelection(multiple, ['a', 'c'])).toEqual({ vote: { choices: ['a', 'c'] } });
    expect(voteFromSelection(multiple, ['a', 'b', 'c'])).toEqual({ error: 'vote.error.tooMany', params: { max: 2 } });
    expect(voteFromSelection(poll('r', { kind: 'rating', scale: 5 }), ['4'])).toEqual({ vote: { rating: 4 } });
    expect(voteFromSelection(poll('r', { kind: 'rating', scale: 5 }), [])).toEqual({ error: 'vote.error.noRating' });
    expect(selectionLimit(poll('x', { kind: 'multiple', maxSelections: null }))).toBe(2);
  });
});

describe('ModeratorPollCard', () => {
  it('keeps the same buttons and changes only their text when the poll changes', async () => {
    const command = vi.fn(() => Promise.resolve({ poll: poll('p1'), results: null }));
    const c = new ModeratorPollCard({ poll: poll('p1', { state: 'draft', resultsVisible: false }), results: results('p1', 0, { a: 0, b: 0 }) }, { command });
    document.body.append(c.el);
    const [stateButton, visibilityButton] = [...c.el.querySelectorAll('button')];
    expect([text(stateButton), text(visibilityButton)]).toEqual(['Öffnen', 'Ergebnis zeigen']);
    stateButton.focus();
    stateButton.click();
    expect(command).toHaveBeenCalledWith(expect.objectContaining({ id: 'p1' }), 'open');
    c.update({ poll: poll('p1', { state: 'open', resultsVisible: true }), results: results('p1', 1, { a: 1, b: 0 }) });
    const after = [...c.el.querySelectorAll('button')];
    expect(after[0]).toBe(stateButton);
    expect(document.activeElement).toBe(stateButton);
    expect([text(after[0]), text(after[1])]).toEqual(['Schließen', 'Ergebnis verbergen']);
    c.update({ poll: poll('p1', { state: 'closed', resultsVisible: true }), results: null });
    expect(text(stateButton)).toBe('Wieder öffnen');
  });
});

describe('PollForm', () => {
  it('shows the field error next to the field and does not call the API', () => {
    const create = vi.fn(() => Promise.resolve());
    const form = new PollForm({ idPrefix: 't', openByDefault: true, create });
    document.body.append(form.el);
    form.el.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(create).not.toHaveBeenCalled();
    const question = form.el.querySelector('#t-question')!;
    expect(question.getAttribute('aria-invalid')).toBe('true');
    expect(question.getAttribute('aria-describedby')).toContain('t-question-error');
    expect(text(form.el.querySelector('#t-question-error'))).toBe('Bitte geben Sie eine Frage ein.');
  });

  it('creates a poll from the fields', () => {
    const create = vi.fn(() => Promise.resolve());
    const form = new PollForm({ idPrefix: 't', openByDefault: false, create });
    (form.el.querySelector('#t-question') as HTMLTextAreaElement).value = 'Welche Themen?';
    (form.el.querySelector('#t-kind') as HTMLSelectElement).value = 'multiple';
    (form.el.querySelector('#t-options') as HTMLTextAreaElement).value = 'KI\nCloud\nOZG';
    (form.el.querySelector('#t-max') as HTMLInputElement).value = '2';
    form.el.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(create).toHaveBeenCalledWith({ kind: 'multiple', question: 'Welche Themen?', options: ['KI', 'Cloud', 'OZG'], maxSelections: 2, resultsVisible: false, open: false });
  });
});

describe('ConnectionBanner', () => {
  it('appears when the connection is lost and says so again when it is back', () => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
    const conn = new PlenumConnection({ url: 'ws://t/ws', createSocket: (u) => new FakeWebSocket(u), random: () => 0 });
    const banner = new ConnectionBanner(conn);
    document.body.append(banner.el);
    conn.connect();
    FakeWebSocket.latest().open();
    expect(banner.el.dataset.state).toBe('ok');
    expect(text(banner.el.querySelector('[role=status]'))).toBe('');
    FakeWebSocket.latest().drop();
    expect(banner.el.dataset.state).toBe('offline');
    expect(text(banner.el.querySelector('[role=status]'))).toBe('Keine Verbindung. Die Seite verbindet sich automatisch neu.');
    expect((banner.el.querySelector('button') as HTMLButtonElement).hidden).toBe(false);
    vi.advanceTimersByTime(1000);
    FakeWebSocket.latest().open();
    expect(text(banner.el.querySelector('[role=status]'))).toBe('Wieder verbunden.');
    vi.advanceTimersByTime(4000);
    expect(banner.el.dataset.state).toBe('ok');
    vi.useRealTimers();
  });
});
