import '../styles/base.css';
import '../styles/organiser.css';
import { ApiError, parseBlocklist, PlenumApi } from '../lib/api';
import { ORGANISER_TOKEN_KEY, takeTokenFromFragment } from '../lib/auth';
import { i18n, onLanguageChange, t, type MessageKey } from '../lib/i18n';
import { pageLinks } from '../lib/links';
import type { CloudWithResults, PlenumEvent, PollWithResults, Stage } from '../lib/protocol';
import { safeStorage } from '../lib/storage';
import { initLanguage, mountChrome } from '../ui/chrome';
import { h, setText, uniqueId } from '../ui/dom';
import { CloudForm } from '../ui/cloud-form';
import { loginForm } from '../ui/login';
import { StageSettingsForm } from '../ui/stage-settings';
import { PollForm } from '../ui/poll-form';
import { qrCode } from '../ui/qr-code';
import { ModeratorAccessView } from '../ui/moderator-access';
import { TalkEditor } from '../ui/talk-editor';
import { OverlayLookPicker } from '../ui/overlay-look';

initLanguage();
const chrome = mountChrome({ pageName: 'page.organiser', bodyClass: 'page-organiser' });
const session = safeStorage('session');
let token = takeTokenFromFragment(location, history, session);
const api = new PlenumApi(location.href, () => token);
const links = pageLinks(location.href);
const eventId = new URLSearchParams(location.search).get('event');
/** Views whose dates and times follow a language switch. */
const localised: Array<{ refresh(): void }> = [];
onLanguageChange(() => localised.forEach((view) => view.refresh()));

const logout = h('button', { type: 'button', class: 'button button-small button-secondary', i18n: 'login.logout', hidden: true, on: { click: () => signOut(null) } });
chrome.headerActions.prepend(logout);

if (!token) showLogin(null);
else show();

function show(): void {
  logout.hidden = false;
  if (eventId) void showEvent(eventId);
  else void showEvents();
}

function showLogin(error: MessageKey | null): void {
  logout.hidden = true;
  chrome.main.replaceChildren(
    h(
      'div',
      { class: 'wrap narrow' },
      h('h1', { i18n: 'page.organiser' }),
      loginForm({
        error,
        onSubmit: (value) => {
          token = value;
          session.set(ORGANISER_TOKEN_KEY, value);
          show();
        },
      }),
    ),
  );
}

function signOut(error: MessageKey | null): void {
  token = null;
  session.remove(ORGANISER_TOKEN_KEY);
  showLogin(error);
}

/** REST failures: a refused token sends the person back to the sign-in form. */
function explain(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) {
    signOut('login.error.invalid');
    return '';
  }
  return t('common.failed', { detail: error instanceof Error ? error.message : String(error) });
}

// ---- all events ----

async function showEvents(): Promise<void> {
  const list = h('ul', { class: 'event-list' });
  const status = h('p', { i18n: 'common.loading' });
  const nameInput = h('input', { id: 'event-name', class: 'input', maxlength: '200', required: true, autocomplete: 'off' });
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const form = h(
    'form',
    {
      class: 'card inline-form',
      novalidate: true,
      on: {
        submit: (e) => {
          e.preventDefault();
          const name = nameInput.value.trim();
          if (!name) {
            setText(formError, 'organiser.error.nameRequired');
            nameInput.focus();
            return;
          }
          api.createEvent(name).then(
            (event) => location.assign(links.organiser(event.id)),
            (err) => (formError.textContent = explain(err)),
          );
        },
      },
    },
    h('label', { htmlFor: 'event-name', class: 'label', i18n: 'organiser.eventName' }),
    h('div', { class: 'input-with-button' }, nameInput, h('button', { type: 'submit', class: 'button button-primary', i18n: 'organiser.createEvent' })),
    formError,
  );
  chrome.main.replaceChildren(
    h(
      'div',
      { class: 'wrap' },
      h('h1', { i18n: 'organiser.heading' }),
      h('section', { 'aria-labelledby': 'new-event-h' }, h('h2', { id: 'new-event-h', i18n: 'organiser.newEvent' }), form),
      h('section', { 'aria-labelledby': 'events-h' }, h('h2', { id: 'events-h', i18n: 'organiser.events' }), status, list),
    ),
  );
  try {
    const events = await api.listEvents();
    if (events.length === 0) setText(status, 'organiser.noEvents');
    else status.remove();
    list.replaceChildren(
      ...events.map((event) =>
        h(
          'li',
          { class: 'card event-item' },
          h('h3', {}, h('a', { href: links.organiser(event.id), text: event.name })),
          h('p', { class: 'muted', text: i18n().plural('organiser.stageCount', event.stages.length) }),
          h('p', {}, h('a', { href: links.moderator(event.id), i18n: 'links.moderator' })),
        ),
      ),
    );
  } catch (error) {
    status.textContent = explain(error) || t('common.loadFailed');
  }
}

