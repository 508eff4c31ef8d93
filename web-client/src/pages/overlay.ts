import '../styles/base.css';
import { Countdown } from '../ui/countdown';
import '../styles/overlay.css';
import { currentCloud, type CloudEntry } from '../lib/cloud-store';
import { i18n, onLanguageChange, t, type MessageKey } from '../lib/i18n';
import { displayUrl, pageLinks } from '../lib/links';
import { projectedQuestions } from '../lib/post-store';
import { overlayLook, fitFactor } from '../lib/overlay-layout';
import type { PollEntry } from '../lib/poll-store';
import { overlayFollows, presentedProjection } from '../lib/projection';
import type { Post, ReactionsMessage } from '../lib/protocol';
import { planBursts } from '../lib/reactions';
import { initLanguage } from '../ui/chrome';
import { h, setPlainText, setText } from '../ui/dom';
import { PresenterFeed } from '../ui/presenter-feed';
import { CurrentTalkLine } from '../ui/programme';
import { reactionName } from '../ui/reaction-bar';
import { ResultsView } from '../ui/results';
import { WordCloudView } from '../ui/word-cloud';
import { AnswerWall } from '../ui/answer-wall';

/**
 * Stream overlay for OBS/vMix browser sources (1920×1080, transparent). `?show=` lists what to
 * render, comma-separated: `poll` (the current poll), `cloud` (the current word cloud),
 * `question` (the pinned question), `talk` (the title of the talk running now, from the stage's
 * programme) and `reactions` (bursts of the audience's reactions).
 *
 * "Present this" (issue 12): while a moderator has chosen something other than `automatic`, that
 * choice replaces the `show=` blocks: a poll, its results, a cloud, one question, or the pinned and
 * top questions, or the quiz leaderboard (top 10, top 5 in a lower third); `nothing` leaves the picture empty (reaction bursts still rise). `?layout=`,
 * `?theme=`, `?scale=` place, colour and size the blocks (`lib/overlay-layout.ts`); whatever is
 * shown is shrunk until no block is cut off at the edge of the picture.
 */
const KNOWN_BLOCKS = ['talk', 'poll', 'cloud', 'question', 'reactions'] as const;

initLanguage();
document.body.className = 'page-overlay';
const params = new URLSearchParams(location.search);
const stageId = params.get('stage');
const show = new Set((params.get('show') ?? 'poll').split(',').map((s) => s.trim()));
for (const block of show) {
  if (!(KNOWN_BLOCKS as readonly string[]).includes(block)) console.warn(`overlay: unknown block "${block}" ignored`);
}
const look = overlayLook(location.search);
const links = pageLinks(location.href);
const reducedMotion = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;

