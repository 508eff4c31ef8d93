/** Addresses of Plenum's pages, relative to the page the browser is on (works under a sub-path). */
export interface PageLinks {
  /** Where people go to type a join code. */
  home(): string;
  viewer(code: string): string;
  viewerByStage(stageId: string): string;
  moderator(eventId: string): string;
  /** The moderator dashboard with a token in the fragment (never the query): `moderator.html?event=ID#token=…`. */
  moderatorWithToken(eventId: string, token: string): string;
  /** `show`: what the hall screen shows (`auto` by default, or `poll`, `cloud`, `questions`). */
  projector(stageId: string, show?: string): string;
  overlay(stageId: string, show?: string): string;
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
    viewer: (code) => page('', { code }),
    viewerByStage: (stageId) => page('', { stage: stageId }),
    moderator: (eventId) => page('moderator.html', { event: eventId }),
    moderatorWithToken: (eventId, token) => `${page('moderator.html', { event: eventId })}#token=${encodeURIComponent(token)}`,
    projector: (stageId, show) => page('projector.html', show ? { stage: stageId, show } : { stage: stageId }),
    overlay: (stageId, show = 'poll') => page('overlay.html', { stage: stageId, show }),
    organiser: (eventId) => page('organiser.html', eventId ? { event: eventId } : {}),
    accessibility: () => page('accessibility.html'),
  };
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
