import '../styles/base.css';
import { Countdown } from '../ui/countdown';
import '../styles/projector.css';
import { Announcer } from '../lib/announcer';
import { i18n, onLanguageChange, t } from '../lib/i18n';
import { displayUrl, pageLinks } from '../lib/links';
import type { PollEntry } from '../lib/poll-store';
import { presentedProjection, projectorMode, type Projection } from '../lib/projection';
import type { Post } from '../lib/protocol';
import type { CloudEntry } from '../lib/cloud-store';
import { initLanguage } from '../ui/chrome';
import { h, setPlainText, setText } from '../ui/dom';
import { PresenterFeed, type FeedChange } from '../ui/presenter-feed';
import { CurrentTalkLine } from '../ui/programme';
import { qrCode } from '../ui/qr-code';
import { ResultsView, resultsSentence } from '../ui/results';
import { WordCloudView } from '../ui/word-cloud';
import { AnswerWall } from '../ui/answer-wall';

initLanguage();
document.body.className = 'page-projector';
const links = pageLinks(location.href);
const params = new URLSearchParams(location.search);
const stageId = params.get('stage');
const mode = projectorMode(params.get('show'));

const stageName = h('h1', { class: 'projector-stage', i18n: 'common.loading' });
// The poll
const question = h('h2', { class: 'projector-question', id: 'projector-q' });
const hint = h('p', { class: 'projector-hint' });
const results = new ResultsView({ large: true, labelledBy: 'projector-q' });
const countdown = new Countdown();
// An open-text question's wall of approved answers (issue 12)
const wall = new AnswerWall(6, 'answer-wall-large', 'projector-q');
wall.el.hidden = true;
const pollArea = h('div', { class: 'projector-view projector-poll-view' }, question, countdown.el, hint, results.el, wall.el);
// The word cloud
const cloudPrompt = h('h2', { class: 'projector-question projector-prompt', id: 'projector-cloud-q' });
const cloudHint = h('p', { class: 'projector-hint' });
const cloudView = new WordCloudView({ className: 'wordcloud-large', list: 'hidden', minSize: 1.3, maxSize: 5.5, labelledBy: 'projector-cloud-q' });
const cloudArea = h('div', { class: 'projector-view projector-cloud-view', hidden: true }, cloudPrompt, cloudView.el, cloudHint);
// Questions
const pinnedLabel = h('p', { class: 'projector-label', i18n: 'qa.pinned' });
const pinnedText = h('h2', { class: 'projector-question projector-pinned', id: 'projector-pinned' });
const pinnedMeta = h('p', { class: 'projector-meta' });
const pinnedBox = h('div', { class: 'projector-pinned-box' }, pinnedLabel, pinnedText, pinnedMeta);
const topHeading = h('h2', { class: 'projector-subheading', id: 'projector-top-h', i18n: 'projector.topQuestions' });
const topList = h('ol', { class: 'projector-top', 'aria-labelledby': 'projector-top-h' });
const noQuestions = h('p', { class: 'projector-hint', i18n: 'projector.noQuestions' });
const questionsArea = h('div', { class: 'projector-view projector-questions-view', hidden: true }, pinnedBox, topHeading, topList, noQuestions);

// the quiz leaderboard (presented only)
const boardHeading = h('h2', { class: 'projector-subheading', id: 'projector-board-h', i18n: 'quiz.leaderboard' });
const boardList = h('ol', { class: 'projector-top projector-leaderboard', 'aria-labelledby': 'projector-board-h' });
const noBoard = h('p', { class: 'projector-hint', i18n: 'quiz.noScores' });
const boardArea = h('div', { class: 'projector-view projector-leaderboard-view', hidden: true }, boardHeading, boardList, noBoard);

const join = h('aside', { class: 'projector-join', 'aria-labelledby': 'join-h' });
const talkLine = new CurrentTalkLine('projector-talk');
const content = h('div', { class: 'projector-poll' }, stageName, talkLine.el, pollArea, cloudArea, questionsArea, boardArea);
const main = h('main', { id: 'main', class: 'projector' }, content, join);
const liveRegion = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
document.body.replaceChildren(main, liveRegion);
const announcer = new Announcer(liveRegion, { minIntervalMs: 15_000 });
results.el.hidden = true;

if (!stageId) {
  setText(stageName, 'presenter.noStage');
} else {
  const feed = new PresenterFeed(stageId, (change, f) => render(change, f), (code) => setText(stageName, code === 'stage_deleted' ? 'stage.deleted' : 'presenter.unknownStage'));
  onLanguageChange(() => {
    results.refresh();
    cloudView.refresh();
    talkLine.refresh();
    render('snapshot', feed);
  });
}

let joinCode: string | null = null;
let shown: string | null = null;

