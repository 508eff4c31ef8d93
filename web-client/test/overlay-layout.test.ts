import { describe, expect, it } from 'vitest';
import { DEFAULT_LOOK, fitFactor, overlayLook, overlayLookParams } from '../src/lib/overlay-layout';
import { pageLinks } from '../src/lib/links';

describe('overlay look (layout, theme, scale)', () => {
  it('reads the link, with defaults for missing or unknown values', () => {
    expect(overlayLook('?stage=s1')).toEqual(DEFAULT_LOOK);
    expect(overlayLook('?layout=lower-third&theme=light&scale=1.25')).toEqual({ layout: 'lower-third', theme: 'light', scale: 1.25 });
    expect(overlayLook('?layout=corner-tr')).toMatchObject({ layout: 'corner-tr', theme: 'dark', scale: 1 });
    expect(overlayLook('?layout=middle&theme=neon&scale=huge')).toEqual(DEFAULT_LOOK);
    expect(overlayLook('?scale=9').scale).toBe(2);
    expect(overlayLook('?scale=0.1').scale).toBe(0.5);
    expect(overlayLook('?scale=1.234').scale).toBe(1.23);
  });

  it('writes only what differs from the defaults, and the overlay link carries it', () => {
    expect(overlayLookParams(DEFAULT_LOOK)).toEqual({});
    expect(overlayLookParams({ layout: 'corner-br', theme: 'light', scale: 1.5 })).toEqual({ layout: 'corner-br', theme: 'light', scale: '1.5' });
    const url = new URL(pageLinks('https://plenum.example/app/moderator.html?event=e1').overlay('s1', 'poll,question', overlayLookParams({ layout: 'lower-third' })));
    expect(url.pathname).toBe('/app/overlay.html');
    expect(Object.fromEntries(url.searchParams)).toEqual({ stage: 's1', show: 'poll,question', layout: 'lower-third' });
    expect(overlayLook(url.search).layout).toBe('lower-third');
  });

  it('shrinks in 10 % steps until the blocks fit, never below the last step', () => {
    expect(fitFactor(() => true)).toBe(1);
    expect(fitFactor((f) => f <= 0.85)).toBe(0.81);
    expect(fitFactor(() => false, 3)).toBe(0.729);
  });
});
