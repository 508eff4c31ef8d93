import { describe, expect, it } from 'vitest';
import { ORGANISER_TOKEN_KEY, takeTokenFromFragment } from '../src/lib/auth';
import { canChangeStage, displayUrl, joinSource, normaliseJoinCode, pageLinks, viewerRoute } from '../src/lib/links';
import { memoryStorage } from '../src/lib/storage';

describe('page links', () => {
  const links = pageLinks('http://127.0.0.1:8080/moderator.html?event=ev1#x');

  it('point to the pages next to the current one', () => {
    expect(links.viewer('K7M2QX')).toBe('http://127.0.0.1:8080/?code=K7M2QX');
    expect(links.viewer('K7M2QX', 'hall')).toBe('http://127.0.0.1:8080/?code=K7M2QX&src=hall');
    expect(links.viewer('K7M2QX', 'stream')).toBe('http://127.0.0.1:8080/?code=K7M2QX&src=stream');
    expect(links.viewerByStage('st1')).toBe('http://127.0.0.1:8080/?stage=st1');
    expect(links.viewerByEvent('ev1')).toBe('http://127.0.0.1:8080/?event=ev1');
    expect(links.moderator('ev1')).toBe('http://127.0.0.1:8080/moderator.html?event=ev1');
    expect(links.projector('st1')).toBe('http://127.0.0.1:8080/projector.html?stage=st1');
    expect(links.overlay('st1')).toBe('http://127.0.0.1:8080/overlay.html?stage=st1&show=poll');
    expect(links.organiser()).toBe('http://127.0.0.1:8080/organiser.html');
    expect(links.home()).toBe('http://127.0.0.1:8080/');
  });

  it('work under a sub-path', () => {
    expect(pageLinks('https://example.org/plenum/organiser.html').projector('s')).toBe('https://example.org/plenum/projector.html?stage=s');
  });

  it('display without the scheme', () => {
    expect(displayUrl('https://plenum.example.org/?code=K7M2QX')).toBe('plenum.example.org/?code=K7M2QX');
  });
});

describe('joinSource', () => {
  it('reads the link the viewer came by, and nothing else', () => {
    expect(joinSource('?code=K7M2QX&src=hall')).toBe('hall');
    expect(joinSource('?src=stream&code=K7M2QX')).toBe('stream');
    expect(joinSource('?code=K7M2QX')).toBeUndefined();
    expect(joinSource('?code=K7M2QX&src=beamer')).toBeUndefined();
  });
});

describe('normaliseJoinCode', () => {
  it('accepts what people type', () => {
    expect(normaliseJoinCode('k7m2qx')).toBe('K7M2QX');
    expect(normaliseJoinCode(' K7M 2QX ')).toBe('K7M2QX');
    expect(normaliseJoinCode('k7m-2qx')).toBe('K7M2QX');
  });

  it('refuses what cannot be a code', () => {
    expect(normaliseJoinCode('K7M2Q')).toBeNull();
    expect(normaliseJoinCode('K7M2QXX')).toBeNull();
    expect(normaliseJoinCode('K7M2Q0')).toBeNull(); // 0 and O, 1 and I are not in the alphabet
    expect(normaliseJoinCode('')).toBeNull();
  });
});

describe('takeTokenFromFragment', () => {
  function history() {
    const calls: string[] = [];
    return { calls, replaceState: (_d: unknown, _u: string, url?: string | URL | null) => void calls.push(String(url)) };
  }

  it('moves #token=… into session storage and out of the address', () => {
    const storage = memoryStorage();
    const h = history();
    const token = takeTokenFromFragment({ href: 'http://x/moderator.html?event=e1#token=s3cr%2Bt', hash: '#token=s3cr%2Bt' }, h, storage);
    expect(token).toBe('s3cr+t');
    expect(storage.get(ORGANISER_TOKEN_KEY)).toBe('s3cr+t');
    expect(h.calls).toEqual(['http://x/moderator.html?event=e1']);
  });

  it('keeps other fragment parameters', () => {
    const h = history();
    takeTokenFromFragment({ href: 'http://x/m.html#token=t&tab=2', hash: '#token=t&tab=2' }, h, memoryStorage());
    expect(h.calls).toEqual(['http://x/m.html#tab=2']);
  });

  it('falls back to the stored token and leaves the address alone', () => {
    const storage = memoryStorage();
    storage.set(ORGANISER_TOKEN_KEY, 'kept');
    const h = history();
    expect(takeTokenFromFragment({ href: 'http://x/m.html', hash: '' }, h, storage)).toBe('kept');
    expect(h.calls).toEqual([]);
  });
});

describe('viewerRoute', () => {
  it('reads a stage, a code or an event from the address', () => {
    expect(viewerRoute('?stage=st1')).toEqual({ kind: 'stage', stageId: 'st1' });
    expect(viewerRoute('?code=k7m2qx')).toEqual({ kind: 'code', code: 'K7M2QX' });
    expect(viewerRoute('?code=nope')).toEqual({ kind: 'badCode', raw: 'nope' });
    expect(viewerRoute('?event=ev1')).toEqual({ kind: 'event', eventId: 'ev1' });
    expect(viewerRoute('')).toEqual({ kind: 'form' });
  });

  it('prefers a stage over a code over an event, and ignores empty values', () => {
    expect(viewerRoute('?event=ev1&stage=st1')).toEqual({ kind: 'stage', stageId: 'st1' });
    expect(viewerRoute('?event=ev1&code=K7M2QX')).toEqual({ kind: 'code', code: 'K7M2QX' });
    expect(viewerRoute('?stage=&code=&event=ev1')).toEqual({ kind: 'event', eventId: 'ev1' });
    expect(viewerRoute('?event=%20')).toEqual({ kind: 'form' });
  });
});

describe('canChangeStage', () => {
  it('only when the event has more than one stage', () => {
    expect(canChangeStage(0)).toBe(false);
    expect(canChangeStage(1)).toBe(false);
    expect(canChangeStage(2)).toBe(true);
  });
});