// ---- one event ----

async function showEvent(id: string): Promise<void> {
  chrome.main.replaceChildren(h('div', { class: 'wrap' }, h('h1', { i18n: 'common.loading' })));
  let event: PlenumEvent;
  try {
    event = await api.getEvent(id);
  } catch (error) {
    chrome.main.replaceChildren(
      h(
        'div',
        { class: 'wrap' },
        h('h1', { i18n: error instanceof ApiError && error.status === 404 ? 'moderator.eventNotFound' : 'common.loadFailed' }),
        h('p', {}, h('a', { href: links.organiser(), i18n: 'organiser.allEvents' })),
      ),
    );
    return;
  }
  chrome.setTitle(() => `${t('page.organiser')}: ${event.name}`);
  const stages = h('div', { class: 'stage-list' });
  const stageInput = h('input', { id: 'stage-name', class: 'input', maxlength: '200', autocomplete: 'off' });
  const stageError = h('p', { class: 'form-error', role: 'alert' });
  const stageForm = h(
    'form',
    {
      class: 'card inline-form',
      novalidate: true,
      on: {
        submit: (e) => {
          e.preventDefault();
          const name = stageInput.value.trim();
          if (!name) {
            setText(stageError, 'organiser.error.nameRequired');
            stageInput.focus();
            return;
          }
          stageError.textContent = '';
          api.createStage(event.id, name).then(
            (stage) => {
              stageInput.value = '';
              const section = stageSection(stage);
              stages.append(section);
              chrome.announcer.say(t('organiser.stageCreated', { name: stage.name }));
              section.querySelector<HTMLElement>('h2')?.focus();
            },
            (err) => (stageError.textContent = explain(err)),
          );
        },
      },
    },
    h('label', { htmlFor: 'stage-name', class: 'label', i18n: 'organiser.stageName' }),
    h('div', { class: 'input-with-button' }, stageInput, h('button', { type: 'submit', class: 'button button-primary', i18n: 'organiser.createStage' })),
    stageError,
  );
  for (const stage of event.stages) stages.append(stageSection(stage));
  chrome.main.replaceChildren(
    h(
      'div',
      { class: 'wrap' },
      h('p', { class: 'breadcrumb' }, h('a', { href: links.organiser(), i18n: 'organiser.allEvents' })),
      h('h1', { text: event.name }),
      h('section', { class: 'card', 'aria-labelledby': 'event-links-h' }, h('h2', { id: 'event-links-h', i18n: 'organiser.eventLinks' }), linkField('links.moderator', links.moderator(event.id)), h('p', { class: 'hint', i18n: 'organiser.moderatorHint' })),
      accessSection(event),
      blocklistSection(event),
      h('section', { 'aria-labelledby': 'new-stage-h' }, h('h2', { id: 'new-stage-h', i18n: 'organiser.newStage' }), stageForm),
      stages,
    ),
  );
}

