import { de } from '../src/i18n/de';
import { en } from '../src/i18n/en';

type Dict = Record<string, string>;

export interface ForeignPattern {
  key: string;
  pattern: RegExp;
}

/**
 * Patterns of the texts that exist in one language only: every dictionary form (plurals split on
 * "|") that differs from all of the other language's forms, with its {placeholders} matching
 * anything. A page text that matches one of them, after switching to the other language, was not
 * translated. Used by the Vitest page walk and by the e2e audit in real Chromium.
 */
export function onlyIn(dict: Dict, other: Dict): ForeignPattern[] {
  const otherForms = new Set(Object.values(other).flatMap((v) => v.split('|').map((f) => f.trim())));
  const patterns: ForeignPattern[] = [];
  for (const [key, value] of Object.entries(dict)) {
    for (const form of value.split('|').map((f) => f.trim())) {
      if (!form || otherForms.has(form)) continue;
      // Texts made only of placeholders and punctuation ("{a}: {b}") say nothing about the language.
      if (!/[A-Za-zÄÖÜäöüß]{3}/.test(form.replace(/\{\w+\}/g, ''))) continue;
      const source = form
        .split(/\{\w+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'))
        .join('.+?');
      patterns.push({ key, pattern: new RegExp(`^\\s*${source}\\s*$`) });
    }
  }
  return patterns;
}

export const GERMAN_ONLY = onlyIn(de, en);
export const ENGLISH_ONLY = onlyIn(en, de);
/** German letters or quotes, and frequent German words: what an untranslated text usually shows. */
export const GERMAN_LOOK = /[äöüÄÖÜß„]|\b(und|oder|nicht|keine?|Sie|Ihre?|wird|werden|für|noch|zum|zur|Bühne|Abstimmung(en)?|Frage|Beitr[aä]ge?)\b/;

export interface PageText {
  text: string;
  where: string;
}

export interface LanguageLeftover extends PageText {
  key?: string;
}

/**
 * Every text a person or a screen reader meets on the page: text nodes (also in hidden tab panels,
 * which a click shows), the document title, and the attributes that are read out or shown
 * (aria-label, aria-description, title, placeholder, alt, the value of input buttons). Elements in
 * another language on purpose (`lang`, the language switch) are left out. Runs in the page: keep
 * it free of outside references (Playwright serialises it).
 */
export function collectPageTexts(doc: Document): PageText[] {
  const out: PageText[] = [{ text: doc.title, where: 'title' }];
  const pageLang = doc.documentElement.lang;
  const otherLanguage = (el: Element) => (el.closest('[lang]')?.getAttribute('lang') ?? pageLang) !== pageLang;
  const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : ''}`;
  const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style') || otherLanguage(parent)) continue;
    const text = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text) out.push({ text, where: describe(parent) });
  }
  for (const el of doc.querySelectorAll('[aria-label], [aria-description], [title], [placeholder], [alt], input[type=button], input[type=submit]')) {
    if (otherLanguage(el)) continue;
    for (const attr of ['aria-label', 'aria-description', 'title', 'placeholder', 'alt', 'value']) {
      const value = el.getAttribute(attr);
      if (value && (attr !== 'value' || el.matches('input[type=button], input[type=submit]'))) out.push({ text: value.replace(/\s+/g, ' ').trim(), where: `${describe(el)}[${attr}]` });
    }
  }
  return out;
}

/** Texts that belong to the other language; `userTexts` (names, questions the test typed) are cut out first. */
export function findLeftovers(texts: readonly PageText[], lang: 'de' | 'en', userTexts: readonly string[] = []): LanguageLeftover[] {
  const foreign = lang === 'en' ? GERMAN_ONLY : ENGLISH_ONLY;
  const found: LanguageLeftover[] = [];
  for (const { text: raw, where } of texts) {
    const text = userTexts.reduce((t, a) => t.split(a).join('…'), raw);
    if (!/[A-Za-zÄÖÜäöüß]{2}/.test(text)) continue;
    const hit = foreign.find((f) => f.pattern.test(text));
    if (hit) found.push({ text, where, key: hit.key });
    else if (lang === 'en' && GERMAN_LOOK.test(text)) found.push({ text, where });
  }
  return found;
}
