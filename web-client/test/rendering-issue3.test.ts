// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CloudEntry, MyEntry } from '../src/lib/cloud-store';
import { ActionError } from '../src/lib/connection';
import { setLanguage } from '../src/lib/i18n';
import { StagePosts } from '../src/lib/post-store';
import type { AckMessage, Post } from '../src/lib/protocol';
import { postActions } from '../src/ui/moderator-posts';
import { ViewerCloudCard } from '../src/ui/viewer-cloud';
import { ViewerPostList } from '../src/ui/viewer-posts';
import { WordCloudView } from '../src/ui/word-cloud';

const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const flush = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  document.body.replaceChildren();
  setLanguage('de');
});

function entry(extra: Partial<CloudEntry['cloud']> = {}): CloudEntry {
  return {
    cloud: { id: 'wc1', stageId: 'st1', prompt: 'Was bedeutet Souveränität?', maxEntries: 3, state: 'open', resultsVisible: true, createdAt: '2026-11-22T09:00:00.000Z', openedAt: null, closedAt: null, ...extra },
    results: { cloudId: 'wc1', version: 2, contributors: 2, entries: 3, words: [{ key: 'ki', text: 'KI', count: 2 }, { key: 'cloud', text: 'Cloud', count: 1 }], hidden: [] },
  };
}

function cloudCard(answer: (text: string) => Promise<AckMessage>) {
  const mine: MyEntry[] = [];
  let full = 0;
  const card = new ViewerCloudCard(entry(), {
    send: (_cloud, t) => ({ id: `a-${t}`, result: answer(t) }),
    entries: () => mine,
    used: () => Math.max(mine.length, full),
    added: (_id, e) => void mine.push(e),
    full: (_id, max) => void (full = max),
    online: () => true,
  });
  document.body.append(card.el);
  const submit = (value: string) => {
    card.el.querySelector<HTMLInputElement>('input')!.value = value;
    card.el.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
  };
  return { card, submit, mine };
}

describe('ViewerCloudCard', () => {
  it('counts the entries used and lists them', async () => {
    const { card, submit } = cloudCard((t) => Promise.resolve({ type: 'ack', id: 'x', key: t.toLowerCase() }));
    expect(text(card.el.querySelector('.entries-used'))).toBe('Sie haben 0 von 3 Begriffen eingereicht.');
    submit('#KI!');
    expect(text(card.el.querySelector('[role=status]'))).toBe('Ihr Begriff wird gesendet …');
    await flush();
    expect(text(card.el.querySelector('.entries-used'))).toBe('Sie haben 1 von 3 Begriffen eingereicht.');
    expect(text(card.el.querySelector('[role=status]'))).toBe('„KI“ ist angekommen.');
    expect(text(card.el.querySelector('.my-words'))).toBe('KI');
    // The same word again is caught here, before sending.
    submit('ki');
    expect(text(card.el.querySelector('[role=status]'))).toMatch(/schon eingereicht/);
  });

  it('says the server’s errors in plain language and closes the form when all are used', async () => {
    const { card, submit } = cloudCard((t) => Promise.reject(new ActionError(t === 'Mist' ? 'blocked_word' : 'too_many_entries', 'x', 'a')));
    submit('Mist');
    await flush();
    expect(text(card.el.querySelector('[role=status]'))).toBe('Dieser Begriff ist hier nicht erlaubt. Bitte wählen Sie einen anderen.');
    expect(card.el.querySelector<HTMLInputElement>('input')!.value).toBe('Mist');
    submit('Noch einer');
    await flush();
    expect(text(card.el.querySelector('[role=status]'))).toBe('Sie haben schon alle 3 Begriffe eingereicht. Mehr sind nicht möglich.');
    expect(card.el.querySelector('form')).toBeNull();
    expect(text(card.el.querySelector('.entries-used'))).toBe('Sie haben alle 3 Begriffe eingereicht. Danke!');
  });
});

