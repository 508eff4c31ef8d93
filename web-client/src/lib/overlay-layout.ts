/**
 * How the stream overlay is laid out (issue 12): where its blocks sit on the 1920×1080 picture,
 * its colours and its size, from the overlay link's query (`?layout=corner-br&theme=light&scale=1.2`).
 * Unknown or missing values fall back to the defaults (today's look: bottom left, dark, 100 %),
 * so an old link keeps working and a typo never leaves the stream empty.
 */
export const OVERLAY_LAYOUTS = ['corner-bl', 'corner-br', 'corner-tl', 'corner-tr', 'lower-third'] as const;
export const OVERLAY_THEMES = ['dark', 'light'] as const;
/** Sizes offered in the dashboards; the page itself takes any value from MIN_SCALE to MAX_SCALE. */
export const OVERLAY_SCALES = [0.75, 1, 1.25, 1.5] as const;
export const MIN_SCALE = 0.5;
export const MAX_SCALE = 2;

export type OverlayLayout = (typeof OVERLAY_LAYOUTS)[number];
export type OverlayTheme = (typeof OVERLAY_THEMES)[number];

export interface OverlayLook {
  layout: OverlayLayout;
  theme: OverlayTheme;
  scale: number;
}

export const DEFAULT_LOOK: OverlayLook = { layout: 'corner-bl', theme: 'dark', scale: 1 };

export function overlayLook(search: string): OverlayLook {
  const params = new URLSearchParams(search);
  const layout = params.get('layout');
  const theme = params.get('theme');
  const rawScale = Number.parseFloat(params.get('scale') ?? '');
  return {
    layout: (OVERLAY_LAYOUTS as readonly string[]).includes(layout ?? '') ? (layout as OverlayLayout) : DEFAULT_LOOK.layout,
    theme: (OVERLAY_THEMES as readonly string[]).includes(theme ?? '') ? (theme as OverlayTheme) : DEFAULT_LOOK.theme,
    scale: Number.isFinite(rawScale) ? Math.round(Math.min(MAX_SCALE, Math.max(MIN_SCALE, rawScale)) * 100) / 100 : DEFAULT_LOOK.scale,
  };
}

/** The query parameters for a look, leaving out the defaults (short links for the OBS dialog). */
export function overlayLookParams(look: Partial<OverlayLook>): Record<string, string> {
  const params: Record<string, string> = {};
  if (look.layout && look.layout !== DEFAULT_LOOK.layout) params.layout = look.layout;
  if (look.theme && look.theme !== DEFAULT_LOOK.theme) params.theme = look.theme;
  if (look.scale !== undefined && look.scale !== DEFAULT_LOOK.scale) params.scale = String(look.scale);
  return params;
}

/**
 * How far the blocks must shrink so that nothing is cut off: the largest factor (from 1 down, in
 * steps of 10 %, at most `steps` times) for which `fits(factor)` holds; the smallest tried when
 * none does. `fits` measures the page with that factor applied.
 */
export function fitFactor(fits: (factor: number) => boolean, steps = 14): number {
  let factor = 1;
  for (let i = 0; i < steps && !fits(factor); i++) factor = Math.round(factor * 0.9 * 1000) / 1000;
  return factor;
}
