import type { Talk } from './talks';
/**
 * Types of Plenum's WebSocket protocol v1 and REST API, as documented in docs/protocol.md and
 * docs/rest.md. Unknown fields are ignored by design, so these types only name what the client uses.
 */

export type Role = 'viewer' | 'moderator' | 'presenter';
export type PollKind = 'single' | 'multiple' | 'rating' | 'ranking' | 'text' | 'quiz';
export type PollState = 'draft' | 'open' | 'closed';

export interface PollOption {
  id: string;
  label: string;
}

export interface Poll {
  id: string;
  stageId: string;
  kind: PollKind;
  question: string;
  /** Absent (or empty) for rating polls. */
  options?: PollOption[] | null;
  maxSelections?: number | null;
  scale?: number | null;
  state: PollState;
  resultsVisible: boolean;
  createdAt: string;
  openedAt?: string | null;
  closedAt?: string | null;
  /** While open: when the poll's timer closes it (server clock; see `serverTime` in joined). */
  closesAt?: string | null;
  /** Quiz questions only: `correct` for moderators, and for everyone once the results are revealed. */
  quiz?: { points: number; speedBonus: boolean; correct?: string[] } | null;
}

/** The stage's quiz leaderboard (docs/protocol.md, `leaderboard`). */
export interface Leaderboard {
  stageId: string;
  /** Answers scored on the stage so far (grows with each). */
  scored: number;
  participants: number;
  entries: Array<{ rank: number; nickname: string; points: number; correct: number }>;
}

export interface PollResults {
  pollId: string;
  /** Increases with every applied change of this poll's counts; older or equal versions are dropped. */
  version: number;
  voters: number;
  /** Per option (or rating value); for ranking polls the options' Borda points. */
  counts: Record<string, number>;
  mean: number | null;
  /** Ranking polls only (docs/protocol.md, "Ranking polls"). */
  ranking?: RankingResults;
}

export interface RankingResults {
  /** Per option id: voters who put it 1st, 2nd, … */
  distribution: Record<string, number[]>;
  /** Per option id: its mean position (1 = first), null while nobody voted. */
  meanRank: Record<string, number | null>;
  /** voters × (n − 1): the points of an option everyone put first. */
  maxPoints: number;
}

export interface PollWithResults {
  poll: Poll;
  results: PollResults | null;
}

export interface StageSettings {
  /** False: every post needs a display name (`name_required`). Applies to questions, comments and feedback. */
  anonymousQuestions: boolean;
  /** New questions wait for a moderator (`pending`). */
  questionModeration: boolean;
  /** New comments and feedback wait for a moderator. */
  commentModeration: boolean;
}

export const DEFAULT_SETTINGS: StageSettings = { anonymousQuestions: true, questionModeration: false, commentModeration: false };

export interface Stage {
  id: string;
  eventId: string;
  name: string;
  code: string;
  createdAt?: string;
  /** Absent from servers older than issue 3: then the defaults apply. */
  settings?: StageSettings;
}

export interface PlenumEvent {
  id: string;
  name: string;
  createdAt: string;
  stages: Stage[];
  blockedWords?: string[];
  /** Whether the event's moderators may download its exports (organiser's setting; absent from older servers). */
  moderatorsMayExport?: boolean;
  /** Whether the event is closed: viewers must give its passcode (issue 12). */
  passcodeRequired?: boolean;
  /** The passcode itself: only in the organiser's reads. */
  passcode?: string;
}

// ---- word clouds ----

export interface WordCloud {
  id: string;
  stageId: string;
  prompt: string;
  maxEntries: number;
  state: PollState;
  resultsVisible: boolean;
  createdAt: string;
  openedAt?: string | null;
  closedAt?: string | null;
}

export interface CloudWord {
  /** The case-folded grouping key; words are addressed by it (hide, merge). */
  key: string;
  /** The most frequent original spelling. */
  text: string;
  /** Participants who submitted it. */
  count: number;
}

export interface CloudResults {
  cloudId: string;
  /** Grows with every applied change; older or equal versions are dropped. */
  version: number;
  contributors: number;
  entries: number;
  /** The top 100 visible words by count. */
  words: CloudWord[];
  /** Words a moderator hid (moderators only; empty for everyone else). */
  hidden: CloudWord[];
}