const title = h('h1', { class: 'sr-only', text: t('page.overlay') });
// poll
const question = h('h2', { class: 'overlay-question', id: 'overlay-q' });
const hint = h('p', { class: 'overlay-hint' });
const results = new ResultsView({ large: true, labelledBy: 'overlay-q' });
const countdown = new Countdown();
// an open-text question's newest approved answers (issue 12): few, to fit a lower third
const wall = new AnswerWall(3, 'answer-wall-overlay', 'overlay-q');
const pollBlock = h('section', { class: 'overlay-block overlay-poll', 'aria-labelledby': 'overlay-q', hidden: true }, question, countdown.el, results.el, wall.el, hint);
// word cloud
const cloudPrompt = h('h2', { class: 'overlay-question', id: 'overlay-cloud-q' });
const cloudHint = h('p', { class: 'overlay-hint' });
const cloudView = new WordCloudView({ className: 'wordcloud-overlay', list: 'hidden', minSize: 1, maxSize: 3.6, labelledBy: 'overlay-cloud-q' });
const cloudBlock = h('section', { class: 'overlay-block overlay-cloud', 'aria-labelledby': 'overlay-cloud-q', hidden: true }, cloudPrompt, cloudView.el, cloudHint);
// pinned question (or the one question a moderator put on screen)
const pinnedLabel = h('p', { class: 'overlay-label', i18n: 'qa.pinned' });
const pinnedText = h('h2', { class: 'overlay-question overlay-pinned', id: 'overlay-pinned' });
const pinnedMeta = h('p', { class: 'overlay-meta' });
const questionBlock = h('section', { class: 'overlay-block overlay-question-block', 'aria-labelledby': 'overlay-pinned', hidden: true }, pinnedLabel, pinnedText, pinnedMeta);
// the top questions (presented only)
const topList = h('ol', { class: 'overlay-top', 'aria-labelledby': 'overlay-top-h' });
const questionsBlock = h('section', { class: 'overlay-block overlay-questions-block', 'aria-labelledby': 'overlay-top-h', hidden: true }, h('h2', { class: 'overlay-label', id: 'overlay-top-h', i18n: 'overlay.topQuestions' }), topList);
// the quiz leaderboard (presented only, issue 12)
const boardList = h('ol', { class: 'overlay-top overlay-leaderboard', 'aria-labelledby': 'overlay-board-h' });
const noBoard = h('p', { class: 'overlay-hint', i18n: 'quiz.noScores' });
const boardBlock = h('section', { class: 'overlay-block overlay-leaderboard-block', 'aria-labelledby': 'overlay-board-h', hidden: true }, h('h2', { class: 'overlay-label', id: 'overlay-board-h', i18n: 'quiz.leaderboard' }), boardList, noBoard);
// the talk running now (a lower third)
const talkLine = new CurrentTalkLine('overlay-block overlay-talk');
// reactions
const burstLayer = h('div', { class: 'overlay-bursts', 'aria-hidden': 'true' });
const tally = h('ul', { class: 'overlay-tally', hidden: true });
const reactionsBlock = h('section', { class: 'overlay-reactions', 'aria-label': t('viewer.reactions') }, burstLayer, tally);

const stack = h('div', { class: 'overlay-stack' }, show.has('talk') ? talkLine.el : null, questionBlock, questionsBlock, pollBlock, cloudBlock, boardBlock);
stack.style.setProperty('--overlay-scale', String(look.scale));
const main = h('main', { id: 'main', class: `overlay layout-${look.layout} theme-${look.theme}` }, title, stack, show.has('reactions') ? reactionsBlock : null);
document.body.replaceChildren(main);
document.body.classList.add(`theme-${look.theme}`);

if (stageId) {
  const feed = new PresenterFeed(stageId, (change, f) => (change === 'snapshot' || change === 'talks' ? talkLine.update(f.talks) : undefined, render(f)), (code) => console.error(`overlay: cannot join stage ${stageId}: ${code}`));
  if (show.has('reactions')) feed.onReactions = (message) => burst(message, feed.reactionSet);
  onLanguageChange(() => {
    results.refresh();
    cloudView.refresh();
    talkLine.refresh();
    render(feed);
  });
} else {
  console.error('overlay: add ?stage=<stage id> to the address');
}
window.addEventListener('resize', () => scheduleFit());

