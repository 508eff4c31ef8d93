import '../styles/base.css';
import { noteServerTime } from '../ui/countdown';
import '../styles/viewer.css';
import { ApiError, PlenumApi } from '../lib/api';
import { ActionError, followBrowserNetwork, PlenumConnection, webSocketUrl } from '../lib/connection';
import { i18n, onLanguageChange, t, type MessageKey } from '../lib/i18n';
import { canChangeStage, joinSource, normaliseJoinCode, pageLinks, viewerRoute } from '../lib/links';
import { MyVotes, type MyVote } from '../lib/my-votes';
import { MyWords, StageClouds, type CloudEntry } from '../lib/cloud-store';
import { compareTime, StagePolls, type PollEntry } from '../lib/poll-store';
import { StagePosts } from '../lib/post-store';
import { DEFAULT_SETTINGS, type JoinedMessage, type PlenumEvent, type Stage, type JoinRequest, type Poll, type PollResults, type Post, type StageSettings } from '../lib/protocol';
import { DEFAULT_REACTIONS, ReactionCounts } from '../lib/reactions';
import { applyOrder, applyRemoved } from '../lib/stage-lifecycle';
import { safeStorage } from '../lib/storage';
import { CurrentTalkLine } from '../ui/programme';
import { initLanguage, mountChrome } from '../ui/chrome';
import { ConnectionBanner } from '../ui/connection-banner';
import { h, setPlainText, setText } from '../ui/dom';
import { ReactionBar, reactionName } from '../ui/reaction-bar';
import { resultsSentence } from '../ui/results';
import { ViewerCloudCard } from '../ui/viewer-cloud';
import { ViewerPollCard } from '../ui/viewer-poll';
import { ViewerTextPollCard } from '../ui/viewer-answers';
import { PostForm, ViewerPostList } from '../ui/viewer-posts';
import { TabSet } from '../ui/viewer-tabs';
import { renderStageDeleted } from '../ui/stage-gone';
import { needsPasscode, passcodeForm, RememberedPasscode, type PasscodeProblem } from '../ui/passcode-form';
import { FeedbackArea } from '../ui/viewer-survey';
import { currentTalk } from '../lib/talks';
import { ViewerQuizCorner } from '../ui/viewer-quiz';
import type { StandingReply } from '../lib/quiz';

const PARTICIPANT_TOKEN_KEY = 'plenum.participantToken';

initLanguage();
const chrome = mountChrome({ pageName: 'page.viewer', bodyClass: 'page-viewer', announceIntervalMs: 15_000 });
const local = safeStorage('local');
const api = new PlenumApi(location.href);
// A closed event's passcode, kept for this tab only and sent with every join and read (issue 12).
const passcode = new RememberedPasscode(safeStorage('session'));
api.passcode = () => passcode.get();
/** The join the page last sent: a rejoin refused for its passcode asks again and repeats it. */
let lastJoin: JoinRequest | null = null;
// The feedback survey of the current talk (issue 12), shown above the comments.
const feedback = new FeedbackArea(
  (stageId, talkId) => api.getSurvey(stageId, talkId).then((r) => r.survey, () => null),
  (talkId, answers) => connection.send({ type: 'survey', talkId, answers }).result,
  (talks) => currentTalk(talks as never),
);
setInterval(() => feedback.refresh(), 60_000);
// The viewer's quiz name, opt-out and own result (issue 12), above the polls once a quiz is there.
const quizCorner = new ViewerQuizCorner({
  standing: () => connection.send({ type: 'standing' }).result as unknown as Promise<StandingReply>,
  nickname: (action) => connection.send({ type: 'nickname', ...action }).result,
});
const links = pageLinks(location.href);
const connection = new PlenumConnection({
  url: webSocketUrl(location),
  // The participant token survives reloads: the same person keeps one vote per poll.
  tokenStore: { get: () => local.get(PARTICIPANT_TOKEN_KEY), set: (token) => local.set(PARTICIPANT_TOKEN_KEY, token) },
});
chrome.banners.append(new ConnectionBanner(connection).el);
// The tab list sticks just below the banner area, whose height changes with the banner; what
// scrolls into view (a focused field) stops below both, not hidden under them (WCAG 2.4.11).
const stickyObserver = typeof ResizeObserver === 'function' ? new ResizeObserver(() => updateStickyHeights()) : null;
stickyObserver?.observe(chrome.banners);

