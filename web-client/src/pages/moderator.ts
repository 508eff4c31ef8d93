import '../styles/base.css';
import { noteServerTime } from '../ui/countdown';
import '../styles/moderator.css';
import { ApiError, PlenumApi, type CloudCommand, type PollCommand, type PostCommand } from '../lib/api';
import { ORGANISER_TOKEN_KEY, takeTokenFromFragment } from '../lib/auth';
import { ActionError, followBrowserNetwork, PlenumConnection, webSocketUrl } from '../lib/connection';
import { i18n, onLanguageChange, t, type MessageKey } from '../lib/i18n';
import { pageLinks } from '../lib/links';
import { StageClouds } from '../lib/cloud-store';
import { StagePolls, type PollEntry } from '../lib/poll-store';
import { queueCounts, StagePosts } from '../lib/post-store';
import type { CloudWithResults, JoinedMessage, PlenumEvent, Poll, PollWithResults, Post, Presence, Presentation, Stage, WordCloud } from '../lib/protocol';
import { DEFAULT_REACTIONS, ReactionActivity, ReactionCounts } from '../lib/reactions';
import { safeStorage } from '../lib/storage';
import { initLanguage, mountChrome } from '../ui/chrome';
import { ConnectionBanner } from '../ui/connection-banner';
import { applyOrder, applyRemoved } from '../lib/stage-lifecycle';
import type { OrderMessage, RemovedMessage } from '../lib/protocol';
import { h, setPlainText, setText } from '../ui/dom';
import { CloudForm } from '../ui/cloud-form';
import { loginForm } from '../ui/login';
import { ModeratorCloudCard } from '../ui/moderator-cloud';
import { ModeratorPollCard } from '../ui/moderator-poll';
import { PostQueue } from '../ui/moderator-posts';
import { PendingCue } from '../ui/pending-cue';
import { OverlayLookPicker } from '../ui/overlay-look';
import { AUTO_PRESENTATION, PresentControl, type PresentGroup } from '../ui/moderator-present';
import { LeaderboardPanel } from '../ui/moderator-leaderboard';

/** The live quiz leaderboards of the moderator's stages; one panel shows the open stage's. */
const leaderboards = new LeaderboardPanel();
import { ReactionActivityView } from '../ui/reaction-activity';
import { StageSettingsForm } from '../ui/stage-settings';
import { PollForm } from '../ui/poll-form';
import { ProgrammeView } from '../ui/programme';
import type { Talk } from '../lib/talks';
import { resultsSentence } from '../ui/results';
import { ModeratorSurveys } from '../ui/moderator-survey';

initLanguage();
const chrome = mountChrome({ pageName: 'page.moderator', bodyClass: 'page-moderator', announceIntervalMs: 10_000 });
const session = safeStorage('session');
let token = takeTokenFromFragment(location, history, session);
const api = new PlenumApi(location.href, () => token);
const links = pageLinks(location.href);
const params = new URLSearchParams(location.search);
const eventId = params.get('event');

const logout = h('button', { type: 'button', class: 'button button-small button-secondary', i18n: 'login.logout', hidden: true, on: { click: () => signOut(null) } });
chrome.headerActions.prepend(logout);

let connection: PlenumConnection | null = null;
let dashboard: Dashboard | null = null;
/** Stages joined at least once on the current dashboard: their next `joined` is a rejoin. */
const joinedStages = new Set<string>();
// The banner area (connection, new posts) sticks to the top: what scrolls into view stops below it.
if (typeof ResizeObserver === 'function') {
  new ResizeObserver(() => (document.documentElement.style.scrollPaddingTop = `${chrome.banners.offsetHeight + 8}px`)).observe(chrome.banners);
}
const pendingCue = new PendingCue({
  stageName: (stageId) => dashboard?.event.stages.find((s) => s.id === stageId)?.name ?? '',
  show: (stageId) => showPending(stageId),
  changed: () => {
    if (dashboard?.parts) syncPosts(dashboard.parts.stageId);
  },
  storage: safeStorage('local'),
});
// One listener for whichever connection is current (signing in again makes a new one).
followBrowserNetwork({ setNetwork: (up) => connection?.setNetwork(up) });

if (!eventId) showEventPicker();
else if (!token) showLogin(null);
else void openDashboard(eventId);

// ---- sign-in ----

function showLogin(error: MessageKey | null): void {
  logout.hidden = true;
  chrome.main.replaceChildren(
    h(
      'div',
      { class: 'wrap narrow' },
      h('h1', { i18n: 'page.moderator' }),
      loginForm({
        error,
        onSubmit: (value) => {
          token = value;
          session.set(ORGANISER_TOKEN_KEY, value);
          void openDashboard(eventId!);
        },
      }),
    ),
  );
}

function signOut(error: MessageKey | null): void {
  // Several stage joins can fail for the same wrong token: show the form once.
  if (token === null && connection === null && document.getElementById('login-token')) return;
  token = null;
  session.remove(ORGANISER_TOKEN_KEY);
  connection?.close();
  connection = null;
  dashboard = null;
  if (eventId) showLogin(error);
  else showEventPicker();
}

function showEventPicker(): void {
  const list = h('ul', { class: 'link-list' });
  const status = h('p', { class: 'lead', i18n: 'common.loading' });
  chrome.main.replaceChildren(h('div', { class: 'wrap narrow' }, h('h1', { i18n: 'moderator.pickEvent' }), status, list));
  api.listEvents().then(
    (events) => {
      if (events.length === 0) setText(status, 'moderator.noEvents');
      else status.remove();
      list.replaceChildren(...events.map((e) => h('li', {}, h('a', { href: links.moderator(e.id), text: e.name }))));
    },
    () => setText(status, 'common.loadFailed'),
  );
}