function render(feed: PresenterFeed): void {
  const stage = feed.stage;
  if (!stage) return;
  setPlainText(title, `${t('page.overlay')}: ${stage.name}`);
  document.title = `${stage.name} – ${t('page.overlay')} – Plenum`;
  const voteAt = () => t('overlay.voteAt', { url: displayUrl(links.home()), code: stage.code });
  const follows = overlayFollows(feed.presentation);
  main.dataset.presenting = follows === 'presented' ? feed.presentation!.kind : follows;
  stack.classList.toggle('is-blank', follows === 'blank');
  for (const block of [pollBlock, cloudBlock, questionBlock, questionsBlock, boardBlock]) block.hidden = true;

  if (follows === 'blocks') {
    if (show.has('poll')) renderPoll(feed.current(), voteAt, false, feed.posts.all());
    if (show.has('cloud')) renderCloud(currentCloud(feed.clouds.list()), voteAt, false);
    if (show.has('question')) renderQuestion(projectedQuestions(feed.posts.all(), 0).pinned, 'qa.pinned');
  } else if (follows === 'presented') {
    const view = presentedProjection(feed.store.list(), feed.clouds.list(), feed.posts.all(), feed.presentation, 'auto', 3);
    if (view.kind === 'poll') renderPoll(view.entry, voteAt, true, feed.posts.all());
    else if (view.kind === 'cloud') renderCloud(view.entry, voteAt, true);
    else if (view.kind === 'question') renderQuestion(view.post, 'overlay.questionLabel');
    else if (view.kind === 'questions') {
      renderQuestion(view.pinned, 'qa.pinned');
      renderTop(view.top);
    } else if (view.kind === 'leaderboard') renderBoard(feed);
  }
  if (pollBlock.hidden) countdown.clear(); // no poll on screen: no countdown ticking for it
  scheduleFit();
}

/** `presented`: a moderator chose it, so it shows even closed with hidden results (the question alone). */
function renderPoll(entry: PollEntry | null, voteAt: () => string, presented: boolean, posts: Post[]): void {
  if (!entry) return;
  const { poll } = entry;
  wall.el.hidden = poll.kind !== 'text';
  if (poll.kind === 'text') wall.update(poll, posts);
  countdown.update(poll);
  // Many options get two columns and a wider block (styles/overlay.css), so they stay readable.
  pollBlock.classList.toggle('has-many-options', (poll.options?.length ?? 0) > 5);
  setPlainText(question, poll.question);
  const visible = poll.kind !== 'text' && poll.resultsVisible && entry.results !== null;
  results.el.hidden = !visible;
  if (visible) results.update(poll, entry.results);
  hint.hidden = poll.state !== 'open';
  if (poll.state === 'open') setPlainText(hint, voteAt());
  // A closed poll whose results are hidden has nothing to show on stream.
  pollBlock.hidden = !presented && poll.state !== 'open' && !visible && poll.kind !== 'text';
}

function renderCloud(entry: CloudEntry | null, voteAt: () => string, presented: boolean): void {
  if (!entry) return;
  setPlainText(cloudPrompt, entry.cloud.prompt);
  const visible = entry.cloud.resultsVisible && entry.results !== null;
  cloudView.el.hidden = !visible;
  if (visible) cloudView.update(entry.results);
  cloudHint.hidden = entry.cloud.state !== 'open';
  if (entry.cloud.state === 'open') setPlainText(cloudHint, voteAt());
  cloudBlock.hidden = !presented && entry.cloud.state !== 'open' && !visible;
}

function renderQuestion(post: Post | null, label: MessageKey): void {
  if (!post) return;
  questionBlock.hidden = false;
  setText(pinnedLabel, label);
  setPlainText(pinnedText, post.text);
  setPlainText(pinnedMeta, `${post.displayName ?? t('post.anonymous')} · ${i18n().plural('mposts.upvotes', post.upvotes)}`);
}

function renderTop(top: Post[]): void {
  questionsBlock.hidden = top.length === 0;
  const tr = i18n();
  topList.replaceChildren(
    ...top.map((post) => h('li', { 'data-post-id': post.id }, h('span', { class: 'overlay-top-text', text: post.text }), ' ', h('span', { class: 'overlay-top-votes', text: tr.plural('mposts.upvotes', post.upvotes) }))),
  );
}

/** The leaderboard the server pushes while it is presented: fewer rows in a lower third, so they stay readable. */
function renderBoard(feed: PresenterFeed): void {
  const entries = (feed.leaderboard?.entries ?? []).slice(0, look.layout === 'lower-third' ? 5 : 10);
  boardBlock.hidden = false;
  noBoard.hidden = entries.length > 0;
  boardList.hidden = entries.length === 0;
  boardList.replaceChildren(
    ...entries.map((e) => h('li', {}, h('span', { class: 'overlay-top-text', text: e.nickname }), ' ', h('span', { class: 'overlay-top-votes', text: t('quiz.points', { points: e.points }) }))),
  );
}