function updateStickyHeights(): void {
  const banners = chrome.banners.offsetHeight;
  document.body.style.setProperty('--banners-height', `${banners}px`);
  const tabs = stageView?.tabs.tablist.isConnected ? stageView.tabs.tablist.offsetHeight : 0;
  document.documentElement.style.scrollPaddingTop = `${banners + tabs + 8}px`;
}
const myVotes = new MyVotes(local);
const store = new StagePolls();
const cards = new Map<string, ViewerPollCard | ViewerTextPollCard>();
const myWords = new MyWords(local);
const clouds = new StageClouds();
const cloudCards = new Map<string, ViewerCloudCard>();
const posts = new StagePosts('viewer');
const reactionCounts = new ReactionCounts();
let settings: StageSettings = DEFAULT_SETTINGS;
let stageView: StageView | null = null;
/** False until the first snapshot of a stage is drawn: what is open then is not "new". */
let renderedOnce = false;
/** Polls and clouds that opened while the page was open: their cards are highlighted once drawn. */
const freshIds = new Set<string>();

followBrowserNetwork(connection);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) connection.reconnectNow();
});

start();
// Back from a stage to the code form (or forward again): the address says what to show.
window.addEventListener('popstate', () => location.reload());

function start(): void {
  const route = viewerRoute(location.search);
  switch (route.kind) {
    case 'stage':
      enter({ stageId: route.stageId });
      break;
    case 'code':
      enter({ code: route.code });
      break;
    case 'badCode':
      showJoinForm(route.raw, 'join.error.format');
      break;
    case 'event':
      showEventPicker(route.eventId);
      break;
    default:
      showJoinForm('', null);
  }
}

// ---- picking a stage of an event ----

function showEventPicker(eventId: string): void {
  chrome.setTitle(null);
  chrome.main.replaceChildren(h('div', { class: 'wrap narrow' }, h('h1', { i18n: 'pick.loading' })));
  chrome.main.setAttribute('aria-busy', 'true');
  api.getEvent(eventId).then(
    (event) => {
      chrome.main.removeAttribute('aria-busy');
      renderPicker(event);
    },
    (error: unknown) => {
      chrome.main.removeAttribute('aria-busy');
      if (error instanceof ApiError && needsPasscode(error.code)) {
        askPasscode(error.code, () => showEventPicker(eventId));
        return;
      }
      const unknown = error instanceof ApiError && error.status === 404;
      if (unknown) {
        // Nothing to come back to: a reload shows the code form.
        const url = new URL(location.href);
        url.search = '';
        history.replaceState(null, '', url.toString());
      }
      showJoinForm('', null, unknown ? 'pick.error.unknown' : 'pick.error.failed');
    },
  );
}

function renderPicker(event: PlenumEvent): void {
  chrome.setTitle(event.name);
  const stages = event.stages ?? [];
  const choice = (stage: Stage) =>
    h(
      'li',
      {},
      h(
        'a',
        { class: 'stage-pick', href: links.viewerByStage(stage.id), 'data-stage-id': stage.id, on: { click: (e) => pickStage(e, stage) } },
        h('span', { class: 'stage-pick-name', text: stage.name }),
        h('span', { class: 'stage-pick-code', i18n: 'pick.code', i18nParams: { code: stage.code } }),
      ),
    );
  chrome.main.replaceChildren(
    h(
      'div',
      { class: 'wrap narrow' },
      h('h1', { text: event.name }),
      stages.length
        ? h(
            'section',
            { 'aria-labelledby': 'pick-stages-h' },
            h('h2', { id: 'pick-stages-h', class: 'sr-only', i18n: 'pick.stages' }),
            h('p', { class: 'lead', i18n: 'pick.intro' }),
            h('ul', { class: 'stage-picks' }, ...stages.map(choice)),
          )
        : h('p', { class: 'lead', i18n: 'pick.none' }),
      h('p', {}, h('a', { href: links.home(), i18n: 'pick.orCode' })),
      h('p', { class: 'privacy-note', i18n: 'join.privacy' }),
    ),
  );
}

/** Same flow as a typed code: the address names the stage (a reload stays there), then join. */
function pickStage(e: MouseEvent, stage: Stage): void {
  // A new tab or window (middle click, Ctrl/Cmd/Shift click) follows the plain link.
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  history.pushState(null, '', links.viewerByStage(stage.id));
  enter({ stageId: stage.id });
}

