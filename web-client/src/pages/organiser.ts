import '../styles/base.css';
import '../styles/organiser.css';
import '../styles/organiser-control.css';
import { ApiError, parseBlocklist, PlenumApi } from '../lib/api';
import { ORGANISER_TOKEN_KEY, takeTokenFromFragment } from '../lib/auth';
import { i18n, onLanguageChange, t, type MessageKey } from '../lib/i18n';
import { pageLinks } from '../lib/links';
import type { CloudWithResults, PlenumEvent, PollWithResults, Stage } from '../lib/protocol';
import { safeStorage } from '../lib/storage';
import { initLanguage, mountChrome } from '../ui/chrome';
import { h, setText, uniqueId } from '../ui/dom';
import { CloudForm } from '../ui/cloud-form';
import { confirmDialog } from '../ui/confirm-dialog';
import { PlanList } from '../ui/plan-list';
import { loginForm } from '../ui/login';
import { StageSettingsForm } from '../ui/stage-settings';
import { PollForm } from '../ui/poll-form';
import { qrCode } from '../ui/qr-code';
import { ModeratorAccessView } from '../ui/moderator-access';
import { ExportPermissionBox } from '../ui/export-permission';
import { EventPasscodeBox } from '../ui/event-passcode';
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
          h('p', {}, h('a', { href: reportUrl(event.id) }, h('span', { i18n: 'report.linkFromConsole' }), h('span', { class: 'sr-only', text: `: ${event.name}` }))),
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
  const eventHeading = h('h1', { text: event.name });
  const eventRename = renameControl({
    idPrefix: `rename-${event.id}`,
    label: 'organiser.renameEvent',
    current: () => event.name,
    save: (name) =>
      api.renameEvent(event.id, name).then((changed) => {
        event.name = changed?.name ?? name;
        eventHeading.textContent = event.name;
        chrome.setTitle(() => `${t('page.organiser')}: ${event.name}`);
      }),
  });
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
              const section = stageSection(stage, stageRemoved);
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
  /** A deleted stage's card goes; the keyboard moves to the next stage (or the new-stage field). */
  function stageRemoved(gone: HTMLElement): void {
    const next = (gone.nextElementSibling ?? gone.previousElementSibling)?.querySelector<HTMLElement>('h2');
    gone.remove();
    (next ?? stageInput).focus();
  }
  for (const stage of event.stages) stages.append(stageSection(stage, stageRemoved));
  chrome.main.replaceChildren(
    h(
      'div',
      { class: 'wrap' },
      h('p', { class: 'breadcrumb' }, h('a', { href: links.organiser(), i18n: 'organiser.allEvents' })),
      eventHeading,
      eventRename.el,
      h('section', { class: 'card', 'aria-labelledby': 'event-links-h' }, h('h2', { id: 'event-links-h', i18n: 'organiser.eventLinks' }), linkField('links.moderator', links.moderator(event.id)), h('p', { class: 'hint', i18n: 'organiser.moderatorHint' }), h('p', {}, h('a', { href: reportUrl(event.id), class: 'report-link', i18n: 'report.linkFromConsole' }))),
      accessSection(event),
      blocklistSection(event),
      h('section', { 'aria-labelledby': 'new-stage-h' }, h('h2', { id: 'new-stage-h', i18n: 'organiser.newStage' }), stageForm),
      stages,
      deleteEventSection(event),
    ),
  );
}

/** Deleting an event: the person types its name, which the server checks too (`?confirm=`). */
function deleteEventSection(event: PlenumEvent): HTMLElement {
  const button = h('button', {
    type: 'button',
    class: 'button button-danger',
    'data-action': 'delete-event',
    i18n: 'organiser.deleteEvent',
    'aria-describedby': 'delete-event-hint',
    on: {
      click: () =>
        void confirmDialog({
          title: 'organiser.confirmDeleteEventTitle',
          params: { name: event.name },
          message: t('organiser.confirmDeleteEvent'),
          confirm: 'organiser.deleteConfirm',
          typeToConfirm: event.name,
          action: () => api.deleteEvent(event.id, event.name),
        }).then((done) => {
          if (done) location.assign(links.organiser());
        }),
    },
  });
  return h('section', { class: 'card danger-zone', 'aria-labelledby': 'delete-event-h' }, h('h2', { id: 'delete-event-h', i18n: 'organiser.dangerZone' }), h('p', { class: 'hint', id: 'delete-event-hint', i18n: 'organiser.deleteEventHint' }), button);
}