// ---- the dashboard ----

interface StageRow {
  stage: Stage;
  row: HTMLTableRowElement;
  viewers: HTMLElement;
  moderators: HTMLElement;
  presenters: HTMLElement;
  running: HTMLElement;
  pending: HTMLElement;
  control: HTMLButtonElement;
}

interface StageReactions {
  counts: ReactionCounts;
  activity: ReactionActivity;
  set: string[];
}

/** The parts of the open stage panel that live updates reach. */
interface PanelParts {
  stageId: string;
  cloudCards: Map<string, ModeratorCloudCard>;
  cloudList: HTMLElement;
  cloudEmpty: HTMLElement;
  questions: PostQueue;
  comments: PostQueue;
  /** Answers to open-text polls (issue 12): moderated like comments, each naming its question. */
  answers: PostQueue;
  reactions: ReactionActivityView;
  settings: StageSettingsForm;
  programme: ProgrammeView;
  /** Feedback surveys per talk (issue 12). */
  surveys: ModeratorSurveys;
  questionsJump: HTMLElement;
  commentsJump: HTMLElement;
  /** "Present this": the stage bar and the buttons on each poll, cloud and question (keyed `poll:ID`, `cloud:ID`, `post:ID`). */
  present: PresentControl;
  presentGroups: Map<string, PresentGroup>;
  reactionTimer?: ReturnType<typeof setTimeout>;
  reactionSoon?: boolean;
}

interface Dashboard {
  event: PlenumEvent;
  rows: Map<string, StageRow>;
  stores: Map<string, StagePolls>;
  presence: Map<string, Presence>;
  panel: HTMLElement;
  activeStageId: string;
  cards: Map<string, ModeratorPollCard>;
  cardList: HTMLElement | null;
  emptyNote: HTMLElement | null;
  clouds: Map<string, StageClouds>;
  posts: Map<string, StagePosts>;
  reactions: Map<string, StageReactions>;
  talks: Map<string, Talk[]>;
  /** What each stage's screens show now (from `joined` and `presentation` pushes). */
  presentations: Map<string, Presentation>;
  parts: PanelParts | null;
}

async function openDashboard(id: string): Promise<void> {
  logout.hidden = false;
  chrome.main.replaceChildren(h('div', { class: 'wrap' }, h('h1', { i18n: 'common.loading' })));
  let event: PlenumEvent;
  try {
    event = await api.getEvent(id);
  } catch (e) {
    // A wrong token is refused on public reads too: back to the sign-in form, with the reason.
    if (e instanceof ApiError && e.status === 401) {
      signOut('login.error.invalid');
      return;
    }
    const notFound = e instanceof ApiError && e.status === 404;
    chrome.main.replaceChildren(
      h('div', { class: 'wrap narrow' }, h('h1', { i18n: notFound ? 'moderator.eventNotFound' : 'common.loadFailed' }), h('p', {}, h('a', { href: 'moderator.html', i18n: 'moderator.pickEvent' }))),
    );
    return;
  }
  chrome.setTitle(() => `${t('page.moderator')}: ${event.name}`);
  const rows = new Map<string, StageRow>();
  const tbody = h('tbody');
  for (const stage of event.stages) {
    const row = stageRow(stage);
    rows.set(stage.id, row);
    tbody.append(row.row);
  }
  const panel = h('section', { class: 'stage-panel', 'aria-labelledby': 'stage-h' });
  const requested = params.get('stage');
  const activeStageId = event.stages.find((s) => s.id === requested)?.id ?? event.stages[0]?.id ?? '';
  joinedStages.clear();
  dashboard = { event, rows, stores: new Map(), presence: new Map(), panel, activeStageId, cards: new Map(), cardList: null, emptyNote: null, clouds: new Map(), posts: new Map(), reactions: new Map(), talks: new Map(), presentations: new Map(), parts: null };
  for (const stage of event.stages) {
    dashboard.stores.set(stage.id, new StagePolls());
    dashboard.clouds.set(stage.id, new StageClouds());
    dashboard.posts.set(stage.id, new StagePosts('moderator'));
    dashboard.reactions.set(stage.id, { counts: new ReactionCounts(), activity: new ReactionActivity(), set: DEFAULT_REACTIONS });
  }

  chrome.main.replaceChildren(
    h(
      'div',
      { class: 'wrap wide' },
      h('div', { class: 'dashboard-head' }, h('h1', { text: event.name }), pendingCue.soundToggle),
      h(
        'div',
        { class: 'overview' },
        h('h2', { id: 'overview-h', i18n: 'moderator.overview' }),
        event.stages.length === 0
          ? h('p', { i18n: 'moderator.noStages' })
          : h(
              'div',
              { class: 'table-scroll', role: 'region', 'aria-labelledby': 'overview-h', tabindex: '0' },
              h(
                'table',
                { class: 'stage-table' },
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    ...(['moderator.col.stage', 'moderator.col.code', 'moderator.col.viewers', 'moderator.col.moderators', 'moderator.col.presenters', 'moderator.col.running', 'moderator.col.pending'] as MessageKey[]).map((key) =>
                      h('th', { scope: 'col', i18n: key, class: OPTIONAL_COLUMNS.has(key) ? 'col-optional' : undefined }),
                    ),
                    h('th', { scope: 'col' }, h('span', { class: 'sr-only', i18n: 'moderator.col.action' })),
                  ),
                ),
                tbody,
              ),
            ),
      ),
      panel,
    ),
  );
  renderPanel(false);
  connect(event);
}