// ---- joining ----

function showJoinForm(prefill: string, error: 'join.error.format' | 'join.error.unknown' | 'join.error.failed' | null, notice: MessageKey | null = null): void {
  chrome.setTitle(null);
  const errorId = 'join-code-error';
  const noticeId = 'join-notice';
  const input = h('input', {
    id: 'join-code',
    name: 'code',
    class: 'input input-code',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    maxlength: '12',
    value: prefill,
    'aria-describedby': notice ? `${noticeId} join-code-hint ${errorId}` : `join-code-hint ${errorId}`,
  });
  const errorText = h('p', { id: errorId, class: 'field-error', hidden: true });
  const setError = (key: typeof error) => {
    if (key) {
      setText(errorText, key);
      errorText.hidden = false;
      input.setAttribute('aria-invalid', 'true');
    } else {
      errorText.hidden = true;
      errorText.textContent = '';
      input.removeAttribute('aria-invalid');
    }
  };
  const form = h(
    'form',
    {
      class: 'card join-form',
      novalidate: true,
      on: {
        submit: (e) => {
          e.preventDefault();
          const code = normaliseJoinCode(input.value);
          if (!code) {
            setError('join.error.format');
            input.focus();
            return;
          }
          const url = new URL(location.href);
          url.search = '';
          url.searchParams.set('code', code);
          history.pushState(null, '', url.toString());
          enter({ code });
        },
      },
    },
    h('label', { htmlFor: 'join-code', class: 'label', i18n: 'join.codeLabel' }),
    h('p', { id: 'join-code-hint', class: 'hint', i18n: 'join.codeHint' }),
    input,
    errorText,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', i18n: 'join.submit' })),
  );
  chrome.main.replaceChildren(
    h(
      'div',
      { class: 'wrap narrow' },
      h('h1', { i18n: 'join.heading' }),
      notice ? h('p', { id: noticeId, class: 'form-error join-notice', role: 'alert', i18n: notice }) : null,
      h('p', { class: 'lead', i18n: 'join.intro' }),
      form,
      h('p', { class: 'privacy-note', i18n: 'join.privacy' }),
    ),
  );
  setError(error);
  if (error || notice) input.focus();
}

function enter(request: JoinRequest): void {
  chrome.main.replaceChildren(h('div', { class: 'wrap narrow' }, h('h1', { i18n: 'viewer.loading' }), h('p', { class: 'lead', i18n: 'viewer.connecting' })));
  chrome.main.setAttribute('aria-busy', 'true');
  connection.connect();
  const source = joinSource(location.search);
  const code = passcode.get();
  lastJoin = request;
  connection.join({ ...request, role: 'viewer', ...(source ? { source } : {}), ...(code ? { passcode: code } : {}) }).then(
    (joined) => {
      chrome.main.removeAttribute('aria-busy');
      renderStage(joined);
      feedback.update(joined.stage.id, joined.talks ?? []);
    },
    (error: unknown) => {
      chrome.main.removeAttribute('aria-busy');
      connection.close();
      if (error instanceof ActionError && needsPasscode(error.code)) {
        askPasscode(error.code, () => enter(request));
        return;
      }
      const url = new URL(location.href);
      url.search = '';
      history.replaceState(null, '', url.toString());
      const unknown = error instanceof ActionError && (error.code === 'unknown_stage' || error.code === 'invalid_field');
      showJoinForm(request.code ?? '', unknown ? 'join.error.unknown' : 'join.error.failed');
    },
  );
}

// ---- a closed event's passcode (issue 12) ----

/**
 * Asks for the passcode: `passcode_required` with nothing remembered is the first time; a wrong
 * one (typed, or remembered from before a change) is forgotten and named. Then `retry`.
 */
function askPasscode(code: string, retry: () => void, problem: PasscodeProblem = null): void {
  const remembered = passcode.get();
  passcode.forget();
  const shown: PasscodeProblem = problem ?? (code === 'wrong_passcode' || remembered ? 'passcode.error.wrong' : null);
  stageView = null;
  chrome.setTitle(null);
  chrome.main.replaceChildren(
    passcodeForm(shown, (value) => {
      passcode.set(value);
      retry();
    }, links.home()),
  );
}

