// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followBrowserNetwork, PlenumConnection } from '../src/lib/connection';
import { setLanguage } from '../src/lib/i18n';
import type { Post } from '../src/lib/protocol';
import { ConnectionBanner } from '../src/ui/connection-banner';
import { PendingCue, SOUND_STORAGE_KEY } from '../src/ui/pending-cue';
import { TabSet } from '../src/ui/viewer-tabs';
import { FakeWebSocket, joinedFor } from './fake-websocket';

const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

beforeEach(() => {
  document.body.replaceChildren();
  setLanguage('de');
});

type Id = 'polls' | 'clouds' | 'questions';

function tabSet(selected: (id: Id) => void = () => undefined) {
  const tabs = new TabSet<Id>(
    [
      { id: 'polls', label: 'vtabs.polls', panel: document.createElement('section') },
      { id: 'clouds', label: 'vtabs.clouds', panel: document.createElement('section') },
      { id: 'questions', label: 'vtabs.questions', panel: document.createElement('section') },
    ],
    'polls',
    { label: 'vtabs.label', selected },
  );
  document.body.append(tabs.tablist, ...tabs.panels);
  const tab = (id: Id) => document.getElementById(`tab-${id}`) as HTMLButtonElement;
  const key = (id: Id, k: string) => tab(id).dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  return { tabs, tab, key };
}

describe('TabSet (WAI-ARIA tabs)', () => {
  it('has the roles and relations of the tabs pattern, one tab in the Tab order', () => {
    const { tab } = tabSet();
    const list = document.querySelector('[role=tablist]')!;
    expect(list.getAttribute('aria-label')).toBe('Bereiche dieser Bühne');
    expect([...list.querySelectorAll('[role=tab]')].map((t) => t.getAttribute('aria-selected'))).toEqual(['true', 'false', 'false']);
    expect(tab('polls').tabIndex).toBe(0);
    expect(tab('clouds').tabIndex).toBe(-1);
    const panel = document.getElementById('clouds')!;
    expect(panel.getAttribute('role')).toBe('tabpanel');
    expect(panel.getAttribute('aria-labelledby')).toBe('tab-clouds');
    expect(tab('clouds').getAttribute('aria-controls')).toBe('clouds');
    expect(panel.hidden).toBe(true);
    expect(document.getElementById('polls')!.hidden).toBe(false);
  });

  it('moves with the arrow keys (wrapping), Home and End, and shows the panel of the focused tab', () => {
    const seen: Id[] = [];
    const { tab, key } = tabSet((id) => seen.push(id));
    tab('polls').focus();
    key('polls', 'ArrowRight');
    expect(document.activeElement).toBe(tab('clouds'));
    expect(document.getElementById('clouds')!.hidden).toBe(false);
    expect(document.getElementById('polls')!.hidden).toBe(true);
    key('clouds', 'End');
    expect(document.activeElement).toBe(tab('questions'));
    key('questions', 'ArrowRight');
    expect(document.activeElement).toBe(tab('polls'));
    key('polls', 'ArrowLeft');
    expect(document.activeElement).toBe(tab('questions'));
    key('questions', 'Home');
    expect(document.activeElement).toBe(tab('polls'));
    expect(seen).toEqual(['clouds', 'questions', 'polls', 'questions', 'polls']);
    expect(tab('polls').tabIndex).toBe(0);
    expect(tab('questions').tabIndex).toBe(-1);
  });

  it('cues a tab that is not shown with a badge in its name, without taking the focus; selecting it clears the cue', () => {
    const { tabs, tab } = tabSet();
    const input = document.body.appendChild(document.createElement('input'));
    input.focus();
    expect(tabs.cue('polls')).toBe(false); // shown already: no badge
    expect(tabs.cue('clouds')).toBe(true);
    expect(document.activeElement).toBe(input);
    expect(text(tab('clouds'))).toBe('Wortwolke Neu');
    expect(tab('clouds').querySelector<HTMLElement>('.tab-badge')!.hidden).toBe(false);
    setLanguage('en');
    expect(text(tab('clouds'))).toBe('Word cloud New');
    expect(tabs.labelOf('clouds')).toBe('Word cloud');
    tab('clouds').click();
    expect(tabs.isCued('clouds')).toBe(false);
    expect(tab('clouds').querySelector<HTMLElement>('.tab-badge')!.hidden).toBe(true);
  });
});

function connection() {
  let n = 0;
  return new PlenumConnection({ url: 'ws://test/ws', createSocket: (url) => new FakeWebSocket(url), random: () => 0.5, newActionId: () => `a-${++n}` });
}

