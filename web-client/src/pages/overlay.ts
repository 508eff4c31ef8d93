import '../styles/base.css';
import { Countdown } from '../ui/countdown';
import '../styles/overlay.css';
import { currentCloud } from '../lib/cloud-store';
import { i18n, onLanguageChange, t } from '../lib/i18n';
import { displayUrl, pageLinks } from '../lib/links';
import { projectedQuestions } from '../lib/post-store';
import type { ReactionsMessage } from '../lib/protocol';
import { planBursts } from '../lib/reactions';
import { initLanguage } from '../ui/chrome';
import { h, setPlainText } from '../ui/dom';
import { PresenterFeed } from '../ui/presenter-feed';
import { CurrentTalkLine } from '../ui/programme';
import { reactionName } from '../ui/reaction-bar';
import { ResultsView } from '../ui/results';
import { WordCloudView } from '../ui/word-cloud';

/**
 * Stream overlay for OBS/vMix browser sources (1920×1080, transparent). `?show=` lists what to
 * render, comma-separated: `poll` (the current poll), `cloud` (the current word cloud),
 * `question` (the pinned question), `talk` (the title of the talk running now, from the stage's
 * programme) and `reactions` (bursts of the audience's reactions).
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
const links = pageLinks(location.href);
const reducedMotion = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;

const title = h('h1', { class: 'sr-only', text: t('page.overlay') });
// poll
const question = h('h2', { class: 'overlay-question', id: 'overlay-q' });
const hint = h('p', { class: 'overlay-hint' });
const results = new ResultsView({ large: true, labelledBy: 'overlay-q' });
const countdown = new Countdown();
const pollBlock = h('section', { class: 'overlay-block overlay-poll', 'aria-labelledby': 'overlay-q', hidden: true }, question, countdown.el, results.el, hint);
// word cloud
const cloudPrompt = h('h2', { class: 'overlay-question', id: 'overlay-cloud-q' });
const cloudHint = h('p', { class: 'overlay-hint' });
const cloudView = new WordCloudView({ className: 'wordcloud-overlay', list: 'hidden', minSize: 1, maxSize: 3.6, labelledBy: 'overlay-cloud-q' });
const cloudBlock = h('section', { class: 'overlay-block overlay-cloud', 'aria-labelledby': 'overlay-cloud-q', hidden: true }, cloudPrompt, cloudView.el, cloudHint);
// pinned question
const pinnedLabel = h('p', { class: 'overlay-label', i18n: 'qa.pinned' });
const pinnedText = h('h2', { class: 'overlay-question overlay-pinned', id: 'overlay-pinned' });
const pinnedMeta = h('p', { class: 'overlay-meta' });
const questionBlock = h('section', { class: 'overlay-block overlay-question-block', 'aria-labelledby': 'overlay-pinned', hidden: true }, pinnedLabel, pinnedText, pinnedMeta);
// the talk running now (a lower third)
const talkLine = new CurrentTalkLine('overlay-block overlay-talk');
// reactions
const burstLayer = h('div', { class: 'overlay-bursts', 'aria-hidden': 'true' });
const tally = h('ul', { class: 'overlay-tally', hidden: true });
const reactionsBlock = h('section', { class: 'overlay-reactions', 'aria-label': t('viewer.reactions') }, burstLayer, tally);

const stack = h('div', { class: 'overlay-stack' }, show.has('talk') ? talkLine.el : null, show.has('question') ? questionBlock : null, show.has('poll') ? pollBlock : null, show.has('cloud') ? cloudBlock : null);
const main = h('main', { id: 'main', class: 'overlay' }, title, stack, show.has('reactions') ? reactionsBlock : null);
document.body.replaceChildren(main);

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

function render(feed: PresenterFeed): void {
  const stage = feed.stage;
  if (!stage) return;
  setPlainText(title, `${t('page.overlay')}: ${stage.name}`);
  document.title = `${stage.name} – ${t('page.overlay')} – Plenum`;
  const voteAt = () => t('overlay.voteAt', { url: displayUrl(links.home()), code: stage.code });

  const entry = feed.current();
  if (!entry) {
    pollBlock.hidden = true;
    countdown.clear();
  } else {
    const { poll } = entry;
    countdown.update(poll);
    setPlainText(question, poll.question);
    const visible = poll.resultsVisible && entry.results !== null;
    results.el.hidden = !visible;
    if (visible) results.update(poll, entry.results);
    hint.hidden = poll.state !== 'open';
    if (poll.state === 'open') setPlainText(hint, voteAt());
    // A closed poll whose results are hidden has nothing to show on stream.
    pollBlock.hidden = poll.state !== 'open' && !visible;
  }

  const cloud = currentCloud(feed.clouds.list());
  if (!cloud) {
    cloudBlock.hidden = true;
  } else {
    setPlainText(cloudPrompt, cloud.cloud.prompt);
    const visible = cloud.cloud.resultsVisible && cloud.results !== null;
    cloudView.el.hidden = !visible;
    if (visible) cloudView.update(cloud.results);
    cloudHint.hidden = cloud.cloud.state !== 'open';
    if (cloud.cloud.state === 'open') setPlainText(cloudHint, voteAt());
    cloudBlock.hidden = cloud.cloud.state !== 'open' && !visible;
  }

  const { pinned } = projectedQuestions(feed.posts.all(), 0);
  questionBlock.hidden = !pinned;
  if (pinned) {
    setPlainText(pinnedText, pinned.text);
    setPlainText(pinnedMeta, `${pinned.displayName ?? t('post.anonymous')} · ${i18n().plural('mposts.upvotes', pinned.upvotes)}`);
  }
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