// A rejoin after a reconnect refused for its passcode (the organiser changed it): ask for the new one.
connection.on('error', (message) => {
  if (!needsPasscode(message.code) || !lastJoin) return;
  const request = lastJoin;
  connection.close();
  askPasscode(message.code, () => enter(request), 'passcode.changed');
});

// ---- the stage ----

type ViewerTab = 'polls' | 'clouds' | 'questions' | 'comments' | 'reactions';
const VIEWER_TABS: ReadonlyArray<{ id: ViewerTab; label: MessageKey; heading: MessageKey }> = [
  { id: 'polls', label: 'vtabs.polls', heading: 'viewer.polls' },
  { id: 'clouds', label: 'vtabs.clouds', heading: 'viewer.clouds' },
  { id: 'questions', label: 'vtabs.questions', heading: 'viewer.questions' },
  { id: 'comments', label: 'vtabs.comments', heading: 'viewer.comments' },
  { id: 'reactions', label: 'vtabs.reactions', heading: 'viewer.reactions' },
];

interface StageView {
  stageId: string;
  name: HTMLElement;
  tabs: TabSet<ViewerTab>;
  list: HTMLElement;
  empty: HTMLElement;
  cloudList: HTMLElement;
  cloudEmpty: HTMLElement;
  questionForm: PostForm;
  questions: ViewerPostList;
  commentForm: PostForm;
  comments: ViewerPostList;
  reactions: ReactionBar;
  talk: CurrentTalkLine;
}

/**
 * The tab shown first: the one the address names (`#questions`), else the word cloud when a cloud
 * is open and no poll is (that is what the hall is doing), else the polls.
 */
function initialTab(joined: JoinedMessage, tabs: readonly ViewerTab[]): ViewerTab {
  const fromHash = location.hash.slice(1);
  if ((tabs as readonly string[]).includes(fromHash)) return fromHash as ViewerTab;
  const pollOpen = joined.polls.some((p) => p.poll.state === 'open');
  const cloudOpen = (joined.clouds ?? []).some((c) => c.cloud.state === 'open');
  return !pollOpen && cloudOpen ? 'clouds' : 'polls';
}

function renderStage(joined: JoinedMessage): void {
  noteServerTime(joined.serverTime);
  const { stage } = joined;
  chrome.setTitle(stage.name);
  const name = h('h1', { class: 'stage-name', text: stage.name });
  const talk = new CurrentTalkLine('viewer-talk');
  const list = h('div', { class: 'poll-list' });
  const empty = h('p', { class: 'empty-state', i18n: 'viewer.noPolls' });
  const otherStages = h('nav', { class: 'other-stages', 'aria-labelledby': 'other-stages-h', hidden: true });
  const changeStage = h('p', { class: 'change-stage', hidden: true }, h('a', { href: links.viewerByEvent(stage.eventId), i18n: 'viewer.changeStage' }));
  const cloudList = h('div', { class: 'poll-list' });
  const cloudEmpty = h('p', { class: 'empty-state', i18n: 'vtabs.noClouds' });
  const questionForm = new PostForm(['question'], postFormDeps);
  const questions = new ViewerPostList(['question'], posts, postListDeps);
  const commentForm = new PostForm(['comment', 'feedback'], postFormDeps);
  const comments = new ViewerPostList(['comment', 'feedback'], posts, postListDeps);
  const reactions = new ReactionBar('reactions-h', {
    react: (emoji) => connection.send({ type: 'react', emoji }).result,
    sent: (emoji) => chrome.announcer.update('reaction', t('reactions.sent', { name: reactionName(emoji) })),
  });
  const content: Record<ViewerTab, HTMLElement[]> = {
    polls: [quizCorner.el, empty, list],
    clouds: [cloudEmpty, cloudList],
    questions: [questionForm.el, questions.el],
    comments: [feedback.el, commentForm.el, comments.el],
    reactions: [h('p', { class: 'hint', i18n: 'reactions.hint' }), reactions.el],
  };
  const tabs = new TabSet<ViewerTab>(
    VIEWER_TABS.map((spec) => ({
      id: spec.id,
      label: spec.label,
      panel: h('section', { class: 'stage-section' }, h('h2', { id: `${spec.id}-h`, class: 'sr-only', i18n: spec.heading }), ...content[spec.id]),
    })),
    initialTab(joined, VIEWER_TABS.map((s) => s.id)),
    {
      label: 'vtabs.label',
      // The address follows the tab, so a reload (or a shared link) opens the same one.
      selected: (id) => history.replaceState(history.state, '', `${location.pathname}${location.search}#${id}`),
    },
  );
  chrome.main.replaceChildren(
    h(
      'div',
      { class: 'wrap narrow' },
      h('div', { class: 'stage-head' }, name, h('p', { class: 'stage-code' }, h('span', { i18n: 'viewer.code' }), ' ', h('strong', { class: 'code', text: stage.code }))),
      changeStage,
      talk.el,
      tabs.tablist,
      ...tabs.panels,
      otherStages,
    ),
  );
  renderedOnce = false;
  quizCorner.reset();
  stickyObserver?.observe(tabs.tablist);
  stageView = { stageId: stage.id, name, tabs, list, empty, cloudList, cloudEmpty, questionForm, questions, commentForm, comments, reactions, talk };
  applySnapshot(joined);
  loadOtherStages(stage.eventId, stage.id, otherStages, changeStage);
}

