import type { JoinSource } from './protocol';

/** Addresses of Plenum's pages, relative to the page the browser is on (works under a sub-path). */
export interface PageLinks {
  /** Where people go to type a join code. */
  home(): string;
  /** The join link; with a `source` (`?src=hall` on the projector's QR code, `?src=stream` for the stream page) the statistics tell them apart. */
  viewer(code: string, source?: JoinSource): string;
  viewerByStage(stageId: string): string;
  /** The stage picker of an event: `/?event=ID`. */
  viewerByEvent(eventId: string): string;
  moderator(eventId: string): string;
  /** The moderator dashboard with a token in the fragment (never the query): `moderator.html?event=ID#token=…`. */
  moderatorWithToken(eventId: string, token: string): string;
  /** `show`: what the hall screen shows (`auto` by default, or `poll`, `cloud`, `questions`). */
  projector(stageId: string, show?: string): string;
  /** `look`: extra query parameters, e.g. the layout (`lib/overlay-layout.ts` `overlayLookParams`). */
  overlay(stageId: string, show?: string, look?: Record<string, string>): string;
  organiser(eventId?: string): string;
  accessibility(): string;
}

export function pageLinks(currentHref: string): PageLinks {
  const base = new URL('./', currentHref);
  base.search = '';
  base.hash = '';
  const page = (file: string, params: Record<string, string> = {}) => {
    const url = new URL(file, base);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  };
  return {
    home: () => page(''),
    viewer: (code, source) => page('', source ? { code, src: source } : { code }),
    viewerByStage: (stageId) => page('', { stage: stageId }),
    viewerByEvent: (eventId) => page('', { event: eventId }),
    moderator: (eventId) => page('moderator.html', { event: eventId }),
    moderatorWithToken: (eventId, token) => `${page('moderator.html', { event: eventId })}#token=${encodeURIComponent(token)}`,
    projector: (stageId, show) => page('projector.html', show ? { stage: stageId, show } : { stage: stageId }),
    overlay: (stageId, show = 'poll', look = {}) => page('overlay.html', { stage: stageId, show, ...look }),
    organiser: (eventId) => page('organiser.html', eventId ? { event: eventId } : {}),
    accessibility: () => page('accessibility.html'),
  };
}

/** The join source a viewer link carries (`?src=hall` or `?src=stream`); anything else is none. */
export function joinSource(search: string): JoinSource | undefined {
  const src = new URLSearchParams(search).get('src');
  return src === 'hall' || src === 'stream' ? src : undefined;
}

/** Join codes use `ABCDEFGHJKMNPQRSTUVWXYZ23456789`; people type them with spaces, dashes, lower case. */
export function normaliseJoinCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/.test(code) ? code : null;
}

/** The address without scheme for display, e.g. `plenum.example.org/?code=K7M2QX`. */
export function displayUrl(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, '').replace(/\/$/, '');
}

/** What the viewer page shows for its address: a stage (by id or code), an event's stage picker, or the code form. */
export type ViewerRoute =
  | { kind: 'stage'; stageId: string }
  | { kind: 'code'; code: string }
  | { kind: 'badCode'; raw: string }
  | { kind: 'event'; eventId: string }
  | { kind: 'form' };

/** `?stage=` wins over `?code=`, which wins over `?event=`; empty values count as absent. */
export function viewerRoute(search: string): ViewerRoute {
  const params = new URLSearchParams(search);
  const stageId = params.get('stage')?.trim();
  if (stageId) return { kind: 'stage', stageId };
  const raw = params.get('code');
  if (raw?.trim()) {
    const code = normaliseJoinCode(raw);
    return code ? { kind: 'code', code } : { kind: 'badCode', raw };
  }
  const eventId = params.get('event')?.trim();
  if (eventId) return { kind: 'event', eventId };
  return { kind: 'form' };
}

/** The "change stage" link is only worth showing when the event has another stage. */
export function canChangeStage(stageCount: number): boolean {
  return stageCount > 1;
}
