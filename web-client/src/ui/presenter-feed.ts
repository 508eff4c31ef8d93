import { StageClouds } from '../lib/cloud-store';
import { ORGANISER_TOKEN_KEY } from '../lib/auth';
import { safeStorage } from '../lib/storage';
import { PASSCODE_KEY } from './passcode-form';
import { noteServerTime } from './countdown';
import { ActionError, PlenumConnection, webSocketUrl } from '../lib/connection';
import { currentPoll, StagePolls, type PollEntry } from '../lib/poll-store';
import { StagePosts } from '../lib/post-store';
import type { Leaderboard, Presentation, ReactionsMessage, Stage } from '../lib/protocol';
import { DEFAULT_REACTIONS, ReactionCounts } from '../lib/reactions';
import { applyOrder, applyRemoved } from '../lib/stage-lifecycle';
import type { Talk } from '../lib/talks';

export type FeedChange = 'snapshot' | 'poll' | 'results' | 'cloud' | 'words' | 'post' | 'stage' | 'talks' | 'presentation';

/**
 * What the projector and the overlay show, kept up to date: joins a stage read-only (role
 * `presenter`), keeps its polls, word clouds and published posts with their versions, and the
 * reaction totals; `onReactions` gets every reactions push (for bursts). A deleted poll or cloud
 * leaves the screen; a reset stage comes back as a fresh snapshot; a deleted stage empties the
 * stores and calls `onFatal('stage_deleted')`.
 */
export class PresenterFeed {
  readonly connection: PlenumConnection;
  readonly store = new StagePolls();
  readonly clouds = new StageClouds();
  readonly posts = new StagePosts('presenter');
  readonly reactions = new ReactionCounts();
  reactionSet: string[] = DEFAULT_REACTIONS;
  stage: Stage | null = null;
  /** The stage's programme (empty from servers without talks). */
  talks: Talk[] = [];
  onReactions: ((message: ReactionsMessage) => void) | null = null;
  /** What a moderator chose to show ("present this"); null from servers without it (= `auto`). */
  presentation: Presentation | null = null;
  /** The quiz leaderboard, while it is on screen (the server sends it only then). */
  leaderboard: Leaderboard | null = null;

  constructor(
    stageId: string,
    private readonly onChange: (change: FeedChange, feed: PresenterFeed) => void,
    onFatal: (code: string) => void,
  ) {
    this.connection = new PlenumConnection({ url: webSocketUrl(location) });
    this.connection.on('joined', (joined) => {
      noteServerTime(joined.serverTime);
      this.stage = joined.stage;
      this.store.applySnapshot(joined.polls.filter((p) => p.poll.state !== 'draft'));
      this.clouds.applySnapshot((joined.clouds ?? []).filter((c) => c.cloud.state !== 'draft'));
      this.posts.applySnapshot(joined.posts ?? []);
      if (joined.reactions) this.reactions.apply(joined.reactions);
      this.reactionSet = joined.reactionSet ?? DEFAULT_REACTIONS;
      this.talks = joined.talks ?? [];
      this.presentation = joined.presentation ?? null;
      this.leaderboard = joined.leaderboard ?? null;
      this.onChange('snapshot', this);
    });
    this.connection.on('page', ({ stageId: id, posts }) => {
      if (id !== this.stage?.id) return;
      this.posts.applyPage(posts);
      this.onChange('post', this);
    });
    this.connection.on('poll', ({ stageId: id, poll, results }) => {
      if (id !== this.stage?.id || poll.state === 'draft') return;
      this.store.applyPoll(poll, results);
      this.onChange('poll', this);
    });
    this.connection.on('results', ({ stageId: id, results }) => {
      if (id !== this.stage?.id || !this.store.applyResults(results)) return;
      if (results.pollId === this.current()?.poll.id) this.onChange('results', this);
    });
    this.connection.on('cloud', ({ stageId: id, cloud, results }) => {
      if (id !== this.stage?.id || cloud.state === 'draft') return;
      this.clouds.applyCloud(cloud, results);
      this.onChange('cloud', this);
    });
    this.connection.on('words', ({ stageId: id, results }) => {
      if (id !== this.stage?.id || !this.clouds.applyResults(results)) return;
      this.onChange('words', this);
    });
    this.connection.on('post', ({ stageId: id, post }) => {
      if (id !== this.stage?.id || !this.posts.applyPost(post)) return;
      this.onChange('post', this);
    });
    this.connection.on('reactions', (message) => {
      if (message.stageId !== this.stage?.id || !this.reactions.apply(message)) return;
      this.onReactions?.(message);
    });
    this.connection.on('stage', ({ stage }) => {
      if (stage.id !== this.stage?.id) return;
      this.stage = { ...this.stage, ...stage };
      this.onChange('stage', this);
    });
    this.connection.on('talks', ({ stageId: id, talks }) => {
      if (id !== this.stage?.id) return;
      this.talks = talks;
      this.onChange('talks', this);
    });
    this.connection.on('leaderboard', (board) => {
      if (this.stage && board.stageId !== this.stage.id) return;
      this.leaderboard = board;
      this.onChange('presentation', this);
    });
    this.connection.on('presentation', ({ stageId: id, presentation }) => {
      if (id !== this.stage?.id) return;
      this.presentation = presentation;
      this.onChange('presentation', this);
    });
    this.connection.on('removed', (message) => {
      if (message.stageId !== this.stage?.id || !applyRemoved(message, this.store, this.clouds)) return;
      this.onChange(message.kind === 'cloud' ? 'cloud' : 'poll', this);
    });
    this.connection.on('order', (message) => {
      if (message.stageId !== this.stage?.id) return;
      applyOrder(message, this.store, this.clouds);
      this.onChange('poll', this);
    });
    // The stage was deleted (close 4404): nothing of it stays on the screen, and the page says so.
    this.connection.on('stageDeleted', () => {
      this.store.applySnapshot([]);
      this.clouds.applySnapshot([]);
      this.posts.applySnapshot([]);
      this.onChange('snapshot', this);
      onFatal('stage_deleted');
    });
    window.addEventListener('online', () => this.connection.reconnectNow());
    this.connection.connect();
    // A closed event (issue 12): the projector or overlay opened from a moderator's or the
    // organiser's tab carries that tab's token (session storage) as auth, else a passcode typed on
    // the viewer page of this tab; without either, the join is refused passcode_required.
    const session = safeStorage('session');
    const auth = session.get(ORGANISER_TOKEN_KEY);
    const passcode = session.get(PASSCODE_KEY);
    this.connection.join({ stageId, role: 'presenter', ...(auth ? { auth } : {}), ...(passcode ? { passcode } : {}) }).catch((e: unknown) => {
      onFatal(e instanceof ActionError ? e.code : 'internal');
    });
  }

  current(): PollEntry | null {
    return currentPoll(this.store.list());
  }
}