window.addEventListener('hashchange', () => {
  const id = location.hash.slice(1);
  if (stageView?.tabs.has(id)) stageView.tabs.select(id);
});

/**
 * Something opened (a poll, a word cloud): say so politely and, when its tab is not the one shown,
 * put a badge on that tab and name the tab in the announcement. The focus never moves.
 */
function cueOpened(tab: ViewerTab, id: string, announcement: string): void {
  if (!stageView) return;
  const cued = stageView.tabs.cue(tab);
  chrome.announcer.say(cued ? `${announcement} ${t('vtabs.inTab', { tab: stageView.tabs.labelOf(tab) })}` : announcement);
  freshIds.add(id);
}

function markFresh(id: string, el: HTMLElement): void {
  if (!freshIds.delete(id)) return;
  el.classList.add('is-new');
  setTimeout(() => el.classList.remove('is-new'), 10_000);
}

function applySnapshot(joined: JoinedMessage): void {
  // A rejoin's snapshot may hold polls or clouds that opened while the page was offline.
  const wasOpen = new Set([...store.list().filter((e) => e.poll.state === 'open').map((e) => e.poll.id), ...clouds.list().filter((e) => e.cloud.state === 'open').map((e) => e.cloud.id)]);
  const rejoin = renderedOnce && stageView?.stageId === joined.stage.id;
  myVotes.setParticipant(joined.participant.id);
  myWords.setParticipant(joined.participant.id);
  store.applySnapshot(joined.polls.filter((p) => p.poll.state !== 'draft'));
  clouds.applySnapshot((joined.clouds ?? []).filter((c) => c.cloud.state !== 'draft'));
  posts.applySnapshot(joined.posts ?? [], joined.upvoted ?? []);
  // Versioned like every push: a snapshot older than a push already applied is dropped.
  if (joined.reactions) reactionCounts.apply(joined.reactions);
  settings = joined.stage.settings ?? DEFAULT_SETTINGS;
  if (stageView) {
    setPlainText(stageView.name, joined.stage.name);
    stageView.reactions.setReactionSet(joined.reactionSet ?? DEFAULT_REACTIONS);
    stageView.talk.update(joined.talks ?? []);
    feedback.update(joined.stage.id, joined.talks ?? []);
    stageView.reactions.setTotals(reactionCounts.totals);
    stageView.questionForm.refresh();
    stageView.commentForm.refresh();
  }
  if (rejoin) {
    for (const p of joined.polls) if (p.poll.state === 'open' && !wasOpen.has(p.poll.id)) cueOpened('polls', p.poll.id, t('announce.pollOpened', { question: p.poll.question }));
    for (const c of joined.clouds ?? []) if (c.cloud.state === 'open' && !wasOpen.has(c.cloud.id)) cueOpened('clouds', c.cloud.id, t('announce.cloudOpened', { prompt: c.cloud.prompt }));
  }
  quizCorner.presentation(joined.presentation?.kind ?? 'auto');
  if (joined.leaderboard) quizCorner.leaderboard({ ...joined.leaderboard, stageId: joined.stage.id });
  syncCards();
  syncClouds();
  syncPosts();
  renderedOnce = true;
}

connection.on('joined', (joined) => {
  // A rejoin after a reconnect: the snapshot may have changed while we were away.
  if (stageView && joined.stage.id === stageView.stageId) applySnapshot(joined);
});