function stageSection(stage: Stage, removed: (section: HTMLElement) => void): HTMLElement {
  const headingId = uniqueId('stage');
  const viewerUrl = links.viewer(stage.code);
  const unauthorised = (err: unknown) => Promise.reject(err instanceof ApiError && err.status === 401 ? (signOut('login.error.invalid'), err) : err);
  const announce = (text: string) => chrome.announcer.say(text);
  const pollsStatus = h('p', { class: 'muted', i18n: 'common.loading' });
  const cloudsStatus = h('p', { class: 'muted', i18n: 'common.loading' });
  // Both lists are saved together: the order route takes the stage's polls and clouds at once.
  const saveOrder = (change: { polls?: string[]; clouds?: string[] }) => api.reorder(stage.id, { polls: change.polls ?? polls.ids(), clouds: change.clouds ?? clouds.ids() });
  const polls: PlanList<PollWithResults> = new PlanList('plain-list poll-summary', {
    kind: 'poll',
    describe: ({ poll }) => ({ id: poll.id, state: poll.state, text: poll.question, detail: '', detailKey: `poll.kind.${poll.kind}` as MessageKey, editable: poll.state === 'draft' }),
    reorder: (ids) => saveOrder({ polls: ids }),
    duplicate: ({ poll }) => api.duplicatePoll(stage.id, poll.id).then((copy) => copy?.poll?.id ?? null),
    remove: ({ poll }) =>
      confirmDialog({
        title: 'organiser.confirmDeletePollTitle',
        message: t('organiser.confirmDeletePoll', { name: poll.question }),
        confirm: 'organiser.delete',
        action: () => api.deletePoll(stage.id, poll.id).catch(unauthorised),
      }),
    editor: ({ poll }, done) => {
      const form = new PollForm({
        idPrefix: `edit-${poll.id}`,
        openByDefault: false,
        initial: { kind: poll.kind, question: poll.question, options: (poll.options ?? []).map((o) => o.label), maxSelections: poll.maxSelections ?? undefined, scale: poll.scale === 10 ? 10 : 5, resultsVisible: poll.resultsVisible },
        create: (changed) => api.updatePoll(stage.id, poll.id, changed).then(() => done(true), unauthorised),
        cancel: () => done(false),
      });
      return { el: h('div', { class: 'card plan-editor' }, h('h4', { i18n: 'organiser.editPoll' }), form.el), focus: () => form.focus() };
    },
    reload: () => api.listPolls(stage.id),
    announce,
    explain,
  });
  const loadPolls = () =>
    api.listPolls(stage.id).then(
      (list) => {
        polls.set(list);
        polls.setStatus(pollsStatus, 'moderator.noPolls');
      },
      (err) => {
        pollsStatus.textContent = explain(err) || t('common.loadFailed');
      },
    );
  const form = new PollForm({
    idPrefix: `plan-${stage.id}`,
    openByDefault: false,
    create: (poll) => api.createPoll(stage.id, poll).then(loadPolls, unauthorised),
    created: () => chrome.announcer.say(t('moderator.pollCreated')),
  });
  void loadPolls();

  const clouds: PlanList<CloudWithResults> = new PlanList('plain-list poll-summary cloud-summary', {
    kind: 'cloud',
    describe: ({ cloud }) => ({ id: cloud.id, state: cloud.state, text: cloud.prompt, detail: '', detailKey: 'organiser.cloudEntries', detailParams: { max: cloud.maxEntries }, editable: true }),
    reorder: (ids) => saveOrder({ clouds: ids }),
    duplicate: ({ cloud }) => api.duplicateCloud(stage.id, cloud.id).then((copy) => copy?.cloud?.id ?? null),
    remove: ({ cloud }) =>
      confirmDialog({
        title: 'organiser.confirmDeleteCloudTitle',
        message: t('organiser.confirmDeleteCloud', { name: cloud.prompt }),
        confirm: 'organiser.delete',
        action: () => api.deleteCloud(stage.id, cloud.id).catch(unauthorised),
      }),
    editor: ({ cloud }, done) => {
      const cloudEdit = new CloudForm({
        idPrefix: `edit-${cloud.id}`,
        openByDefault: false,
        initial: { prompt: cloud.prompt, maxEntries: cloud.maxEntries, resultsVisible: cloud.resultsVisible },
        create: (changed) => api.updateCloud(stage.id, cloud.id, changed).then(() => done(true), unauthorised),
        cancel: () => done(false),
      });
      return { el: h('div', { class: 'card plan-editor' }, h('h4', { i18n: 'organiser.editCloud' }), cloudEdit.el), focus: () => cloudEdit.focus() };
    },
    reload: () => api.listClouds(stage.id),
    announce,
    explain,
  });
  const loadClouds = () =>
    api.listClouds(stage.id).then(
      (list) => {
        clouds.set(list);
        clouds.setStatus(cloudsStatus, 'mcloud.none');
      },
      (err) => {
        cloudsStatus.textContent = explain(err) || t('common.loadFailed');
      },
    );
  const cloudForm = new CloudForm({
    idPrefix: `plan-cloud-${stage.id}`,
    openByDefault: false,
    create: (cloud) => api.createCloud(stage.id, cloud).then(loadClouds, unauthorised),
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
    confirm: (question) => confirmDialog({ title: 'organiser.confirmDeleteTalkTitle', message: question, confirm: 'organiser.delete' }),
  });
  localised.push(talks);
  const settings = new StageSettingsForm(stage, (change) =>
    api.updateSettings(stage.id, change).catch((err) => Promise.reject(err instanceof ApiError && err.status === 401 ? (signOut('login.error.invalid'), err) : err)),
  );
  const stageName = h('span', { class: 'stage-name', text: stage.name });
  const heading = h('h2', { id: headingId, tabindex: '-1' }, stageName, ' ', h('span', { class: 'stage-code-inline' }, h('span', { i18n: 'viewer.code' }), ' ', h('strong', { class: 'code', text: stage.code })));
  const rename = renameControl({
    idPrefix: `rename-${stage.id}`,
    label: 'organiser.renameStage',
    current: () => stage.name,
    save: (name) =>
      api.renameStage(stage.id, name).then((changed) => {
        stage.name = changed?.name ?? name;
        stageName.textContent = stage.name;
      }, unauthorised),
  });
  const reset = h('button', {
    type: 'button',
    class: 'button button-secondary',
    'data-action': 'reset-stage',
    i18n: 'organiser.resetStage',
    'aria-describedby': `${headingId}-reset-hint`,
    on: {
      click: () =>
        void confirmDialog({
          title: 'organiser.confirmResetTitle',
          params: { name: stage.name },
          message: t('organiser.confirmReset'),
          confirm: 'organiser.resetConfirm',
          action: () => api.resetStage(stage.id).catch(unauthorised),
        }).then((done) => {
          if (!done) return;
          chrome.announcer.say(t('organiser.resetDone', { name: stage.name }));
          void loadPolls();
          void loadClouds();
        }),
    },
  });
  const remove = h('button', {
    type: 'button',
    class: 'button button-danger',
    'data-action': 'delete-stage',
    on: {
      click: () =>
        void confirmDialog({
          title: 'organiser.confirmDeleteStageTitle',
          params: { name: stage.name },
          message: t('organiser.confirmDeleteStage'),
          confirm: 'organiser.deleteStage',
          action: () => api.deleteStage(stage.id).catch(unauthorised),
        }).then((done) => {
          if (!done) return;
          chrome.announcer.say(t('organiser.stageDeleted', { name: stage.name }));
          removed(section);
        }),
    },
  }, h('span', { i18n: 'organiser.deleteStage' }), h('span', { class: 'sr-only', text: `: ${stage.name}` }));
  const more = (href: string, key: MessageKey, overlayShow?: string) =>
    h('li', {}, h('a', { href, target: '_blank', rel: 'noopener', 'data-overlay-show': overlayShow }, h('span', { i18n: key }), h('span', { class: 'new-tab', i18n: 'common.newTab' })));
  const overlayLook = new OverlayLookPicker(`overlay-look-${stage.id}`, () => section, (show, look) => links.overlay(stage.id, show, look));
  const overlayField = linkField('links.overlay', links.overlay(stage.id, 'poll'));
  for (const el of overlayField.querySelectorAll('input, a')) el.setAttribute('data-overlay-show', 'poll');
  const section: HTMLElement = h(
    'section',
    { class: 'card stage-card', 'aria-labelledby': headingId, 'data-stage-id': stage.id },
    heading,
    rename.el,
    h(
      'div',
      { class: 'stage-links' },
      h(
        'div',
        { class: 'link-fields' },
        linkField('links.viewer', viewerUrl),
        linkField('links.viewerStream', links.viewer(stage.code, 'stream')),
        linkField('links.projector', links.projector(stage.id)),
        overlayField,
      ),
      h('figure', { class: 'qr-figure' }, qrCode(viewerUrl, 'qr'), h('figcaption', { i18n: 'organiser.qrCaption' })),
    ),
    h('h3', { i18n: 'talks.heading' }),
    talks.el,
    h('h3', { i18n: 'organiser.polls' }),
    pollsStatus,
    polls.list,
    polls.error,
    h('details', { class: 'create-poll' }, h('summary', { i18n: 'organiser.planPoll' }), form.el),
    h('h3', { i18n: 'mcloud.heading' }),
    cloudsStatus,
    clouds.list,
    clouds.error,
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
    h('h3', { i18n: 'organiser.stageControl' }),
    h('p', { class: 'hint', id: `${headingId}-reset-hint`, i18n: 'organiser.resetHint' }),
    h('div', { class: 'form-actions stage-control' }, reset, remove),
    overlayLook.el,
  );
  return section;
}