/** Columns a phone leaves out, so that stage, viewers and the button fit (the stage panel below shows the rest). */
const OPTIONAL_COLUMNS = new Set<MessageKey>(['moderator.col.code', 'moderator.col.moderators', 'moderator.col.presenters', 'moderator.col.running', 'moderator.col.pending']);

function stageRow(stage: Stage): StageRow {
  const cell = (optional = false) => h('td', { class: optional ? 'num col-optional' : 'num', text: '–' });
  const viewers = cell();
  viewers.classList.add('viewers');
  const moderators = cell(true);
  const presenters = cell(true);
  const running = h('td', { class: 'running col-optional', text: '–' });
  const pending = h('td', { class: 'num pending col-optional', text: '–' });
  const control = h(
    'button',
    { type: 'button', class: 'button button-small', on: { click: () => selectStage(stage.id) } },
    h('span', { i18n: 'moderator.control' }),
    h('span', { class: 'sr-only', text: `: ${stage.name}` }),
  );
  const row = h('tr', { 'data-stage-id': stage.id }, h('th', { scope: 'row', text: stage.name }), h('td', { class: 'col-optional' }, h('span', { class: 'code', text: stage.code })), viewers, moderators, presenters, running, pending, h('td', {}, control));
  return { stage, row, viewers, moderators, presenters, running, pending, control };
}

/** "Show" on the new-posts notice: that stage's queue on "waiting", the focus on the first new post. */
function showPending(stageId: string): void {
  if (!dashboard) return;
  if (dashboard.activeStageId !== stageId) selectStage(stageId);
  const parts = dashboard.parts;
  if (!parts) return;
  if (!parts.questions.showPending()) parts.comments.showPending();
}

function selectStage(stageId: string): void {
  if (!dashboard) return;
  dashboard.activeStageId = stageId;
  const url = new URL(location.href);
  url.searchParams.set('stage', stageId);
  history.replaceState(null, '', url.toString());
  renderPanel(true);
}

function renderPanel(moveFocus: boolean): void {
  const d = dashboard;
  if (!d) return;
  for (const [id, row] of d.rows) {
    const active = id === d.activeStageId;
    row.row.classList.toggle('is-active', active);
    if (active) row.control.setAttribute('aria-current', 'true');
    else row.control.removeAttribute('aria-current');
  }
  d.cards.clear();
  clearTimeout(d.parts?.reactionTimer);
  d.parts?.programme.stop();
  d.parts?.surveys.stop();
  d.parts = null;
  const stage = d.event.stages.find((s) => s.id === d.activeStageId);
  if (!stage) {
    d.panel.replaceChildren();
    return;
  }
  const heading = h('h2', { id: 'stage-h', tabindex: '-1', text: stage.name });
  const form = new PollForm({
    idPrefix: `new-poll-${stage.id}`,
    openByDefault: true,
    create: (poll) =>
      api.createPoll(stage.id, poll).then(({ poll: created, results }) => {
        d.stores.get(stage.id)?.applyPoll(created, results);
        syncCards(stage.id);
      }, authFailure),
    created: () => chrome.announcer.say(t('moderator.pollCreated')),
  });
  d.cardList = h('div', { class: 'poll-list' });
  const { parts, cloudForm } = panelParts(stage);
  d.parts = parts;
  d.emptyNote = h('p', { class: 'empty-state', i18n: 'moderator.noPolls' });
  const external = (href: string, key: MessageKey, overlayShow?: string) =>
    h('a', { href, target: '_blank', rel: 'noopener', 'data-overlay-show': overlayShow }, h('span', { i18n: key }), h('span', { class: 'new-tab', i18n: 'common.newTab' }));
  const overlayLook = new OverlayLookPicker(`overlay-look-${stage.id}`, () => d.panel, (show, look) => links.overlay(stage.id, show, look));
  d.panel.replaceChildren(
    heading,
    h(
      'p',
      { class: 'stage-links' },
      h('span', {}, h('span', { i18n: 'viewer.code' }), ' ', h('strong', { class: 'code', text: stage.code })),
      external(links.viewer(stage.code), 'links.viewer'),
      external(links.projector(stage.id), 'links.projector'),
      external(links.overlay(stage.id), 'links.overlay', 'poll'),
    ),
    h(
      'p',
      { class: 'stage-links' },
      h('span', { i18n: 'moderator.moreViews' }),
      external(links.projector(stage.id, 'cloud'), 'links.projectorCloud'),
      external(links.projector(stage.id, 'questions'), 'links.projectorQuestions'),
      external(links.overlay(stage.id, 'cloud'), 'links.overlayCloud', 'cloud'),
      external(links.overlay(stage.id, 'question'), 'links.overlayQuestion', 'question'),
      external(links.overlay(stage.id, 'reactions'), 'links.overlayReactions', 'reactions'),
    ),
    overlayLook.el,
    panelNav(parts),
    parts.present.bar,
    leaderboards.el,
    h('section', { class: 'stage-section', id: 'panel-programme', 'aria-labelledby': 'mprogramme-h' }, h('h3', { id: 'mprogramme-h', i18n: 'talks.heading' }), parts.programme.el),
    h('section', { class: 'stage-section', id: 'panel-surveys', 'aria-labelledby': 'msurveys-h' }, h('h3', { id: 'msurveys-h', i18n: 'msurvey.heading' }), parts.surveys.el),
    h('section', { class: 'stage-section', id: 'panel-polls', 'aria-labelledby': 'polls-h' }, h('h3', { id: 'polls-h', i18n: 'moderator.polls' }), h('details', { class: 'card create-poll' }, h('summary', { i18n: 'moderator.newPoll' }), form.el), d.emptyNote, d.cardList),
    h(
      'section',
      { class: 'stage-section', id: 'panel-clouds', 'aria-labelledby': 'clouds-h' },
      h('h3', { id: 'clouds-h', i18n: 'mcloud.heading' }),
      h('details', { class: 'card create-poll' }, h('summary', { i18n: 'mcloud.new' }), cloudForm.el),
      parts.cloudEmpty,
      parts.cloudList,
    ),
    h('section', { class: 'stage-section', id: 'panel-questions', 'aria-labelledby': 'mqa-h' }, h('h3', { id: 'mqa-h', i18n: 'mposts.questionsHeading' }), parts.questions.el),
    h('section', { class: 'stage-section', id: 'panel-comments', 'aria-labelledby': 'mcomments-h' }, h('h3', { id: 'mcomments-h', i18n: 'mposts.commentsHeading' }), parts.comments.el),
    h('section', { class: 'stage-section', id: 'panel-answers', 'aria-labelledby': 'manswers-h' }, h('h3', { id: 'manswers-h', i18n: 'mposts.answersHeading' }), parts.answers.el),
    h(
      'div',
      { class: 'panel-columns' },
      h('section', { class: 'stage-section card', id: 'panel-reactions', 'aria-labelledby': 'mreactions-h' }, h('h3', { id: 'mreactions-h', i18n: 'mreactions.heading' }), parts.reactions.el),
      h('section', { class: 'stage-section card', id: 'panel-settings', 'aria-labelledby': 'msettings-h' }, h('h3', { id: 'msettings-h', i18n: 'settings.heading' }), parts.settings.el),
    ),
  );
  syncCards(stage.id);
  syncClouds(stage.id);
  syncPosts(stage.id);
  renderReactions(stage.id);
  parts.programme.update(d.talks.get(stage.id) ?? []);
  parts.surveys.update(d.talks.get(stage.id) ?? []);
  if (moveFocus) heading.focus();
}