connection.on('page', ({ stageId, posts: older, upvoted }) => {
  if (!stageView || stageId !== stageView.stageId) return;
  posts.applyPage(older, upvoted);
  syncPosts();
});

connection.on('talks', ({ stageId, talks }) => {
  if (stageView && stageId === stageView.stageId) stageView.talk.update(talks);
  if (stageView && stageId === stageView.stageId) feedback.update(stageId, talks);
});

connection.on('poll', ({ stageId, poll, results }) => {
  if (!stageView || stageId !== stageView.stageId || poll.state === 'draft') return;
  const before = store.get(poll.id)?.poll;
  const entry = store.applyPoll(poll, results);
  announcePollChange(before, entry);
  syncCards();
});

connection.on('results', ({ stageId, results }) => {
  if (!stageView || stageId !== stageView.stageId) return;
  if (!store.applyResults(results)) return;
  const entry = store.get(results.pollId)!;
  cards.get(results.pollId)?.updateResults(entry);
  announceResults(entry.poll, store.visibleResults(entry.poll.id));
});

connection.on('cloud', ({ stageId, cloud, results }) => {
  if (!stageView || stageId !== stageView.stageId || cloud.state === 'draft') return;
  const before = clouds.get(cloud.id)?.cloud;
  clouds.applyCloud(cloud, results);
  if (cloud.state === 'open' && before?.state !== 'open') cueOpened('clouds', cloud.id, t('announce.cloudOpened', { prompt: cloud.prompt }));
  else if (cloud.resultsVisible && before && !before.resultsVisible) chrome.announcer.say(t('announce.cloudShown', { prompt: cloud.prompt }));
  syncClouds();
});

connection.on('words', ({ stageId, results }) => {
  if (!stageView || stageId !== stageView.stageId) return;
  if (!clouds.applyResults(results)) return;
  const entry = clouds.get(results.cloudId)!;
  cloudCards.get(results.cloudId)?.updateResults(entry);
  const top = results.words.slice(0, 3).map((w) => w.text);
  if (entry.cloud.resultsVisible && top.length) chrome.announcer.update(`cloud-${entry.cloud.id}`, t('announce.cloudTop', { prompt: entry.cloud.prompt, words: i18n().list(top) }));
});

connection.on('post', ({ stageId, post }) => {
  if (!stageView || stageId !== stageView.stageId) return;
  const before = posts.get(post.id);
  if (!posts.applyPost(post)) return;
  announceOwnPost(before, post);
  syncPosts();
});

connection.on('reactions', (message) => {
  if (!stageView || message.stageId !== stageView.stageId) return;
  if (reactionCounts.apply(message)) stageView.reactions.setTotals(reactionCounts.totals);
});

connection.on('stage', ({ stage }) => {
  if (!stageView || stage.id !== stageView.stageId) return;
  settings = stage.settings ?? DEFAULT_SETTINGS;
  setPlainText(stageView.name, stage.name);
  stageView.questionForm.refresh();
  stageView.commentForm.refresh();
});

// Organiser control (issue 8): a deleted poll or cloud goes, a new order is followed, a reset
// stage comes back as a fresh snapshot (the rejoin's `joined`), a deleted stage says so.
connection.on('removed', (message) => {
  if (!stageView || message.stageId !== stageView.stageId) return;
  const gone = applyRemoved(message, store, clouds);
  if (!gone) return;
  if (gone.kind === 'poll') syncCards();
  else syncClouds();
  chrome.announcer.say(gone.kind === 'poll' ? t('stage.pollRemoved', { question: gone.text }) : t('stage.cloudRemoved', { prompt: gone.text }));
});

connection.on('order', (message) => {
  if (!stageView || message.stageId !== stageView.stageId) return;
  applyOrder(message, store, clouds);
  syncCards();
  syncClouds();
});

connection.on('stageReset', () => {
  // The rehearsal's votes and entries are gone on the server: "you voted" must go as well.
  myVotes.forget(store.list().map((e) => e.poll.id));
  myWords.forget(clouds.list().map((e) => e.cloud.id));
});

connection.on('stageDeleted', () => {
  stageView = null;
  renderStageDeleted(chrome.main, links.home());
});

connection.on('retry', ({ id, retryInMs }) => {
  for (const card of cloudCards.values()) card.retrying(id, retryInMs);
  stageView?.questionForm.retrying(id, retryInMs);
  stageView?.commentForm.retrying(id, retryInMs);
});