function render(change: FeedChange, feed: PresenterFeed): void {
  const stage = feed.stage;
  if (!stage) return;
  setPlainText(stageName, stage.name);
  delete stageName.dataset.i18n;
  document.title = `${stage.name} – ${t('page.projector')} – Plenum`;
  if (joinCode !== stage.code || change === 'snapshot') renderJoin(stage.code);
  if (change === 'snapshot' || change === 'talks') talkLine.update(feed.talks);
  if (change === 'talks') return;
  // A moderator's choice ("present this") wins; `auto` is the automatic choice with `?show=` as before.
  const view = presentedProjection(feed.store.list(), feed.clouds.list(), feed.posts.all(), feed.presentation, mode);
  pollArea.hidden = view.kind !== 'poll' && view.kind !== 'waiting';
  cloudArea.hidden = view.kind !== 'cloud';
  questionsArea.hidden = view.kind !== 'questions' && view.kind !== 'question';
  boardArea.hidden = view.kind !== 'leaderboard';
  if (view.kind === 'leaderboard') renderLeaderboard(feed);
  // Blank: the stage name only (no join code either), for breaks and for slides without Plenum.
  main.classList.toggle('is-blank', view.kind === 'blank');
  join.hidden = view.kind === 'blank';
  main.dataset.presenting = view.kind;
  const id = viewId(view);
  if (view.kind === 'poll' || view.kind === 'waiting') {
    const entry = view.kind === 'poll' ? view.entry : null;
    renderPoll(entry, feed.posts.all());
    if (entry && change === 'results' && entry.poll.resultsVisible) announcer.update(entry.poll.id, resultsSentence(entry.poll, entry.results));
    if (entry && id !== shown) announcer.say(entry.poll.question);
  } else if (view.kind === 'cloud') {
    renderCloud(view.entry);
    if (id !== shown) announcer.say(view.entry.cloud.prompt);
  } else if (view.kind === 'questions') {
    renderQuestions(view.pinned, view.top);
    if (id !== shown && view.pinned) announcer.say(t('projector.announcePinned', { text: view.pinned.text }));
  } else if (view.kind === 'question') {
    renderQuestion(view.post);
    if (id !== shown) announcer.say(view.post.text);
  }
  shown = id;
}

function viewId(view: Projection): string {
  if (view.kind === 'poll') return `poll:${view.entry.poll.id}`;
  if (view.kind === 'cloud') return `cloud:${view.entry.cloud.id}`;
  if (view.kind === 'questions') return `questions:${view.pinned?.id ?? ''}`;
  if (view.kind === 'question') return `question:${view.post.id}`;
  return view.kind;
}

function renderPoll(entry: PollEntry | null, posts: Post[]): void {
  wall.el.hidden = entry?.poll.kind !== 'text';
  if (!entry) {
    setText(question, 'presenter.waiting');
    setText(hint, 'presenter.joinHint');
    results.el.hidden = true;
    countdown.clear();
    return;
  }
  const { poll } = entry;
  countdown.update(poll);
  setPlainText(question, poll.question);
  delete question.dataset.i18n;
  if (poll.kind === 'text') {
    results.el.hidden = true;
    wall.update(poll, posts);
    setText(hint, poll.state === 'open' ? 'wall.answerNow' : 'answer.closed');
    return;
  }
  const visible = poll.resultsVisible && entry.results !== null;
  if (visible) {
    results.update(poll, entry.results);
    results.el.hidden = false;
  } else {
    results.el.hidden = true;
  }
  if (poll.state === 'open') setText(hint, visible ? 'presenter.voteNowShort' : 'presenter.voteNow');
  else setText(hint, visible ? 'presenter.closed' : 'presenter.closedHidden');
}

function renderCloud(entry: CloudEntry): void {
  const { cloud } = entry;
  setPlainText(cloudPrompt, cloud.prompt);
  const visible = cloud.resultsVisible && entry.results !== null;
  cloudView.el.hidden = !visible;
  if (visible) cloudView.update(entry.results);
  if (cloud.state === 'open') setText(cloudHint, visible ? 'projector.cloudOpen' : 'projector.cloudOpenHidden', { max: cloud.maxEntries });
  else setText(cloudHint, visible ? 'projector.cloudClosed' : 'projector.cloudClosedHidden');
}

/** One question a moderator put on screen, alone, in the pinned question's large type. */
function renderQuestion(post: Post): void {
  setText(pinnedLabel, 'present.questionLabel');
  pinnedBox.hidden = false;
  setPlainText(pinnedText, post.text);
  setPlainText(pinnedMeta, `${post.displayName ?? t('post.anonymous')} · ${i18n().plural('mposts.upvotes', post.upvotes)}`);
  topHeading.hidden = true;
  topList.replaceChildren();
  noQuestions.hidden = true;
}

function renderQuestions(pinned: Post | null, top: Post[]): void {
  const tr = i18n();
  setText(pinnedLabel, 'qa.pinned');
  pinnedBox.hidden = !pinned;
  if (pinned) {
    setPlainText(pinnedText, pinned.text);
    setPlainText(pinnedMeta, `${pinned.displayName ?? t('post.anonymous')} · ${tr.plural('mposts.upvotes', pinned.upvotes)}`);
  }
  topHeading.hidden = top.length === 0;
  topList.replaceChildren(
    ...top.map((post) =>
      h(
        'li',
        { 'data-post-id': post.id },
        h('span', { class: 'projector-top-text', text: post.text }),
        ' ',
        h('span', { class: 'projector-top-votes', text: tr.plural('mposts.upvotes', post.upvotes) }),
      ),
    ),
  );
  noQuestions.hidden = Boolean(pinned) || top.length > 0;
}

function renderLeaderboard(feed: PresenterFeed): void {
  const entries = feed.leaderboard?.entries ?? [];
  boardList.replaceChildren(
    ...entries.map((e) =>
      h('li', {}, h('span', { class: 'projector-top-text', text: e.nickname }), ' ', h('span', { class: 'projector-top-votes', text: t('quiz.points', { points: e.points }) })),
    ),
  );
  noBoard.hidden = entries.length > 0;
}

function renderJoin(code: string): void {
  joinCode = code;
  const url = links.viewer(code, 'hall'); // the hall's QR code: joins by it count as "hall"
  join.replaceChildren(
    h('h2', { id: 'join-h', class: 'join-heading', i18n: 'presenter.join' }),
    qrCode(url, 'qr qr-large'),
    h('p', { class: 'join-url', text: displayUrl(links.home()) }),
    h('p', { class: 'join-code' }, h('span', { class: 'join-code-label', i18n: 'viewer.code' }), ' ', h('strong', { class: 'code', text: code })),
  );
}
