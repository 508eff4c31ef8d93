import type { Page } from 'playwright-core';
import { collectPageTexts, findLeftovers, type LanguageLeftover } from '../test/language-patterns';

/** The page's texts in real Chromium (see collectPageTexts), checked against the other language's dictionary. */
export async function leftovers(page: Page, lang: 'de' | 'en', userTexts: readonly string[] = []): Promise<LanguageLeftover[]> {
  // The collector is sent into the page as source: it uses nothing but the DOM.
  const texts = await page.evaluate(`(${collectPageTexts.toString()})(document)`);
  return findLeftovers(texts as Array<{ text: string; where: string }>, lang, userTexts);
}