connection.on('status', () => {
  for (const card of cards.values()) card.connectionChanged();
  for (const card of cloudCards.values()) card.connectionChanged();
  stageView?.questionForm.connectionChanged();
  stageView?.commentForm.connectionChanged();
});

onLanguageChange(() => {
  for (const card of cards.values()) card.refresh();
  for (const card of cloudCards.values()) card.refresh();
  if (stageView) {
    stageView.questionForm.refresh();
    stageView.commentForm.refresh();
    stageView.questions.refresh();
    stageView.comments.refresh();
    stageView.reactions.refresh();
    stageView.talk.refresh();
  }
});

const cloudDeps = {
  send: (cloud: { id: string }, text: string) => connection.send({ type: 'word', cloudId: cloud.id, text }),
  entries: (cloudId: string) => myWords.entries(cloudId),
  used: (cloudId: string) => myWords.used(cloudId),
  added: (cloudId: string, entry: { key: string; text: string }) => myWords.add(cloudId, entry),
  full: (cloudId: string, max: number) => myWords.markFull(cloudId, max),
  online: () => connection.status === 'online',
};

const postFormDeps = {
  send(kind: Post['kind'], text: string, name: string | undefined) {
    const sent = connection.send({ type: 'post', kind, text, ...(name ? { name } : {}) });
    sent.result.then(
      (ack) => {
        if (ack.postId) {
          posts.markOwn(ack.postId);
          syncPosts();
        }
      },
      () => undefined,
    );
    return sent;
  },
  settings: () => settings,
  online: () => connection.status === 'online',
};

const postListDeps = {
  upvote: (post: Post, up: boolean) => connection.send(up ? { type: 'upvote', postId: post.id } : { type: 'upvote', postId: post.id, up: false }).result,
  remove: (post: Post) => connection.send({ type: 'delete', postId: post.id }).result,
  confirm: (message: string) => window.confirm(message),
};

function syncClouds(): void {
  if (!stageView) return;
  // Open clouds first (newest first), then closed ones.
  const entries = clouds.list().filter((e) => e.cloud.state !== 'draft');
  const time = (e: CloudEntry) => (e.cloud.state === 'open' ? e.cloud.openedAt : e.cloud.closedAt) ?? e.cloud.createdAt;
  entries.sort((a, b) => (a.cloud.state !== b.cloud.state ? (a.cloud.state === 'open' ? -1 : 1) : compareTime(time(b), time(a))));
  const ids = new Set(entries.map((e) => e.cloud.id));
  for (const [id, card] of cloudCards) {
    if (!ids.has(id)) {
      card.el.remove();
      cloudCards.delete(id);
    }
  }
  const active = document.activeElement as HTMLElement | null;
  entries.forEach((entry, index) => {
    let card = cloudCards.get(entry.cloud.id);
    if (card) card.update(entry);
    else {
      card = new ViewerCloudCard(entry, cloudDeps);
      cloudCards.set(entry.cloud.id, card);
    }
    markFresh(entry.cloud.id, card.el);
    const list = stageView!.cloudList;
    if (list.children[index] !== card.el) list.insertBefore(card.el, list.children[index] ?? null);
  });
  if (active && active !== document.activeElement && document.contains(active)) active.focus();
  stageView.cloudEmpty.hidden = entries.length > 0;
}

function syncPosts(): void {
  for (const card of cards.values()) if (card instanceof ViewerTextPollCard) card.syncMine();
  stageView?.questions.sync();
  stageView?.comments.sync();
}

function announceOwnPost(before: Post | undefined, post: Post): void {
  if (!posts.isOwn(post)) return;
  const question = post.kind === 'question';
  if (post.state === 'published' && before?.state === 'pending') chrome.announcer.say(t(question ? 'announce.questionApproved' : 'announce.commentApproved'));
  else if (post.state === 'rejected' && before?.state !== 'rejected') chrome.announcer.say(t(question ? 'announce.questionRejected' : 'announce.commentRejected'));
  else if (post.reply && post.reply !== before?.reply) chrome.announcer.say(t('announce.replied'));
  else if (post.pinned && before && !before.pinned) chrome.announcer.say(t('announce.ownPinned'));
}

