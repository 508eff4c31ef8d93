import { de } from '../i18n/de';
import { en } from '../i18n/en';
import { Emitter } from './emitter';

export type Lang = 'de' | 'en';
export type Dictionary = typeof de;
export type MessageKey = keyof Dictionary;
export type Params = Record<string, string | number>;

export const LANGUAGES: readonly Lang[] = ['de', 'en'];
const dictionaries: Record<Lang, Dictionary> = { de, en };
export const LANG_STORAGE_KEY = 'plenum.lang';

/**
 * German unless the person asked otherwise: an explicit `?lang=`, then their earlier choice on
 * this site, then the first of German or English in the browser's preferred languages.
 */
export function detectLanguage(urlLang: string | null, stored: string | null, preferred: readonly string[]): Lang {
  for (const candidate of [urlLang, stored]) {
    if (candidate === 'de' || candidate === 'en') return candidate;
  }
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'de' || primary === 'en') return primary;
  }
  return 'de';
}

export interface Translator {
  readonly lang: Lang;
  t(key: MessageKey, params?: Params): string;
  /** `key` holds "one|other" forms, e.g. "{count} Stimme|{count} Stimmen"; `{count}` is formatted. */
  plural(key: MessageKey, count: number, params?: Params): string;
  number(value: number, fractionDigits?: number): string;
  /** A whole percent 0…100, e.g. "64 %" in German, "64%" in English. */
  percent(value: number): string;
  /** A list "A, B und C". */
  list(items: readonly string[]): string;
}

export function createTranslator(lang: Lang): Translator {
  const dict = dictionaries[lang];
  const numberFormat = new Intl.NumberFormat(lang);
  const percentFormat = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const pluralRules = new Intl.PluralRules(lang);
  const fill = (text: string, params?: Params) =>
    params
      ? text.replace(/\{(\w+)\}/g, (m, name: string) => {
          const value = params[name];
          if (value === undefined) return m;
          return typeof value === 'number' ? numberFormat.format(value) : value;
        })
      : text;
  const translator: Translator = {
    lang,
    t(key, params) {
      const text = dict[key] ?? de[key] ?? key;
      return fill(String(text), params);
    },
    plural(key, count, params) {
      const forms = String(dict[key] ?? de[key] ?? key).split('|');
      const form = pluralRules.select(count) === 'one' ? forms[0] : (forms[1] ?? forms[0]);
      return fill(form, { ...params, count });
    },
    number(value, fractionDigits) {
      if (fractionDigits === undefined) return numberFormat.format(value);
      return new Intl.NumberFormat(lang, {
        minimumFractionDigits: fractionDigits,
        maximumFractionDigits: fractionDigits,
      }).format(value);
    },
    percent(value) {
      return percentFormat.format(value / 100);
    },
    list(items) {
      if (typeof Intl.ListFormat === 'function') return new Intl.ListFormat(lang, { type: 'conjunction' }).format(items);
      return items.join(', ');
    },
  };
  return translator;
}

// ---- the page's current language ----

let current: Translator = createTranslator('de');
const changes = new Emitter<{ change: Lang }>();

export function i18n(): Translator {
  return current;
}

export function t(key: MessageKey, params?: Params): string {
  return current.t(key, params);
}

export function onLanguageChange(listener: (lang: Lang) => void): () => void {
  return changes.on('change', listener);
}

/** Switches the page's language: `<html lang>`, every `data-i18n` element, and listeners. */
export function setLanguage(lang: Lang, root: Document | null = globalThis.document ?? null): void {
  current = createTranslator(lang);
  if (root) {
    root.documentElement.lang = lang;
    translateDom(root);
  }
  changes.emit('change', lang);
}

/**
 * Elements carry their message key in `data-i18n` (text) and `data-i18n-attr`
 * ("aria-label:key;placeholder:key"), with parameters as JSON in `data-i18n-params`.
 */
export function translateDom(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = current.t(el.dataset.i18n as MessageKey, readParams(el));
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of (el.dataset.i18nAttr ?? '').split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr, current.t(key as MessageKey, readParams(el)));
    }
  }
}

function readParams(el: HTMLElement): Params | undefined {
  const raw = el.dataset.i18nParams;
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Params;
  } catch {
    return undefined;
  }
}