// ---- no block cut off ----

let fitPending = false;

/** After each change (and resize): the largest size, up to the chosen scale, at which every block is whole. */
function scheduleFit(): void {
  if (fitPending || typeof requestAnimationFrame !== 'function') return;
  fitPending = true;
  requestAnimationFrame(() => {
    fitPending = false;
    const unit = innerWidth / 1920;
    const edge = unit * 64;
    // A lower third stays in the lower part of the picture; corners may grow up to the far edge.
    const maxHeight = look.layout === 'lower-third' ? innerHeight * 0.42 : innerHeight - 2 * edge;
    // Measured without the words' size transition (base.css `.is-fitting`), else mid-animation sizes.
    stack.classList.add('is-fitting');
    const factor = fitFactor((f) => {
      stack.style.setProperty('--fit', String(f));
      return stackFits(maxHeight);
    });
    stack.classList.remove('is-fitting');
    stack.dataset.fit = String(factor);
    if (!cloudBlock.hidden) cloudView.refresh();
  });
}

function stackFits(maxHeight: number): boolean {
  const r = stack.getBoundingClientRect();
  if (r.height > maxHeight + 1 || r.top < -0.5 || r.left < -0.5 || r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) return false;
  for (const block of stack.querySelectorAll<HTMLElement>('.overlay-block, .overlay-block *')) {
    // The word cloud fits its words into its own box (WordCloudView), again after this fit.
    // Screen-reader-only text is 1 px wide on purpose.
    if (block.offsetParent === null || block.closest('.wordcloud-words, .sr-only')) continue;
    if (block.scrollWidth > block.clientWidth + 1 || (block.scrollHeight > block.clientHeight + 1 && getComputedStyle(block).overflowY !== 'visible')) return false;
  }
  return true;
}

// ---- reaction bursts ----

const MAX_PARTICLES = 120;
let tallyTimer: ReturnType<typeof setTimeout> | undefined;
const tallyCounts = new Map<string, number>();

/**
 * Each push's `recent` counts become rising emoji, spread over the push's window. With reduced
 * motion nothing moves: a small tally of what arrived lately appears instead and clears itself.
 */
function burst(message: ReactionsMessage, allowed: readonly string[]): void {
  if (reducedMotion?.matches) {
    for (const [emoji, n] of Object.entries(message.recent)) if (allowed.includes(emoji)) tallyCounts.set(emoji, (tallyCounts.get(emoji) ?? 0) + n);
    renderTally();
    clearTimeout(tallyTimer);
    tallyTimer = setTimeout(() => {
      tallyCounts.clear();
      renderTally();
    }, 4000);
    return;
  }
  for (const b of planBursts(message.recent, message.windowMs, allowed)) {
    setTimeout(() => {
      if (burstLayer.childElementCount >= MAX_PARTICLES) return;
      const particle = h('span', { class: 'burst', text: b.emoji });
      particle.style.left = `${(b.x * 80 + 10).toFixed(1)}%`;
      particle.style.setProperty('--drift', b.drift.toFixed(2));
      particle.style.setProperty('--scale', b.scale.toFixed(2));
      particle.addEventListener('animationend', () => particle.remove());
      // Safety net: a particle never outlives its animation by much (e.g. in a hidden tab).
      setTimeout(() => particle.remove(), 4000);
      burstLayer.append(particle);
    }, b.delayMs);
  }
}

function renderTally(): void {
  tally.hidden = tallyCounts.size === 0;
  tally.replaceChildren(
    ...[...tallyCounts].map(([emoji, n]) => h('li', {}, h('span', { class: 'tally-emoji', 'aria-hidden': 'true', text: emoji }), h('span', { class: 'sr-only', text: reactionName(emoji) }), ` ×${i18n().number(n)}`)),
  );
}