export interface CloudWithResults {
  cloud: WordCloud;
  results: CloudResults | null;
}

// ---- posts ----

export type PostKind = 'question' | 'comment' | 'feedback' | 'answer';
export type PostState = 'pending' | 'published' | 'rejected' | 'deleted';

export interface Post {
  id: string;
  stageId: string;
  kind: PostKind;
  displayName: string | null;
  text: string;
  state: PostState;
  answered: boolean;
  pinned: boolean;
  reply: string | null;
  edited: boolean;
  createdAt: string;
  upvotes: number;
  /** Grows with every change of this post; pushes with an older or equal version are dropped. */
  version: number;
  /** True only in snapshots and pushes sent to the post's author. */
  mine?: boolean;
  /** Answers only (kind `answer`): the open-text poll answered. */
  pollId?: string;
  /** Moderators only: the text as first posted, when a moderator edited it. */
  originalText?: string | null;
}

// ---- reactions ----

export interface ReactionTotals {
  version: number;
  totals: Record<string, number>;
}

export interface Presence {
  stageId: string;
  viewers: number;
  moderators: number;
  presenters: number;
}

export interface Participant {
  id: string;
  token: string;
  renewed: boolean;
}

// ---- client → server ----

/** Which link a viewer came by (docs/protocol.md, `join`): the hall's QR code or the stream page's link. */
export type JoinSource = 'hall' | 'stream';

export interface JoinRequest {
  stageId?: string;
  code?: string;
  role?: Role;
  auth?: string;
  /** Where the viewer joined from; left out when the link said nothing (counted as "other"). */
  source?: JoinSource;
  /** A closed event's passcode (viewer and presenter joins; docs/protocol.md#closed-events). */
  passcode?: string;
}

export interface JoinMessage extends JoinRequest {
  type: 'join';
  id: string;
  token?: string;
}

export interface VoteAction {
  type: 'vote';
  pollId: string;
  choices?: string[];
  rating?: number;
}

export interface WordAction {
  type: 'word';
  cloudId: string;
  text: string;
}

export interface PostAction {
  type: 'post';
  kind: PostKind;
  text: string;
  name?: string;
}

export interface UpvoteAction {
  type: 'upvote';
  postId: string;
  /** false withdraws the upvote. */
  up?: boolean;
}

export interface DeleteAction {
  type: 'delete';
  postId: string;
}

export interface ReactAction {
  type: 'react';
  emoji: string;
}

/** Every client message that is an action: it carries an id and is answered by `ack` or `error`. */
/** A written answer to an open-text poll (kind `text`); it becomes a post of kind `answer`. */
export interface AnswerAction {
  type: 'answer';
  pollId: string;
  text: string;
  name?: string;
}

export type ClientAction = VoteAction | WordAction | PostAction | UpvoteAction | DeleteAction | ReactAction | AnswerAction | import('./survey').SurveyAction | import('./quiz').NicknameAction | import('./quiz').StandingAction;

// ---- server → client ----

export interface JoinedMessage {
  type: 'joined';
  id: string;
  /** The server's clock when it sent this (for poll countdowns). */
  serverTime?: string;
  role: Role;
  participant: Participant;
  stage: Stage;
  polls: PollWithResults[];
  /** The stage's word clouds (absent from servers older than issue 3). */
  clouds?: CloudWithResults[];
  /** The newest posts this session may see (at most the server's `joinPostsLimit`, 100 by default), oldest first. */
  posts?: Post[];
  /** Set when there are older posts: send `posts` with `before` set to it for the next page; null when `posts` is all. */
  postsCursor?: string | null;
  /** Viewers only: the questions among `posts` this participant upvotes. */
  upvoted?: string[];
  reactions?: ReactionTotals;
  reactionSet?: string[];
  presence?: Presence;
  /** The stage's programme, ordered by start (absent from servers without talks). */
  talks?: Talk[];
  /** What the stage's screens show ("present this", issue 12; absent from older servers: `auto`). */
  presentation?: Presentation;
  /** The quiz leaderboard: moderators on a stage with a quiz; the audience while it is on screen. */
  leaderboard?: Leaderboard;
}

/** The stage's quiz leaderboard was pushed (moderators; the audience while it is on screen). */
export interface LeaderboardMessage extends Leaderboard {
  type: 'leaderboard';
}

