import { describe, expect, it } from 'vitest';
import { checkWordEntry, currentCloud, layoutCloud, MyWords, rankWords, StageClouds, wordKey } from '../src/lib/cloud-store';
import type { CloudResults, WordCloud } from '../src/lib/protocol';
import { memoryStorage } from '../src/lib/storage';

function cloud(id: string, extra: Partial<WordCloud> = {}): WordCloud {
  return { id, stageId: 'st1', prompt: `Prompt ${id}?`, maxEntries: 3, state: 'open', resultsVisible: true, createdAt: '2026-11-22T09:00:00.000Z', openedAt: '2026-11-22T09:05:00.000Z', closedAt: null, ...extra };
}

function words(cloudId: string, version: number, list: Array<[string, number]> = [], hidden: Array<[string, number]> = []): CloudResults {
  const toWords = (l: Array<[string, number]>) => l.map(([text, count]) => ({ key: text.toLowerCase(), text, count }));
  return { cloudId, version, contributors: list.length, entries: list.reduce((s, [, n]) => s + n, 0), words: toWords(list), hidden: toWords(hidden) };
}

describe('StageClouds', () => {
  it('applies word snapshots only when their version is newer', () => {
    const store = new StageClouds();
    store.applySnapshot([{ cloud: cloud('c1'), results: words('c1', 5, [['KI', 2]]) }]);
    expect(store.applyResults(words('c1', 7, [['KI', 3]]))).toBe(true);
    expect(store.applyResults(words('c1', 6, [['KI', 1]]))).toBe(false); // overtaken
    expect(store.applyResults(words('c1', 7, [['KI', 9]]))).toBe(false); // the same version again
    expect(store.get('c1')!.results!.words[0].count).toBe(3);
    expect(store.applyResults(words('unknown', 1))).toBe(false);
  });

  it('keeps the newest words across a cloud push with older results, and a hide/reveal', () => {
    const store = new StageClouds();
    store.applyCloud(cloud('c1'), words('c1', 10, [['Datenschutz', 4]]));
    store.applyCloud(cloud('c1', { resultsVisible: false }), null);
    expect(store.visibleResults('c1')).toBeNull();
    store.applyCloud(cloud('c1', { resultsVisible: true }), words('c1', 9, [['Datenschutz', 3]]));
    expect(store.visibleResults('c1')!.version).toBe(10);
  });

  it('a snapshot removes clouds that are gone', () => {
    const store = new StageClouds();
    store.applySnapshot([{ cloud: cloud('c1'), results: null }, { cloud: cloud('c2'), results: null }]);
    store.applySnapshot([{ cloud: cloud('c2'), results: null }]);
    expect(store.list().map((e) => e.cloud.id)).toEqual(['c2']);
  });

  it('the current cloud is the open one opened last, else the closed one shown last', () => {
    const store = new StageClouds();
    store.applyCloud(cloud('a', { openedAt: '2026-11-22T09:00:00.000Z' }), null);
    store.applyCloud(cloud('b', { openedAt: '2026-11-22T09:10:00.000Z' }), null);
    expect(currentCloud(store.list())!.cloud.id).toBe('b');
    store.applyCloud(cloud('b', { state: 'closed', closedAt: '2026-11-22T09:20:00.000Z', resultsVisible: false }), null);
    expect(currentCloud(store.list())!.cloud.id).toBe('a');
    store.applyCloud(cloud('a', { state: 'closed', closedAt: '2026-11-22T09:15:00.000Z' }), null);
    expect(currentCloud(store.list())!.cloud.id).toBe('a'); // b's words are hidden
    store.applyCloud(cloud('a', { state: 'closed', closedAt: '2026-11-22T09:15:00.000Z', resultsVisible: false }), null);
    expect(currentCloud(store.list())).toBeNull();
  });
});

describe('checkWordEntry', () => {
  it('cleans like the server and says what is wrong in words', () => {
    expect(checkWordEntry('  #KI! ')).toEqual({ text: 'KI' });
    expect(checkWordEntry('E-Government')).toEqual({ text: 'E-Government' });
    expect(checkWordEntry('Digitale\u00a0\u00a0Souveränität\u200b')).toEqual({ text: 'Digitale Souveränität' });
    expect(checkWordEntry('👏')).toEqual({ text: '👏' });
    expect(checkWordEntry('?!')).toEqual({ problem: 'empty' });
    expect(checkWordEntry('   ')).toEqual({ problem: 'empty' });
    expect(checkWordEntry('eins zwei drei vier')).toEqual({ problem: 'tooManyWords' });
    expect(checkWordEntry('x'.repeat(41))).toEqual({ problem: 'tooLong' });
    expect(checkWordEntry('x'.repeat(40))).toEqual({ text: 'x'.repeat(40) });
  });

  it('groups like the server: full case folding', () => {
    expect(wordKey('Straße')).toBe(wordKey('STRASSE'));
    expect(wordKey('Ärger')).toBe(wordKey('ärger'));
    expect(wordKey('❤️')).toBe(wordKey('❤'));
  });
});

describe('MyWords', () => {
  it('remembers entries per participant and cloud, and what the server said about the limit', () => {
    const storage = memoryStorage();
    const mine = new MyWords(storage, 'p1');
    mine.add('c1', { key: 'ki', text: 'KI' });
    mine.add('c1', { key: 'ki', text: 'ki' }); // the same key once
    mine.add('c1', { key: 'cloud', text: 'Cloud' });
    expect(mine.entries('c1').map((e) => e.text)).toEqual(['KI', 'Cloud']);
    expect(mine.used('c1')).toBe(2);
    mine.markFull('c1', 3);
    expect(mine.used('c1')).toBe(3);
    expect(new MyWords(storage, 'p1').entries('c1')).toHaveLength(2); // after a reload
    expect(new MyWords(storage, 'p2').used('c1')).toBe(0); // another participant
    expect(new MyWords(storage).used('c1')).toBe(0);
  });
});

describe('layoutCloud', () => {
  it('sizes by count between min and max, biggest in the middle, deterministic', () => {
    const list = words('c', 1, [['A', 1], ['B', 100], ['C', 25], ['D', 4], ['E', 1]]).words;
    const placed = layoutCloud(list, { minSize: 1, maxSize: 5 });
    expect(placed.map((w) => w.text)).toEqual(['A', 'C', 'B', 'D', 'E']);
    const size = Object.fromEntries(placed.map((w) => [w.text, w.size]));
    expect(size.B).toBe(5);
    expect(size.A).toBe(1);
    expect(size.C).toBeGreaterThan(size.D);
    expect(placed.find((w) => w.text === 'B')!.tier).toBe(4);
    expect(layoutCloud(list, { minSize: 1, maxSize: 5 })).toEqual(placed);
  });

  it('handles no words, one word, and equal counts', () => {
    expect(layoutCloud([], { minSize: 1, maxSize: 3 })).toEqual([]);
    expect(layoutCloud(words('c', 1, [['KI', 3]]).words, { minSize: 1, maxSize: 3 })[0].size).toBe(3);
    const same = layoutCloud(words('c', 1, [['A', 2], ['B', 2]]).words, { minSize: 1, maxSize: 3 });
    expect(same.map((w) => w.size)).toEqual([2, 2]);
  });

  it('ranks by count, then by text', () => {
    expect(rankWords(words('c', 1, [['b', 1], ['a', 1], ['z', 5]]).words).map((w) => w.text)).toEqual(['z', 'a', 'b']);
  });
});