/** "Rename" next to a heading: opens a small form with the current name; the server's refusal shows in it. */
function renameControl(options: { idPrefix: string; label: MessageKey; current(): string; save(name: string): Promise<unknown> }): { el: HTMLElement } {
  const inputId = `${options.idPrefix}-name`;
  const input = h('input', { id: inputId, class: 'input', maxlength: '200', autocomplete: 'off', 'aria-describedby': `${inputId}-error` });
  const error = h('p', { class: 'form-error', role: 'alert', id: `${inputId}-error` });
  const open = h('button', { type: 'button', class: 'button button-small button-secondary rename-open', 'aria-expanded': 'false', i18n: options.label });
  const close = () => {
    form.hidden = true;
    open.setAttribute('aria-expanded', 'false');
    open.focus();
  };
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'rename-form',
      novalidate: true,
      hidden: true,
      on: {
        submit: (e) => {
          e.preventDefault();
          const name = input.value.trim();
          if (!name) {
            setText(error, 'organiser.error.nameRequired');
            input.setAttribute('aria-invalid', 'true');
            input.focus();
            return;
          }
          input.removeAttribute('aria-invalid');
          error.textContent = '';
          options.save(name).then(
            () => {
              chrome.announcer.say(t('organiser.renamed', { name }));
              close();
            },
            (err) => {
              error.textContent = err instanceof ApiError ? t('organiser.actionFailed', { detail: err.message }) : explain(err);
              input.focus();
            },
          );
        },
      },
    },
    h('label', { htmlFor: inputId, class: 'label', i18n: 'organiser.newName' }),
    h('div', { class: 'input-with-button' }, input, h('button', { type: 'submit', class: 'button button-primary', i18n: 'organiser.save' }), h('button', { type: 'button', class: 'button button-secondary', i18n: 'organiser.cancel', on: { click: close } })),
    error,
  );
  open.addEventListener('click', () => {
    const opening = form.hidden;
    form.hidden = !opening;
    open.setAttribute('aria-expanded', String(opening));
    if (opening) {
      input.value = options.current();
      error.textContent = '';
      input.focus();
      input.select();
    }
  });
  return { el: h('div', { class: 'rename' }, open, form) };
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
  const mayExport = new ExportPermissionBox(event, (allowed) => api.setModeratorsMayExport(event.id, allowed));
  const passcodeBox = new EventPasscodeBox(event, (value) => api.setEventPasscode(event.id, value));
  return h('section', { class: 'card access-section', 'aria-labelledby': 'access-h' }, h('h2', { id: 'access-h', i18n: 'access.heading' }), view.el, mayExport.el, passcodeBox.el);
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

/** The event's printable report; same tab, so the signed-in session (session storage) carries over. */
function reportUrl(id: string): string {
  return new URL(`report.html?event=${encodeURIComponent(id)}`, new URL('./', location.href)).toString();
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