/** Which open-text question an answer answers (the queue lists all of a stage's answers). */
function decorateAnswer(stageId: string, post: Post, slot: HTMLElement): void {
  const question = post.pollId ? dashboard?.stores.get(stageId)?.get(post.pollId)?.poll.question : undefined;
  slot.replaceChildren(question ? h('p', { class: 'hint answer-to' }, t('mposts.answerTo', { question })) : '');
}

function panelNav(parts: PanelParts): HTMLElement {
  const link = (href: string, key: MessageKey) => h('a', { href, i18n: key });
  return h(
    'nav',
    { class: 'stage-nav', 'aria-label': t('moderator.jumpTo'), 'data-i18n-attr': 'aria-label:moderator.jumpTo' },
    h(
      'ul',
      {},
      h('li', {}, link('#panel-present', 'present.heading')),
      h('li', {}, link('#panel-programme', 'talks.heading')),
      h('li', {}, link('#panel-surveys', 'msurvey.heading')),
      h('li', {}, link('#panel-polls', 'moderator.polls')),
      h('li', {}, link('#panel-clouds', 'mcloud.heading')),
      h('li', {}, parts.questionsJump),
      h('li', {}, parts.commentsJump),
      h('li', {}, h('a', { href: '#panel-answers', i18n: 'mposts.answersHeading' })),
      h('li', {}, link('#panel-reactions', 'mreactions.heading')),
      h('li', {}, link('#panel-settings', 'settings.heading')),
    ),
  );
}

