import '../styles/base.css';
import { deStatement } from '../i18n/statement.de';
import { enStatement } from '../i18n/statement.en';
import { i18n, onLanguageChange } from '../lib/i18n';
import { initLanguage, mountChrome } from '../ui/chrome';
import { h } from '../ui/dom';

initLanguage();
const chrome = mountChrome({ pageName: 'page.accessibility', bodyClass: 'page-accessibility' });

function render(): void {
  const statement = i18n().lang === 'en' ? enStatement : deStatement;
  chrome.setTitle(statement.title);
  const article = h('article', { class: 'wrap narrow prose' }, h('h1', { text: statement.title }));
  for (const section of statement.sections) {
    const body: HTMLElement[] = section.paragraphs.map((p) => h('p', { text: p }));
    if (section.list.length) body.push(h('ul', {}, ...section.list.map((item) => h('li', { text: item }))));
    if (section.heading) article.append(h('section', {}, h('h2', { text: section.heading }), ...body));
    else article.append(...body);
  }
  article.append(h('p', {}, h('a', { href: statement.link.href, rel: 'noopener noreferrer', text: statement.link.text })));
  chrome.main.replaceChildren(article);
}

render();
onLanguageChange(render);
