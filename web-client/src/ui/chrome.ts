import { Announcer } from '../lib/announcer';
import { detectLanguage, i18n, LANG_STORAGE_KEY, onLanguageChange, setLanguage, t, type Lang, type MessageKey } from '../lib/i18n';
import { pageLinks } from '../lib/links';
import { safeStorage } from '../lib/storage';
import { h } from './dom';

const local = safeStorage('local');

/** Picks and applies the page language before anything is rendered. */
export function initLanguage(): Lang {
  const params = new URLSearchParams(location.search);
  const lang = detectLanguage(params.get('lang'), local.get(LANG_STORAGE_KEY), navigator.languages ?? [navigator.language]);
  setLanguage(lang);
  return lang;
}

/** The person chose a language: remember it and keep an explicit `?lang=` in the address in step. */
export function chooseLanguage(lang: Lang): void {
  local.set(LANG_STORAGE_KEY, lang);
  const url = new URL(location.href);
  if (url.searchParams.has('lang')) {
    url.searchParams.set('lang', lang);
    history.replaceState(history.state, '', url.toString());
  }
  setLanguage(lang);
}

/** A button that offers the other language, labelled in that language. */
export function languageSwitch(): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'lang-switch' });
  const render = () => {
    const other: Lang = i18n().lang === 'de' ? 'en' : 'de';
    button.lang = other;
    button.textContent = other === 'en' ? 'English' : 'Deutsch';
    button.setAttribute('aria-label', other === 'en' ? 'English – switch language' : 'Deutsch – Sprache wechseln');
  };
  button.addEventListener('click', () => chooseLanguage(i18n().lang === 'de' ? 'en' : 'de'));
  render();
  onLanguageChange(render);
  return button;
}

export interface Chrome {
  header: HTMLElement;
  /** Page-specific controls go here, before the language switch. */
  headerActions: HTMLElement;
  /** Banners (connection state) between header and content. */
  banners: HTMLElement;
  main: HTMLElement;
  announcer: Announcer;
  /**
   * Sets the document title; `null` returns to the page's default title. A function is asked
   * again after every language switch (titles that hold translated words).
   */
  setTitle(text: string | null | (() => string)): void;
}

export interface ChromeOptions {
  /** The page's name, shown next to the brand and in the document title. */
  pageName: MessageKey;
  /** Throttle for live result announcements. */
  announceIntervalMs?: number;
  /** Class on <body> for page-specific layout. */
  bodyClass: string;
}

/** The frame every interactive page shares: skip link, header, main landmark, footer, live region. */
export function mountChrome(options: ChromeOptions): Chrome {
  document.body.className = options.bodyClass;
  const links = pageLinks(location.href);
  const headerActions = h('div', { class: 'header-actions' });
  const header = h(
    'header',
    { class: 'site-header' },
    h(
      'div',
      { class: 'wrap header-row' },
      h('p', { class: 'brand' }, h('span', { class: 'brand-name', text: 'Plenum' }), ' ', h('span', { class: 'brand-page', i18n: options.pageName })),
      headerActions,
    ),
  );
  headerActions.append(languageSwitch());
  const banners = h('div', { class: 'banners' });
  const main = h('main', { id: 'main', tabindex: '-1' });
  const footer = h(
    'footer',
    { class: 'site-footer' },
    h(
      'div',
      { class: 'wrap' },
      h('a', { href: links.accessibility(), i18n: 'footer.accessibility' }),
      h('span', { class: 'footer-note', i18n: 'footer.note' }),
    ),
  );
  const liveRegion = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const skip = h('a', { class: 'skip-link', href: '#main', i18n: 'common.skipToContent' });
  document.body.replaceChildren(skip, header, banners, main, footer, liveRegion);

  let customTitle: string | null | (() => string) = null;
  const renderTitle = () => {
    const custom = typeof customTitle === 'function' ? customTitle() : customTitle;
    document.title = `${custom ?? t(options.pageName)} – Plenum`;
  };
  renderTitle();
  onLanguageChange(renderTitle);

  const announcer = new Announcer(liveRegion, { minIntervalMs: options.announceIntervalMs ?? 10_000 });
  onLanguageChange(() => announcer.reset());

  return {
    header,
    headerActions,
    banners,
    main,
    announcer,
    setTitle(text) {
      customTitle = text;
      renderTitle();
    },
  };
}