function stageSection(stage: Stage): HTMLElement {
  const headingId = uniqueId('stage');
  const viewerUrl = links.viewer(stage.code);
  const pollList = h('ul', { class: 'plain-list poll-summary' });
  const pollsStatus = h('p', { class: 'muted', i18n: 'common.loading' });
  const renderPolls = (polls: PollWithResults[]) => {
    pollsStatus.hidden = polls.length > 0;
    if (polls.length === 0) setText(pollsStatus, 'moderator.noPolls');
    pollList.replaceChildren(
      ...polls.map(({ poll }) =>
        h('li', {}, h('span', { class: `badge badge-${poll.state}`, i18n: `poll.state.${poll.state}` as MessageKey }), ' ', h('span', { text: poll.question }), ' ', h('span', { class: 'muted', i18n: `poll.kind.${poll.kind}` as MessageKey })),
      ),
    );
  };
  const loadPolls = () =>
    api.listPolls(stage.id).then(renderPolls, (err) => {
      pollsStatus.textContent = explain(err) || t('common.loadFailed');
    });
  const form = new PollForm({
    idPrefix: `plan-${stage.id}`,
    openByDefault: false,
    create: (poll) => api.createPoll(stage.id, poll).then(loadPolls, (err) => Promise.reject(err instanceof ApiError && err.status === 401 ? (signOut('login.error.invalid'), err) : err)),
    created: () => chrome.announcer.say(t('moderator.pollCreated')),
  });
  void loadPolls();

  const cloudList = h('ul', { class: 'plain-list poll-summary cloud-summary' });
  const cloudsStatus = h('p', { class: 'muted', i18n: 'common.loading' });
  const renderClouds = (clouds: CloudWithResults[]) => {
    cloudsStatus.hidden = clouds.length > 0;
    if (clouds.length === 0) setText(cloudsStatus, 'mcloud.none');
    cloudList.replaceChildren(
      ...clouds.map(({ cloud }) =>
        h(
          'li',
          {},
          h('span', { class: `badge badge-${cloud.state}`, i18n: `poll.state.${cloud.state}` as MessageKey }),
          ' ',
          h('span', { text: cloud.prompt }),
          ' ',
          h('span', { class: 'muted', i18n: 'organiser.cloudEntries', i18nParams: { max: cloud.maxEntries } }),
        ),
      ),
    );
  };
  const loadClouds = () =>
    api.listClouds(stage.id).then(renderClouds, (err) => {
      cloudsStatus.textContent = explain(err) || t('common.loadFailed');
    });
  const cloudForm = new CloudForm({
    idPrefix: `plan-cloud-${stage.id}`,
    openByDefault: false,
    create: (cloud) => api.createCloud(stage.id, cloud).then(loadClouds, (err) => Promise.reject(err instanceof ApiError && err.status === 401 ? (signOut('login.error.invalid'), err) : err)),
    created: () => chrome.announcer.say(t('mcloud.created')),
  });
  void loadClouds();
  const talks = new TalkEditor(`talks-${stage.id}`, {
    list: () => api.listTalks(stage.id),
    create: (talk) => api.createTalk(stage.id, talk),
    update: (talkId, talk) => api.updateTalk(stage.id, talkId, talk),
    remove: (talkId) => api.deleteTalk(stage.id, talkId),
    announce: (text) => chrome.announcer.say(text),
    explain,
  });
  localised.push(talks);
  const settings = new StageSettingsForm(stage, (change) =>
    api.updateSettings(stage.id, change).catch((err) => Promise.reject(err instanceof ApiError && err.status === 401 ? (signOut('login.error.invalid'), err) : err)),
  );
  const more = (href: string, key: MessageKey, overlayShow?: string) =>
    h('li', {}, h('a', { href, target: '_blank', rel: 'noopener', 'data-overlay-show': overlayShow }, h('span', { i18n: key }), h('span', { class: 'new-tab', i18n: 'common.newTab' })));
  const overlayLook = new OverlayLookPicker(`overlay-look-${stage.id}`, () => card, (show, look) => links.overlay(stage.id, show, look));
  const overlayField = linkField('links.overlay', links.overlay(stage.id, 'poll'));
  for (const el of overlayField.querySelectorAll('input, a')) el.setAttribute('data-overlay-show', 'poll');
  const card: HTMLElement = h(
    'section',
    { class: 'card stage-card', 'aria-labelledby': headingId },
    h('h2', { id: headingId, tabindex: '-1' }, h('span', { text: stage.name }), ' ', h('span', { class: 'stage-code-inline' }, h('span', { i18n: 'viewer.code' }), ' ', h('strong', { class: 'code', text: stage.code }))),
    h(
      'div',
      { class: 'stage-links' },
      h('div', { class: 'link-fields' }, linkField('links.viewer', viewerUrl), linkField('links.projector', links.projector(stage.id)), overlayField),
      h('figure', { class: 'qr-figure' }, qrCode(viewerUrl, 'qr'), h('figcaption', { i18n: 'organiser.qrCaption' })),
    ),
    h('h3', { i18n: 'talks.heading' }),
    talks.el,
    h('h3', { i18n: 'organiser.polls' }),
    pollsStatus,
    pollList,
    h('details', { class: 'create-poll' }, h('summary', { i18n: 'organiser.planPoll' }), form.el),
    h('h3', { i18n: 'mcloud.heading' }),
    cloudsStatus,
    cloudList,
    h('details', { class: 'create-poll' }, h('summary', { i18n: 'organiser.planCloud' }), cloudForm.el),
    h('h3', { i18n: 'settings.heading' }),
    settings.el,
    h('h3', { i18n: 'organiser.moreViews' }),
    h(
      'ul',
      { class: 'link-list more-views' },
      more(links.projector(stage.id, 'cloud'), 'links.projectorCloud'),
      more(links.projector(stage.id, 'questions'), 'links.projectorQuestions'),
      more(links.overlay(stage.id, 'cloud'), 'links.overlayCloud', 'cloud'),
      more(links.overlay(stage.id, 'question'), 'links.overlayQuestion', 'question'),
      more(links.overlay(stage.id, 'reactions'), 'links.overlayReactions', 'reactions'),
      more(links.overlay(stage.id, 'talk'), 'links.overlayTalk', 'talk'),
    ),
    overlayLook.el,
  );
  return card;
}

