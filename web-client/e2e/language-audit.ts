import type { Page } from 'playwright-core';
import { de } from '../src/i18n/de';
import { en } from '../src/i18n/en';

type Dict = Record<string, string>;

/**
 * Patterns of the texts that exist in one language only: every dictionary form (plurals split on
 * "|") that differs from the other language's, with its {placeholders} matching anything. A page
 * text that matches one of them, after switching to the other language, was not translated.
 */
function onlyIn(dict: Dict, other: Dict): Array<{ key: string; pattern: RegExp }> {
  const otherForms = new Set(Object.values(other).flatMap((v) => v.split('|').map((f) => f.trim())));
  const patterns: Array<{ key: string; pattern: RegExp }> = [];
  for (const [key, value] of Object.entries(dict)) {
    for (const form of value.split('|').map((f) => f.trim())) {
      if (!form || otherForms.has(form)) continue;
      const source = form
        .split(/\{\w+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'))
        .join('.+?');
      // Texts made only of placeholders and punctuation ("{a}: {b}") say nothing about the language.
      if (!/[A-Za-zÄÖÜäöüß]{3}/.test(form.replace(/\{\w+\}/g, ''))) continue;
      patterns.push({ key, pattern: new RegExp(`^\\s*${source}\\s*$`) });
    }
  }
  return patterns;
}

const GERMAN_ONLY = onlyIn(de, en);
const ENGLISH_ONLY = onlyIn(en, de);
/** German letters or quotes, and frequent German words: what an untranslated text usually shows. */
const GERMAN_LOOK = /[äöüÄÖÜß„]|\b(und|oder|nicht|keine?|Sie|Ihre?|wird|werden|für|noch|zum|zur|Bühne|Abstimmung(en)?|Frage|Beitr[aä]ge?)\b/;

export interface LanguageLeftover {
  text: string;
  where: string;
  key?: string;
}

/**
 * Every text a person or a screen reader meets on the page: text nodes (also in hidden tab panels,
 * which a click shows), the document title, and the attributes that are read out or shown
 * (aria-label, aria-description, title, placeholder, alt, value of buttons). Elements marked
 * `data-user-content` hold what people typed (names, questions) and are left out.
 */
export async function pageTexts(page: Page): Promise<Array<{ text: string; where: string }>> {
  return page.evaluate(() => {
    const out: Array<{ text: string; where: string }> = [{ text: document.title, where: 'title' }];
    const pageLang = document.documentElement.lang;
    // Marked as another language on purpose (the language switch offers "Deutsch" in German).
    const otherLanguage = (el: Element) => (el.closest('[lang]')?.getAttribute('lang') ?? pageLang) !== pageLang;
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, [data-user-content]') || otherLanguage(parent)) continue;
      const text = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (text) out.push({ text, where: describe(parent) });
    }
    for (const el of document.querySelectorAll('[aria-label], [aria-description], [title], [placeholder], [alt], input[type=button], input[type=submit]')) {
      if (el.closest('[data-user-content]') || otherLanguage(el)) continue;
      for (const attr of ['aria-label', 'aria-description', 'title', 'placeholder', 'alt', 'value']) {
        const value = el.getAttribute(attr);
        if (value && (attr !== 'value' || el.matches('input[type=button], input[type=submit]'))) out.push({ text: value.replace(/\s+/g, ' ').trim(), where: `${describe(el)}[${attr}]` });
      }
    }
    return out;
  });
}

/** Texts of the page that belong to the other language; `allowed` are texts the test itself put in (names, questions). */
export async function leftovers(page: Page, lang: 'de' | 'en', allowed: readonly string[] = []): Promise<LanguageLeftover[]> {
  const foreign = lang === 'en' ? GERMAN_ONLY : ENGLISH_ONLY;
  const found: LanguageLeftover[] = [];
  for (const { text: raw, where } of await pageTexts(page)) {
    // What the test typed (stage names, questions) is not the page's language: cut it out.
    const text = allowed.reduce((t, a) => t.split(a).join('…'), raw);
    if (!/[A-Za-zÄÖÜäöüß]{2}/.test(text)) continue;
    const hit = foreign.find((f) => f.pattern.test(text));
    if (hit) found.push({ text, where, key: hit.key });
    else if (lang === 'en' && GERMAN_LOOK.test(text)) found.push({ text, where });
  }
  return found;
}