/** Builds the parts of a stage panel for issue 3: clouds, Q&A, comments, reactions, settings. */
function panelParts(stage: Stage): { parts: PanelParts; cloudForm: CloudForm } {
  const d = dashboard!;
  const posts = d.posts.get(stage.id)!;
  const postDeps = {
    command: (post: Post, command: PostCommand) => applyPostAnswer(stage.id, api.postCommand(stage.id, post.id, command)),
    edit: (post: Post, text: string) => applyPostAnswer(stage.id, api.editPost(stage.id, post.id, text)),
    reply: (post: Post, text: string | null) => applyPostAnswer(stage.id, api.replyToPost(stage.id, post.id, text)),
    muteAuthor: (post: Post, muted: boolean) => api.muteAuthor(stage.id, post.id, muted).then((r) => r.hidden),
    removeAuthorVotes: (post: Post) => api.removeAuthorVotes(stage.id, post.id).then((r) => r.polls.length),
    announce: (text: string) => chrome.announcer.say(text),
    isNew: (post: Post) => post.state === 'pending' && pendingCue.isNew(post.id),
  };
  const cloudForm = new CloudForm({
    idPrefix: `new-cloud-${stage.id}`,
    openByDefault: true,
    create: (cloud) => applyCloudAnswer(stage.id, api.createCloud(stage.id, cloud)),
    created: () => chrome.announcer.say(t('mcloud.created')),
  });
  const parts: PanelParts = {
    stageId: stage.id,
    cloudCards: new Map(),
    cloudList: h('div', { class: 'poll-list' }),
    cloudEmpty: h('p', { class: 'empty-state', i18n: 'mcloud.none' }),
    questions: new PostQueue(['question'], posts, { ...postDeps, decorate: (post: Post, slot: HTMLElement) => decorateQuestion(stage.id, post, slot) }, 'mqa-h'),
    comments: new PostQueue(['comment', 'feedback'], posts, postDeps, 'mcomments-h'),
    answers: new PostQueue(['answer'], posts, { ...postDeps, decorate: (post: Post, slot: HTMLElement) => decorateAnswer(stage.id, post, slot) }, 'manswers-h'),
    reactions: new ReactionActivityView('mreactions.caption'),
    settings: new StageSettingsForm(stage, (change) => api.updateSettings(stage.id, change).then((updated) => (applyStage(updated), updated), authFailure)),
    programme: new ProgrammeView(),
    surveys: new ModeratorSurveys({
      load: (talkId) => api.getSurvey(stage.id, talkId).catch((e) => (e instanceof ApiError && e.code === 'unknown_survey' ? null : Promise.reject(e))),
      save: (talkId, questions) => api.putSurvey(stage.id, talkId, questions),
      command: (talkId, command) => api.surveyCommand(stage.id, talkId, command),
      announce: (text) => chrome.announcer.say(text),
    }),
    questionsJump: h('a', { href: '#panel-questions' }),
    commentsJump: h('a', { href: '#panel-comments' }),
    present: new PresentControl(
      {
        present: (kind, target) => api.present(stage.id, kind, target).then((answer) => (d.presentations.set(stage.id, answer), answer), authFailure),
        title: (kind, target) => presentedTitle(stage.id, kind, target),
        announce: (text) => chrome.announcer.say(text),
      },
      'mpresent-h',
    ),
    presentGroups: new Map(),
  };
  parts.present.set(d.presentations.get(stage.id) ?? AUTO_PRESENTATION);
  leaderboards.show(stage.id);
  return { parts, cloudForm };
}

// ---- present this (issue 12) ----

function presentedTitle(stageId: string, kind: string, target: string): string | null {
  const d = dashboard;
  if (!d) return null;
  if (kind === 'poll' || kind === 'results') return d.stores.get(stageId)?.get(target)?.poll.question ?? null;
  if (kind === 'cloud') return d.clouds.get(stageId)?.get(target)?.cloud.prompt ?? null;
  if (kind === 'question') return d.posts.get(stageId)?.get(target)?.text ?? null;
  return null;
}

/** A stage's presentation changed (joined, push): the open panel marks it; the live region says it when it is a change. */
function applyPresentation(stageId: string, presentation: Presentation, announce: boolean): void {
  const d = dashboard;
  if (!d || !d.rows.has(stageId)) return;
  d.presentations.set(stageId, presentation);
  if (d.parts?.stageId === stageId) d.parts.present.set(presentation, announce);
}

/** The "present this" group of a poll or cloud card, made once per card; hidden while the item is a draft. */
function presentGroup(key: string, make: (control: PresentControl) => PresentGroup, host: HTMLElement, available: boolean): void {
  const parts = dashboard?.parts;
  if (!parts) return;
  let group = parts.presentGroups.get(key);
  if (!group) {
    group = make(parts.present);
    parts.presentGroups.set(key, group);
  }
  // Under the card's own buttons, so the card's keyboard order reads: state, visibility, present.
  const controls = host.querySelector('.poll-controls');
  if (group.el.parentElement !== host) (controls ?? host.firstElementChild)?.after(group.el);
  group.setAvailable(available);
}

function forgetPresentGroup(key: string): void {
  const parts = dashboard?.parts;
  const group = parts?.presentGroups.get(key);
  if (!parts || !group) return;
  parts.present.forget(group);
  parts.presentGroups.delete(key);
}

function decorateQuestion(stageId: string, post: Post, slot: HTMLElement): void {
  const parts = dashboard?.parts;
  if (!parts || parts.stageId !== stageId) return;
  const key = `post:${post.id}`;
  let group = parts.presentGroups.get(key);
  if (!group) {
    group = parts.present.group();
    group.add('question', post.id, 'present.showQuestion', `mpost-${post.id}-text`);
    parts.presentGroups.set(key, group);
  }
  if (group.el.parentElement !== slot) slot.replaceChildren(group.el);
  group.setAvailable(post.kind === 'question' && post.state === 'published');
}

function applyPostAnswer(stageId: string, request: Promise<Post>): Promise<Post> {
  return request.then((post) => {
    pendingCue.observe(stageId, post, post);
    if (dashboard?.posts.get(stageId)?.applyPost(post)) syncPosts(stageId);
    return post;
  }, authFailure);
}

function applyCloudAnswer(stageId: string, request: Promise<CloudWithResults>): Promise<CloudWithResults> {
  return request.then((answer) => {
    dashboard?.clouds.get(stageId)?.applyCloud(answer.cloud, answer.results);
    syncClouds(stageId);
    return answer;
  }, authFailure);
}

