import { qrSvg } from '../lib/qr';
import type { MessageKey } from '../lib/i18n';
import { h } from './dom';

/**
 * A QR code image with a text alternative that names where it leads. The address itself is always
 * shown as text next to it too, for people who cannot scan.
 */
export function qrCode(url: string, className = 'qr', altKey: MessageKey = 'qr.alt'): HTMLElement {
  const box = h('div', { class: className, role: 'img', i18nAttrs: { 'aria-label': altKey }, i18nParams: { url } });
  qrSvg(url).then(
    (svg) => {
      box.innerHTML = svg;
      const el = box.querySelector('svg');
      el?.setAttribute('aria-hidden', 'true');
      el?.setAttribute('focusable', 'false');
    },
    () => {
      box.textContent = url;
    },
  );
  return box;
}