/** Asks for the next page of a joined stage's older posts (docs/protocol.md, `posts`). */
export interface PostsRequest {
  type: 'posts';
  id: string;
  stageId: string;
  /** The `postsCursor` of `joined` or of the previous `page`. */
  before: string;
  limit?: number;
}

/** The answer to `posts`: older posts, oldest first, and the cursor for the page before them. */
export interface PageMessage {
  type: 'page';
  id: string;
  stageId: string;
  posts: Post[];
  postsCursor: string | null;
  /** Viewers only: the questions among `posts` this participant upvotes. */
  upvoted?: string[];
}

/** The whole programme of a stage, pushed after every change. */
export interface TalksMessage {
  type: 'talks';
  stageId: string;
  talks: Talk[];
}

/** A poll or word cloud was deleted (docs/protocol.md, `removed`): drop it; ignore an unknown id. */
export interface RemovedMessage {
  type: 'removed';
  stageId: string;
  kind: 'poll' | 'cloud';
  id: string;
}

/** The stage's polls and word clouds in their new order (docs/protocol.md, `order`). */
export interface OrderMessage {
  type: 'order';
  stageId: string;
  polls: string[];
  clouds: string[];
}

export interface ResultsMessage {
  type: 'results';
  stageId: string;
  results: PollResults;
}

export interface PollMessage {
  type: 'poll';
  stageId: string;
  poll: Poll;
  results: PollResults | null;
}

export interface PresenceMessage extends Presence {
  type: 'presence';
}

export interface CloudMessage {
  type: 'cloud';
  stageId: string;
  cloud: WordCloud;
  results: CloudResults | null;
}

export interface WordsMessage {
  type: 'words';
  stageId: string;
  results: CloudResults;
}

export interface PostMessage {
  type: 'post';
  stageId: string;
  post: Post;
}

export interface ReactionsMessage {
  type: 'reactions';
  stageId: string;
  version: number;
  totals: Record<string, number>;
  /** What arrived in the last `windowMs`: an overlay animates bursts from it. */
  recent: Record<string, number>;
  windowMs: number;
}

/** What a moderator chose for the stage's projector and overlay ("present this", issue 12). */
export type PresentationKind = 'auto' | 'nothing' | 'poll' | 'results' | 'cloud' | 'question' | 'questions' | 'leaderboard';

/** `target`: the poll, cloud or post id for `poll`, `results`, `cloud`, `question`; null otherwise. `since`: null for `auto`. */
export interface Presentation {
  kind: PresentationKind;
  target: string | null;
  since: string | null;
}

/** Pushed to every session on the stage when its presentation changes. */
export interface PresentationMessage {
  type: 'presentation';
  stageId: string;
  presentation: Presentation;
}

export interface StageMessage {
  type: 'stage';
  stage: Stage;
}

export interface AckMessage {
  type: 'ack';
  id: string;
  duplicate?: boolean;
  /** `word`: the entry's grouping key. */
  key?: string;
  /** `post`: the new post's id. */
  postId?: string;
  /** `nickname`: the name now in use and whether it is listed. */
  nickname?: string;
  listed?: boolean;
}

export interface ErrorMessage {
  type: 'error';
  id: string | null;
  code: string;
  message: string;
  retryAfterMs?: number;
}

export interface PongMessage {
  type: 'pong';
  id?: string;
}

export type ServerMessage =
  | JoinedMessage
  | ResultsMessage
  | PollMessage
  | PresenceMessage
  | CloudMessage
  | WordsMessage
  | PostMessage
  | ReactionsMessage
  | StageMessage
  | TalksMessage
  | RemovedMessage
  | OrderMessage
  | PresentationMessage
  | LeaderboardMessage
  | PageMessage
  | AckMessage
  | import('./quiz').StandingReply
  | ErrorMessage
  | PongMessage;

/**
 * Error codes after which the same action, resent with the same id, may still succeed.
 * `outcome_unknown`: the server could not tell whether the action was applied (its store did not
 * answer in time); resending the same id is how to find out, and it is applied at most once.
 */
export const RETRYABLE_ERRORS: ReadonlySet<string> = new Set(['rate_limited', 'unavailable', 'outcome_unknown', 'internal']);

/** Parses one text frame; returns null for anything that is not a JSON object with a string `type`. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? (value as ServerMessage) : null;
}