describe('WordCloudView', () => {
  it('is hidden from screen readers and offers the words as a list, updated in place', () => {
    const view = new WordCloudView();
    view.update(entry().results);
    expect(view.el.querySelector('.wordcloud-words')!.getAttribute('aria-hidden')).toBe('true');
    const items = [...view.el.querySelectorAll('.word-list li')];
    expect(items.map(text)).toEqual(['KI (2 Nennungen)', 'Cloud (1 Nennung)']);
    view.update({ ...entry().results!, version: 3, words: [{ key: 'cloud', text: 'Cloud', count: 5 }, { key: 'ki', text: 'KI', count: 2 }] });
    const after = [...view.el.querySelectorAll('.word-list li')];
    expect(after[0]).toBe(items[1]);
    expect(text(after[0])).toBe('Cloud (5 Nennungen)');
  });
});

function question(id: string, extra: Partial<Post> = {}): Post {
  return { id, stageId: 'st1', kind: 'question', displayName: null, text: `Frage ${id}?`, state: 'published', answered: false, pinned: false, reply: null, edited: false, createdAt: '2026-11-22T09:00:00.000Z', upvotes: 0, version: 1, ...extra };
}

describe('ViewerPostList', () => {
  it('marks the viewer’s own pending question, sorts by votes, and toggles upvotes', async () => {
    const store = new StagePosts('viewer');
    store.applySnapshot([question('a', { upvotes: 1 }), question('b', { upvotes: 4 }), question('mine', { state: 'pending', mine: true })], ['a']);
    const upvote = vi.fn(() => Promise.resolve());
    const list = new ViewerPostList(['question'], store, { upvote, remove: () => Promise.resolve(), confirm: () => true });
    document.body.append(list.el);
    expect([...list.el.querySelectorAll('li')].map((li) => li.dataset.postId)).toEqual(['b', 'a', 'mine']);
    const mine = list.el.querySelector('li[data-post-id="mine"]')!;
    expect(text(mine.querySelector('.post-meta'))).toMatch(/Ihre Frage.*Wartet auf Freigabe/);
    expect(mine.querySelector<HTMLButtonElement>('button.upvote')!.hidden).toBe(true);
    expect(mine.querySelector<HTMLButtonElement>('[data-i18n="post.delete"]')!.hidden).toBe(false);
    const a = list.el.querySelector<HTMLButtonElement>('li[data-post-id="a"] button.upvote')!;
    expect(a.getAttribute('aria-pressed')).toBe('true');
    a.click();
    expect(a.getAttribute('aria-pressed')).toBe('false');
    expect(upvote).toHaveBeenCalledWith(expect.objectContaining({ id: 'a' }), false);
    // Approved: the badge goes, the item stays where the focus is.
    store.applyPost(question('mine', { state: 'published', mine: true, version: 2 }));
    list.sync();
    expect(text(list.el.querySelector('li[data-post-id="mine"] .post-meta'))).not.toMatch(/Wartet/);
  });
});

describe('postActions (moderator)', () => {
  it('offers what fits the post’s state', () => {
    expect(postActions(question('p', { state: 'pending' })).map((a) => a.action)).toEqual(['approve', 'reject', 'edit', 'mute', 'removeVotes']);
    expect(postActions(question('q')).map((a) => a.action)).toEqual(['pin', 'answer', 'reply', 'edit', 'reject', 'mute', 'removeVotes']);
    expect(postActions(question('q', { pinned: true })).map((a) => a.action)).toEqual(['unpin', 'answer', 'reply', 'edit', 'reject', 'mute', 'removeVotes']);
    expect(postActions(question('q', { answered: true })).map((a) => a.action)).toEqual(['unanswer', 'reply', 'edit', 'reject', 'mute', 'removeVotes']);
    expect(postActions(question('c', { kind: 'comment' })).map((a) => a.action)).toEqual(['reply', 'edit', 'reject', 'mute', 'removeVotes']);
    expect(postActions(question('r', { state: 'rejected' })).map((a) => a.action)).toEqual(['approve', 'unmute', 'removeVotes']);
  });
});