describe('the browser offline / online events', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => vi.useRealTimers());

  it('offline: the banner says so at once and the socket is dropped; actions wait; online: reconnect now, rejoin, resend', async () => {
    const conn = connection();
    const banner = new ConnectionBanner(conn);
    document.body.append(banner.el);
    const network = new EventTarget() as EventTarget & { navigator: { onLine: boolean } };
    network.navigator = { onLine: true };
    followBrowserNetwork(conn, network as never);
    conn.connect();
    void conn.join({ stageId: 'st1' });
    const first = FakeWebSocket.latest();
    first.open();
    first.receive(joinedFor(first.sentOfType('join')[0]));
    expect(conn.status).toBe('online');

    network.navigator.onLine = false;
    network.dispatchEvent(new Event('offline'));
    // No waiting for an ack timeout (15 s) or a failed reconnect.
    expect(conn.status).toBe('offline');
    expect(first.closedWith?.code).toBe(4000);
    expect(banner.el.dataset.state).toBe('offline');
    expect(text(banner.el.querySelector('[role=status]'))).toBe('Ihr Gerät ist offline. Die Seite verbindet sich neu, sobald das Netz wieder da ist.');
    expect(banner.el.querySelector<HTMLButtonElement>('.banner-retry')!.hidden).toBe(true);

    const vote = conn.send({ type: 'vote', pollId: 'pl1', choices: ['a'] });
    expect(text(banner.el.querySelector('[role=status]'))).toMatch(/^Ihr Gerät ist offline\. Ihre Eingaben sind gespeichert/);
    const before = FakeWebSocket.instances.length;

    network.navigator.onLine = true;
    network.dispatchEvent(new Event('online'));
    expect(FakeWebSocket.instances.length).toBe(before + 1); // at once, no backoff wait
    const second = FakeWebSocket.latest();
    second.open();
    expect(second.sentOfType('vote')).toHaveLength(0); // only after the rejoin
    second.receive(joinedFor(second.sentOfType('join')[0]));
    expect(second.sentOfType('vote')).toEqual([{ type: 'vote', id: vote.id, pollId: 'pl1', choices: ['a'] }]);
    second.receive({ type: 'ack', id: vote.id, duplicate: false });
    await expect(vote.result).resolves.toMatchObject({ id: vote.id });
    expect(text(banner.el.querySelector('[role=status]'))).toBe('Wieder verbunden.');
  });

  it('a page that starts without network says so before any socket gives up', () => {
    const conn = connection();
    const banner = new ConnectionBanner(conn);
    const network = Object.assign(new EventTarget(), { navigator: { onLine: false } });
    followBrowserNetwork(conn, network as never);
    expect(conn.network).toBe(false);
    conn.connect();
    expect(banner.el.dataset.state).toBe('offline');
    expect(text(banner.el.querySelector('[role=status]'))).toMatch(/^Ihr Gerät ist offline\./);
  });
});

function post(id: string, state: Post['state'], kind: Post['kind'] = 'question'): Post {
  return { id, stageId: 'st1', kind, text: `Frage ${id}`, state, upvotes: 0, pinned: false, answered: false, createdAt: '2026-12-04T10:00:00.000Z', version: 1 } as Post;
}

describe('PendingCue (moderator)', () => {
  function cue() {
    const store = new Map<string, string>();
    const shown: string[] = [];
    let changes = 0;
    let beeps = 0;
    const c = new PendingCue({
      stageName: (id) => (id === 'st1' ? 'Saal 1' : 'Saal 2'),
      show: (id) => shown.push(id),
      changed: () => void changes++,
      storage: { get: (k) => store.get(k) ?? null, set: (k, v) => void store.set(k, v), remove: (k) => void store.delete(k) },
      beep: () => void beeps++,
    });
    document.body.append(c.el, c.soundToggle);
    return { c, store, shown, changes: () => changes, beeps: () => beeps };
  }

  it('shows a notice for new waiting posts, marks them new, and forgets them once moderated or seen', () => {
    const { c, shown, changes } = cue();
    expect(c.el.hidden).toBe(true);
    c.observe('st1', undefined, post('q1', 'pending'));
    c.observe('st2', undefined, post('q2', 'pending'));
    expect(c.el.hidden).toBe(false);
    expect(text(c.el.querySelector('.pending-cue-text'))).toBe('Neu: 2 Beiträge warten auf Freigabe (Saal 1 und Saal 2)');
    expect(c.isNew('q1')).toBe(true);
    expect(changes()).toBe(2);
    // Known before (a snapshot, an edit): not new.
    c.observe('st1', post('q3', 'pending'), post('q3', 'pending'));
    expect(c.isNew('q3')).toBe(false);
    c.observe('st1', post('q1', 'pending'), post('q1', 'published'));
    expect(text(c.el.querySelector('.pending-cue-text'))).toBe('Neu: 1 Beitrag wartet auf Freigabe (Saal 2)');
    setLanguage('en');
    expect(text(c.el.querySelector('.pending-cue-text'))).toBe('New: 1 post is waiting for approval (Saal 2)');
    c.el.querySelector<HTMLButtonElement>('[data-action=show-pending]')!.click();
    expect(shown).toEqual(['st2']);
    expect(c.el.hidden).toBe(true); // the notice goes, the mark stays
    expect(c.isNew('q2')).toBe(true);
    c.observe('st1', undefined, post('q4', 'pending'));
    expect(c.el.hidden).toBe(false); // something newer: the notice is back
    c.el.querySelector<HTMLButtonElement>('[data-action=seen]')!.click();
    expect(c.el.hidden).toBe(true);
    expect(c.isNew('q2')).toBe(false);
  });

  it('plays a sound only when switched on, remembers the choice, and not more than once in 3 s', () => {
    const { c, store, beeps } = cue();
    c.observe('st1', undefined, post('q1', 'pending'));
    expect(beeps()).toBe(0);
    const box = c.soundToggle.querySelector('input')!;
    expect(text(c.soundToggle)).toBe('Signalton bei neuen Beiträgen');
    box.checked = true;
    box.dispatchEvent(new Event('change'));
    expect(store.get(SOUND_STORAGE_KEY)).toBe('on');
    c.observe('st1', undefined, post('q2', 'pending'));
    c.observe('st1', undefined, post('q3', 'pending'));
    expect(beeps()).toBe(1);
    box.checked = false;
    box.dispatchEvent(new Event('change'));
    expect(store.has(SOUND_STORAGE_KEY)).toBe(false);
    // A new page reads the stored choice.
    store.set(SOUND_STORAGE_KEY, 'on');
    document.body.replaceChildren();
    expect(cue().c.soundOn).toBe(false); // fresh store in a fresh cue
  });
});