/** Moderator access: labelled tokens for this event's stages, each link shown once. */
function accessSection(event: PlenumEvent): HTMLElement {
  const view = new ModeratorAccessView(`access-${event.id}`, {
    list: () => api.listModerators(event.id),
    create: (label) => api.createModerator(event.id, label),
    remove: (id) => api.deleteModerator(event.id, id),
    link: (value) => links.moderatorWithToken(event.id, value),
    announce: (text) => chrome.announcer.say(text),
    explain,
  });
  localised.push(view);
  return h('section', { class: 'card access-section', 'aria-labelledby': 'access-h' }, h('h2', { id: 'access-h', i18n: 'access.heading' }), view.el);
}

/** The event's own blocked words (one per line), with the built-in list to look at. */
function blocklistSection(event: PlenumEvent): HTMLElement {
  const id = `blocklist-${event.id}`;
  const textarea = h('textarea', { id, class: 'input', rows: '5', spellcheck: 'false', 'aria-describedby': `${id}-hint ${id}-status` });
  textarea.value = (event.blockedWords ?? []).join('\n');
  const status = h('p', { class: 'settings-status', role: 'status', id: `${id}-status` });
  const defaults = h('p', { class: 'muted blocklist-defaults' });
  const defaultsBox = h('details', { class: 'blocklist-defaults-box', hidden: true }, h('summary', { i18n: 'organiser.blocklistDefaults' }), defaults);
  api.getBlocklist(event.id).then(
    (list) => {
      textarea.value = list.words.join('\n');
      defaults.textContent = list.defaults.join(', ');
      defaultsBox.hidden = list.defaults.length === 0;
    },
    (err) => {
      status.textContent = explain(err);
    },
  );
  const form = h(
    'form',
    {
      class: 'card blocklist-form',
      novalidate: true,
      on: {
        submit: (e) => {
          e.preventDefault();
          const { words, tooLong } = parseBlocklist(textarea.value);
          if (tooLong.length) {
            textarea.setAttribute('aria-invalid', 'true');
            setText(status, 'organiser.blocklistTooLong', { words: tooLong.join(', ') });
            textarea.focus();
            return;
          }
          if (words.length > 1000) {
            textarea.setAttribute('aria-invalid', 'true');
            setText(status, 'organiser.blocklistTooMany');
            return;
          }
          textarea.removeAttribute('aria-invalid');
          setText(status, 'settings.saving');
          api.putBlocklist(event.id, words).then(
            (list) => {
              textarea.value = list.words.join('\n');
              setText(status, 'organiser.blocklistSaved', { count: list.words.length });
            },
            (err) => (status.textContent = explain(err)),
          );
        },
      },
    },
    h('label', { htmlFor: id, class: 'label', i18n: 'organiser.blocklistLabel' }),
    h('p', { class: 'hint', id: `${id}-hint`, i18n: 'organiser.blocklistHint' }),
    textarea,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', i18n: 'organiser.blocklistSave' })),
    status,
    defaultsBox,
  );
  return h('section', { 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h`, i18n: 'organiser.blocklist' }), form);
}

/** A labelled, read-only address with "copy" and "open" next to it. */
function linkField(label: MessageKey, url: string): HTMLElement {
  const id = uniqueId('link');
  const input = h('input', { id, class: 'input input-url', readonly: true, value: url, spellcheck: 'false' });
  const copy = h('button', {
    type: 'button',
    class: 'button button-small button-secondary',
    'aria-describedby': `${id}-label`,
    i18n: 'common.copy',
    on: {
      click: () => {
        const done = () => chrome.announcer.say(t('common.copied'));
        if (navigator.clipboard?.writeText) {
          navigator.clipboard.writeText(input.value).then(done, () => {
            input.select();
          });
        } else {
          input.focus();
          input.select();
        }
      },
    },
  });
  return h(
    'div',
    { class: 'link-field' },
    h('label', { htmlFor: id, id: `${id}-label`, class: 'label', i18n: label }),
    h('div', { class: 'input-with-button' }, input, copy, h('a', { href: url, target: '_blank', rel: 'noopener', class: 'button button-small button-secondary' }, h('span', { i18n: 'common.open' }), h('span', { class: 'new-tab', i18n: 'common.newTab' }))),
  );
}