function syncClouds(stageId: string): void {
  const parts = dashboard?.parts;
  if (!parts || parts.stageId !== stageId) return;
  // Newest first; the order never changes afterwards.
  const entries = dashboard!.clouds.get(stageId)!.list().reverse();
  const ids = new Set(entries.map((e) => e.cloud.id));
  for (const [id, card] of parts.cloudCards) {
    if (!ids.has(id)) {
      card.el.remove();
      parts.cloudCards.delete(id);
      forgetPresentGroup(`cloud:${id}`);
    }
  }
  entries.forEach((entry, index) => {
    let card = parts.cloudCards.get(entry.cloud.id);
    if (card) card.update(entry);
    else {
      card = new ModeratorCloudCard(entry, {
        command: (cloud: WordCloud, command: CloudCommand) => applyCloudAnswer(stageId, api.cloudCommand(stageId, cloud.id, command)),
        hideWord: (cloud: WordCloud, key: string, hidden: boolean) => applyCloudAnswer(stageId, api.hideWord(stageId, cloud.id, key, hidden)),
        merge: (cloud: WordCloud, from: string, into: string) => applyCloudAnswer(stageId, api.mergeWords(stageId, cloud.id, from, into)),
        announce: (text: string) => chrome.announcer.say(text),
      });
      parts.cloudCards.set(entry.cloud.id, card);
    }
    const cloudId = entry.cloud.id;
    presentGroup(
      `cloud:${cloudId}`,
      (control) => {
        const group = control.group();
        group.add('cloud', cloudId, 'present.showCloud', `mcloud-${cloudId}-q`);
        return group;
      },
      card.el,
      entry.cloud.state !== 'draft',
    );
    if (parts.cloudList.children[index] !== card.el) parts.cloudList.insertBefore(card.el, parts.cloudList.children[index] ?? null);
  });
  parts.cloudEmpty.hidden = entries.length > 0;
}

function syncPosts(stageId: string): void {
  const d = dashboard;
  if (!d) return;
  const all = d.posts.get(stageId)?.all() ?? [];
  const pendingCount = all.filter((p) => p.state === 'pending').length;
  const row = d.rows.get(stageId);
  if (row) {
    setPlainText(row.pending, i18n().number(pendingCount));
    row.pending.classList.toggle('has-pending', pendingCount > 0);
  }
  const parts = d.parts;
  if (!parts || parts.stageId !== stageId) return;
  parts.questions.sync();
  parts.comments.sync();
  parts.answers.sync();
  const q = queueCounts(all.filter((p) => p.kind === 'question'));
  const c = queueCounts(all.filter((p) => p.kind !== 'question' && p.kind !== 'answer'));
  setText(parts.questionsJump, 'moderator.jumpQuestions', { count: q.pending });
  setText(parts.commentsJump, 'moderator.jumpComments', { count: c.pending });
}

/** Reaction numbers are drawn at most about once a second: they are for reading, not for watching. */
function scheduleReactions(stageId: string): void {
  const parts = dashboard?.parts;
  if (!parts || parts.stageId !== stageId || parts.reactionSoon) return;
  parts.reactionSoon = true;
  setTimeout(
    () => {
      parts.reactionSoon = false;
      if (dashboard?.parts === parts) renderReactions(stageId);
    },
    Math.max(0, lastReactionRender + 1000 - Date.now()),
  );
}

function renderReactions(stageId: string): void {
  const d = dashboard;
  const parts = d?.parts;
  if (!d || !parts || parts.stageId !== stageId) return;
  lastReactionRender = Date.now();
  const r = d.reactions.get(stageId)!;
  parts.reactions.update(r.set, r.counts.totals, r.activity.recent());
  // "Last minute" falls without pushes too: look again in a while.
  clearTimeout(parts.reactionTimer);
  parts.reactionTimer = setTimeout(() => renderReactions(stageId), 5000);
}

function applyStage(stage: Stage): void {
  const d = dashboard;
  if (!d) return;
  const index = d.event.stages.findIndex((s) => s.id === stage.id);
  if (index >= 0) d.event.stages[index] = { ...d.event.stages[index], ...stage };
  if (d.parts?.stageId === stage.id) d.parts.settings.set(stage.settings);
}

function syncCards(stageId: string): void {
  const d = dashboard;
  if (!d || stageId !== d.activeStageId || !d.cardList) return;
  const store = d.stores.get(stageId)!;
  // Newest first; the order never changes afterwards, so nothing jumps under the pointer.
  const entries = store.list().reverse();
  const ids = new Set(entries.map((e) => e.poll.id));
  for (const [id, card] of d.cards) {
    if (!ids.has(id)) {
      card.el.remove();
      d.cards.delete(id);
      forgetPresentGroup(`poll:${id}`);
    }
  }
  entries.forEach((entry, index) => {
    let card = d.cards.get(entry.poll.id);
    if (card) card.update(entry);
    else {
      card = new ModeratorPollCard(entry, {
        command: (poll, command, seconds) => runCommand(poll, command, seconds),
        timer: (poll, body) => applied(poll, api.pollTimer(poll.stageId, poll.id, body)),
      }, 'h4');
      d.cards.set(entry.poll.id, card);
    }
    const pollId = entry.poll.id;
    presentGroup(
      `poll:${pollId}`,
      (control) => {
        const group = control.group();
        group.add('poll', pollId, 'present.showPoll', `mpoll-${pollId}-q`);
        group.add('results', pollId, 'present.showResults', `mpoll-${pollId}-q`);
        return group;
      },
      card.el,
      entry.poll.state !== 'draft',
    );
    if (d.cardList!.children[index] !== card.el) d.cardList!.insertBefore(card.el, d.cardList!.children[index] ?? null);
  });
  d.emptyNote!.hidden = entries.length > 0;
}

function runCommand(poll: Poll, command: PollCommand, seconds?: number) {
  return applied(poll, api.pollCommand(poll.stageId, poll.id, command, seconds ? { seconds } : undefined));
}

