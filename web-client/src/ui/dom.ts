import { t, type MessageKey, type Params } from '../lib/i18n';

export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  text?: string;
  /** Translated text that follows language switches. */
  i18n?: MessageKey;
  i18nParams?: Params;
  /** Translated attributes, e.g. `{ 'aria-label': 'viewer.codeLabel' }`. */
  i18nAttrs?: Record<string, MessageKey>;
  on?: { [K in keyof HTMLElementEventMap]?: (ev: HTMLElementEventMap[K]) => void };
  [attribute: string]: unknown;
}

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'htmlFor', 'tabIndex']);

/** Creates an element: `h('button', { type: 'button', i18n: 'common.retry', on: { click } })`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    switch (name) {
      case 'class':
        el.className = String(value);
        break;
      case 'text':
        el.textContent = String(value);
        break;
      case 'i18n':
        setText(el, value as MessageKey, props.i18nParams);
        break;
      case 'i18nParams':
        break;
      case 'i18nAttrs':
        setAttrs(el, value as Record<string, MessageKey>, props.i18nParams);
        break;
      case 'on':
        for (const [event, listener] of Object.entries(value as Record<string, EventListener>)) {
          el.addEventListener(event, listener);
        }
        break;
      default:
        if (PROPERTIES.has(name)) (el as unknown as Record<string, unknown>)[name] = value;
        else el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Sets translated text and remembers the key, so a language switch re-translates it. */
export function setText(el: HTMLElement, key: MessageKey, params?: Params): void {
  if (el.dataset.i18n !== key) el.dataset.i18n = key;
  if (params) el.dataset.i18nParams = JSON.stringify(params);
  else if (el.dataset.i18nParams !== undefined) delete el.dataset.i18nParams;
  // Live updates re-render often: only touch the text when it really changes.
  setPlainText(el, t(key, params));
}

export function setAttrs(el: HTMLElement, attrs: Record<string, MessageKey>, params?: Params): void {
  el.dataset.i18nAttr = Object.entries(attrs)
    .map(([attr, key]) => `${attr}:${key}`)
    .join(';');
  if (params) el.dataset.i18nParams = JSON.stringify(params);
  for (const [attr, key] of Object.entries(attrs)) el.setAttribute(attr, t(key, params));
}

/** Sets text only when it changed: no needless DOM writes (and no screen-reader chatter) on live updates. */
export function setPlainText(el: Node, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

let uid = 0;
/** A document-unique id for label/aria wiring. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${++uid}`;
}

/**
 * Runs `mutate` (which may remove or disable the focused element) and, if the focus was inside
 * `container` and got lost, puts it on `fallback` instead of letting it drop to the page start.
 */
export function preservingFocus(container: HTMLElement, mutate: () => void, fallback: () => HTMLElement | null): void {
  const active = document.activeElement;
  const hadFocus = active instanceof HTMLElement && container.contains(active);
  mutate();
  if (!hadFocus) return;
  const now = document.activeElement;
  if (now && now !== document.body && document.contains(now) && !(now as HTMLButtonElement).disabled) return;
  const target = fallback();
  if (!target) return;
  if (!target.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) target.tabIndex = -1;
  target.focus();
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Empties a text set with `setText`, so that a language switch does not bring it back. */
export function clearText(el: HTMLElement): void {
  el.textContent = '';
  delete el.dataset.i18n;
  delete el.dataset.i18nParams;
}