// Open-text questions (issue 12): an answer is a post of kind answer; the card lists the viewer's own.
const answerDeps = {
  send(pollId: string, text: string) {
    return connection.send({ type: 'answer', pollId, text }).result.then((ack) => {
      if (ack.postId) posts.markOwn(ack.postId);
      return ack;
    });
  },
  mine: (pollId: string) => posts.all().filter((p) => p.kind === 'answer' && p.pollId === pollId && posts.isOwn(p)),
  settings: () => settings,
  online: () => connection.status === 'online',
};

const voteDeps = {
  send(poll: Poll, vote: MyVote) {
    const { result } = connection.send({ type: 'vote', pollId: poll.id, ...vote });
    return result.then((ack) => {
      myVotes.set(poll.id, vote);
      chrome.announcer.say(t('announce.voteCounted', { question: poll.question }));
      return ack;
    });
  },
  myVote: (pollId: string) => myVotes.get(pollId),
  online: () => connection.status === 'online',
};

/** Open polls first (newest first), then closed ones (most recently closed first). */
function ordered(entries: PollEntry[]): PollEntry[] {
  const time = (e: PollEntry) => (e.poll.state === 'open' ? e.poll.openedAt : e.poll.closedAt) ?? e.poll.createdAt;
  return [...entries].sort((a, b) => {
    if (a.poll.state !== b.poll.state) return a.poll.state === 'open' ? -1 : 1;
    return compareTime(time(b), time(a));
  });
}

function syncCards(): void {
  if (!stageView) return;
  const entries = ordered(store.list().filter((e) => e.poll.state !== 'draft'));
  const ids = new Set(entries.map((e) => e.poll.id));
  for (const [id, card] of cards) {
    if (!ids.has(id)) {
      card.el.remove();
      cards.delete(id);
    }
  }
  const active = document.activeElement as HTMLElement | null;
  entries.forEach((entry, index) => {
    let card = cards.get(entry.poll.id);
    if (card) card.update(entry);
    else {
      card = entry.poll.kind === 'text' ? new ViewerTextPollCard(entry, answerDeps) : new ViewerPollCard(entry, voteDeps);
      cards.set(entry.poll.id, card);
    }
    markFresh(entry.poll.id, card.el);
    const list = stageView!.list;
    if (list.children[index] !== card.el) list.insertBefore(card.el, list.children[index] ?? null);
  });
  // Moving a card in the list takes the focus away from the control inside it: give it back.
  if (active && active !== document.activeElement && document.contains(active)) active.focus();
  stageView.empty.hidden = entries.length > 0;
  quizCorner.sync(entries.map((e) => e.poll));
}

function announcePollChange(before: Poll | undefined, entry: PollEntry): void {
  const { poll } = entry;
  if (poll.state === 'open' && before?.state !== 'open') cueOpened('polls', poll.id, t('announce.pollOpened', { question: poll.question }));
  else if (poll.state === 'closed' && before?.state === 'open') chrome.announcer.say(t('announce.pollClosed', { question: poll.question }));
  else if (poll.resultsVisible && before && !before.resultsVisible) chrome.announcer.say(t('announce.resultsShown', { question: poll.question }));
}

function announceResults(poll: Poll, results: PollResults | null): void {
  if (results) chrome.announcer.update(poll.id, resultsSentence(poll, results));
}

function loadOtherStages(eventId: string, currentId: string, nav: HTMLElement, changeStage: HTMLElement): void {
  api.getEvent(eventId).then(
    (event) => {
      changeStage.hidden = !canChangeStage(event.stages.length);
      const others = event.stages.filter((s) => s.id !== currentId);
      if (others.length === 0) return;
      nav.replaceChildren(
        h('h2', { id: 'other-stages-h', i18n: 'viewer.otherStages' }),
        h('ul', { class: 'link-list' }, ...others.map((s) => h('li', {}, h('a', { href: links.viewerByStage(s.id), text: s.name })))),
      );
      nav.hidden = false;
    },
    () => {
      /* optional: the stage works without the list */
    },
  );
}

// The quiz leaderboard reaches viewers only while it is on the screens (issue 12).
connection.on('presentation', ({ stageId, presentation }) => {
  if (stageView && stageId === stageView.stageId) quizCorner.presentation(presentation.kind);
});
connection.on('leaderboard', (board) => {
  if (stageView && board.stageId === stageView.stageId) quizCorner.leaderboard(board);
});