/** A poll change the server answered: show it at once (the push follows). */
function applied(poll: Poll, request: Promise<PollWithResults>) {
  return request.then((answer) => {
    dashboard?.stores.get(poll.stageId)?.applyPoll(answer.poll, answer.results);
    syncCards(poll.stageId);
    updateRunning(poll.stageId);
    return answer;
  }, authFailure);
}

function authFailure(error: unknown): never {
  if (error instanceof ApiError && error.status === 401) signOut('login.error.invalid');
  else if (error instanceof ApiError && error.status === 403) showForbidden();
  throw error;
}

/** A moderator token was refused for an organiser-only action: say so plainly, above the dashboard. */
const forbiddenNotice = h(
  'div',
  { class: 'banner banner-warning forbidden-notice', role: 'alert' },
  h('p', { i18n: 'moderator.forbidden' }),
  h('button', { type: 'button', class: 'button button-small button-secondary', i18n: 'moderator.forbiddenDismiss', on: { click: () => forbiddenNotice.remove() } }),
);

function showForbidden(): void {
  // Re-inserted, so that screen readers announce it again for a second refusal.
  forbiddenNotice.remove();
  chrome.banners.append(forbiddenNotice);
}

function applyTalks(stageId: string, talks: Talk[]): void {
  const d = dashboard;
  if (!d || !d.rows.has(stageId)) return;
  d.talks.set(stageId, talks);
  if (d.parts?.stageId === stageId) d.parts.programme.update(talks);
  if (d.parts?.stageId === stageId) d.parts.surveys.update(talks);
}

// ---- live updates ----

function connect(event: PlenumEvent): void {
  connection?.close();
  const conn = new PlenumConnection({ url: webSocketUrl(location) });
  connection = conn;
  conn.setNetwork(navigator.onLine !== false);
  chrome.banners.replaceChildren(new ConnectionBanner(conn).el, pendingCue.el);
  conn.on('joined', (joined) => onJoined(joined));
  conn.on('poll', ({ stageId, poll, results }) => {
    const store = dashboard?.stores.get(stageId);
    if (!store) return;
    const before = store.get(poll.id)?.poll;
    store.applyPoll(poll, results);
    syncCards(stageId);
    updateRunning(stageId);
    if (stageId === dashboard?.activeStageId && before && before.state !== poll.state) {
      chrome.announcer.say(t(poll.state === 'open' ? 'announce.pollOpened' : 'announce.pollClosed', { question: poll.question }));
    }
  });
  conn.on('results', ({ stageId, results }) => {
    const store = dashboard?.stores.get(stageId);
    if (!store || !store.applyResults(results)) return;
    const entry = store.get(results.pollId)!;
    if (stageId === dashboard?.activeStageId) {
      dashboard.cards.get(results.pollId)?.updateResults(entry);
      if (entry.poll.state === 'open') chrome.announcer.update(results.pollId, resultsSentence(entry.poll, entry.results));
    }
    updateRunning(stageId);
  });
  conn.on('presence', (presence) => updatePresence(presence));
  conn.on('cloud', ({ stageId, cloud, results }) => {
    const clouds = dashboard?.clouds.get(stageId);
    if (!clouds) return;
    const before = clouds.get(cloud.id)?.cloud;
    clouds.applyCloud(cloud, results);
    syncClouds(stageId);
    if (stageId === dashboard?.activeStageId && before && before.state !== cloud.state) {
      chrome.announcer.say(t(cloud.state === 'open' ? 'announce.cloudOpened' : 'mcloud.closedAnnounce', { prompt: cloud.prompt }));
    }
  });
  conn.on('words', ({ stageId, results }) => {
    const clouds = dashboard?.clouds.get(stageId);
    if (!clouds || !clouds.applyResults(results)) return;
    const parts = dashboard?.parts;
    if (parts?.stageId === stageId) parts.cloudCards.get(results.cloudId)?.updateResults(clouds.get(results.cloudId)!);
  });
  conn.on('page', ({ stageId, posts: older }) => {
    const posts = dashboard?.posts.get(stageId);
    if (!posts) return;
    posts.applyPage(older);
    syncPosts(stageId);
  });
  conn.on('post', ({ stageId, post }) => {
    const posts = dashboard?.posts.get(stageId);
    if (!posts) return;
    const before = posts.get(post.id);
    if (!posts.applyPost(post)) return;
    pendingCue.observe(stageId, before, post);
    syncPosts(stageId);
    if (!before && post.state === 'pending') {
      const count = posts.all().filter((p) => p.state === 'pending').length;
      const stageName = dashboard!.event.stages.find((s) => s.id === stageId)?.name ?? '';
      chrome.announcer.update(`pending-${stageId}`, i18n().plural('mposts.announcePending', count, { stage: stageName }));
    }
  });
  conn.on('reactions', (message) => {
    const r = dashboard?.reactions.get(message.stageId);
    if (!r || !r.counts.apply(message)) return;
    r.activity.add(message.recent);
    scheduleReactions(message.stageId);
  });
  conn.on('stage', ({ stage }) => applyStage(stage));
  conn.on('talks', ({ stageId, talks }) => applyTalks(stageId, talks));
  conn.on('presentation', ({ stageId, presentation }) => applyPresentation(stageId, presentation, true));
  conn.on('leaderboard', (board) => leaderboards.apply(board));
  conn.on('removed', (message) => onRemoved(message));
  conn.on('order', (message) => onOrder(message));
  conn.on('stageDeleted', ({ stageId }) => onStageDeleted(stageId));
  conn.on('error', (error) => {
    if (error.code === 'unauthorized') signOut('login.error.invalid');
    else if (error.code === 'forbidden') showForbidden();
  });
  conn.connect();
  for (const stage of event.stages) {
    conn.join({ stageId: stage.id, role: 'moderator', auth: token ?? '' }).catch((error: unknown) => {
      if (error instanceof ActionError && error.code === 'unauthorized') signOut('login.error.invalid');
    });
  }
}

