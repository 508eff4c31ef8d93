import { h } from './dom';

/**
 * What a viewer sees once the stage they are on was deleted (close 4404): a plain message in
 * place of the stage, focused so a screen reader reads it, and a way back to the code form. The
 * connection does not come back (docs/protocol.md, "A stage deleted or reset").
 */
export function renderStageDeleted(main: HTMLElement, homeHref: string): HTMLElement {
  const heading = h('h1', { tabindex: '-1', i18n: 'stage.deleted' });
  main.replaceChildren(
    h('div', { class: 'wrap narrow stage-deleted' }, heading, h('p', { class: 'lead', i18n: 'stage.deletedHint' }), h('p', {}, h('a', { href: homeHref, i18n: 'stage.deletedHome' }))),
  );
  main.removeAttribute('aria-busy');
  heading.focus();
  return heading;
}