// ---- organiser control (issue 8): a poll or cloud deleted, a new order, a stage deleted ----

function onRemoved(message: RemovedMessage): void {
  const d = dashboard;
  const store = d?.stores.get(message.stageId);
  const clouds = d?.clouds.get(message.stageId);
  if (!d || !store || !clouds) return;
  const gone = applyRemoved(message, store, clouds);
  if (!gone) return;
  if (gone.kind === 'poll') {
    syncCards(message.stageId);
    updateRunning(message.stageId);
  } else syncClouds(message.stageId);
  if (message.stageId === d.activeStageId) chrome.announcer.say(gone.kind === 'poll' ? t('stage.pollRemoved', { question: gone.text }) : t('stage.cloudRemoved', { prompt: gone.text }));
}

function onOrder(message: OrderMessage): void {
  const store = dashboard?.stores.get(message.stageId);
  const clouds = dashboard?.clouds.get(message.stageId);
  if (!store || !clouds) return;
  applyOrder(message, store, clouds);
  syncCards(message.stageId);
  syncClouds(message.stageId);
}

let reopening = false;

/** A stage of the event was deleted: the dashboard is opened again from the event as it is now. */
function onStageDeleted(stageId: string | null): void {
  const d = dashboard;
  if (!d || reopening) return;
  const text = t('stage.deletedModerator', { stage: d.event.stages.find((s) => s.id === stageId)?.name ?? '' });
  reopening = true;
  void openDashboard(d.event.id).finally(() => {
    reopening = false;
    chrome.main.querySelector('.wrap')?.prepend(h('p', { class: 'notice stage-deleted-notice', role: 'status', text }));
  });
}

let lastReactionRender = 0;

function onJoined(joined: JoinedMessage): void {
  noteServerTime(joined.serverTime);
  const d = dashboard;
  const store = d?.stores.get(joined.stage.id);
  if (!d || !store) return;
  const stageId = joined.stage.id;
  if (joined.leaderboard) leaderboards.apply({ ...joined.leaderboard, stageId });
  store.applySnapshot(joined.polls);
  d.clouds.get(stageId)?.applySnapshot(joined.clouds ?? []);
  const posts = d.posts.get(stageId);
  // A rejoin after a reconnect: posts that arrived waiting while the dashboard was offline are new too.
  const known = joinedStages.has(stageId) && posts ? new Map(posts.all().map((p) => [p.id, p])) : null;
  posts?.applySnapshot(joined.posts ?? []);
  if (known) for (const post of joined.posts ?? []) pendingCue.observe(stageId, known.get(post.id), post);
  joinedStages.add(stageId);
  const r = d.reactions.get(stageId)!;
  if (joined.reactions) r.counts.apply(joined.reactions);
  r.set = joined.reactionSet ?? DEFAULT_REACTIONS;
  applyStage(joined.stage);
  if (joined.talks) applyTalks(stageId, joined.talks);
  else api.listTalks(stageId).then((talks) => applyTalks(stageId, talks), () => undefined);
  if (joined.presence) updatePresence(joined.presence);
  applyPresentation(stageId, joined.presentation ?? AUTO_PRESENTATION, known !== null);
  syncCards(stageId);
  syncClouds(stageId);
  syncPosts(stageId);
  renderReactions(stageId);
  updateRunning(stageId);
}

function updatePresence(presence: Presence): void {
  const row = dashboard?.rows.get(presence.stageId);
  if (!row) return;
  dashboard!.presence.set(presence.stageId, presence);
  const tr = i18n();
  setPlainText(row.viewers, tr.number(presence.viewers));
  setPlainText(row.moderators, tr.number(presence.moderators));
  setPlainText(row.presenters, tr.number(presence.presenters));
}

function updateRunning(stageId: string): void {
  const d = dashboard;
  const row = d?.rows.get(stageId);
  if (!d || !row) return;
  const open = d.stores
    .get(stageId)!
    .list()
    .filter((e: PollEntry) => e.poll.state === 'open');
  if (open.length === 0) {
    setPlainText(row.running, '–');
    return;
  }
  const tr = i18n();
  const first = open[open.length - 1];
  const votes = tr.plural('results.voters', first.results?.voters ?? 0);
  const more = open.length > 1 ? ` ${tr.t('moderator.moreOpen', { count: open.length - 1 })}` : '';
  setPlainText(row.running, `${first.poll.question} (${votes})${more}`);
}

onLanguageChange(() => {
  const d = dashboard;
  if (!d) return;
  for (const card of d.cards.values()) card.refresh();
  if (d.parts) {
    for (const card of d.parts.cloudCards.values()) card.refresh();
    d.parts.questions.refresh();
    d.parts.comments.refresh();
    d.parts.answers.refresh();
    d.parts.reactions.refresh();
    d.parts.programme.refresh();
    d.parts.present.refresh();
  }
  for (const id of d.rows.keys()) syncPosts(id);
  for (const presence of d.presence.values()) updatePresence(presence);
  for (const id of d.rows.keys()) updateRunning(id);
});
