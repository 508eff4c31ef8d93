import { currentCloud, type CloudEntry } from './cloud-store';
import { compareTime, currentPoll, type PollEntry } from './poll-store';
import { projectedQuestions } from './post-store';
import type { Post, Presentation } from './protocol';

export type ProjectorMode = 'auto' | 'poll' | 'cloud' | 'questions';

export type Projection =
  | { kind: 'poll'; entry: PollEntry }
  | { kind: 'cloud'; entry: CloudEntry }
  | { kind: 'questions'; pinned: Post | null; top: Post[] }
  | { kind: 'question'; post: Post }
  | { kind: 'leaderboard' }
  | { kind: 'blank' }
  | { kind: 'waiting' };

export function projectorMode(value: string | null): ProjectorMode {
  return value === 'poll' || value === 'cloud' || value === 'questions' ? value : 'auto';
}

/**
 * What a hall screen shows. With `mode` set it shows that one thing (or waits). `auto` follows
 * the moderators: an open poll or word cloud (the one opened last) comes first; then a pinned
 * question ("now answering", with the top questions under it); then the closed poll or cloud
 * whose results were shown last; else the screen waits.
 */
export function projection(polls: readonly PollEntry[], clouds: readonly CloudEntry[], posts: readonly Post[], mode: ProjectorMode, topCount = 4): Projection {
  const poll = currentPoll([...polls]);
  const cloud = currentCloud([...clouds]);
  const questions = projectedQuestions(posts, topCount);
  if (mode === 'poll') return poll ? { kind: 'poll', entry: poll } : { kind: 'waiting' };
  if (mode === 'cloud') return cloud ? { kind: 'cloud', entry: cloud } : { kind: 'waiting' };
  if (mode === 'questions') return { kind: 'questions', ...questions };
  const pollOpen = poll?.poll.state === 'open';
  const cloudOpen = cloud?.cloud.state === 'open';
  if (pollOpen || cloudOpen) {
    if (pollOpen && cloudOpen) {
      return compareTime(poll!.poll.openedAt, cloud!.cloud.openedAt) >= 0 ? { kind: 'poll', entry: poll! } : { kind: 'cloud', entry: cloud! };
    }
    return pollOpen ? { kind: 'poll', entry: poll! } : { kind: 'cloud', entry: cloud! };
  }
  if (questions.pinned) return { kind: 'questions', ...questions };
  if (poll && cloud) return compareTime(poll.poll.closedAt, cloud.cloud.closedAt) >= 0 ? { kind: 'poll', entry: poll } : { kind: 'cloud', entry: cloud };
  if (poll) return { kind: 'poll', entry: poll };
  if (cloud) return { kind: 'cloud', entry: cloud };
  return { kind: 'waiting' };
}

/**
 * What a hall screen shows when moderators can choose it ("present this", issue 12): `auto` (or
 * no presentation, from older servers, or a kind this client does not know) is {@link projection}
 * with the page's own `?show=` as `fallback`; `nothing` is a blank screen; `poll`, `results`,
 * `cloud`, `question` show that item, or wait while the page does not know it (yet: the push of
 * the item itself may come a moment later); `questions` is the pinned and the top questions.
 */
export function presentedProjection(
  polls: readonly PollEntry[],
  clouds: readonly CloudEntry[],
  posts: readonly Post[],
  presentation: Presentation | null | undefined,
  fallback: ProjectorMode,
  topCount = 4,
): Projection {
  const target = presentation?.target ?? null;
  switch (presentation?.kind) {
    case 'nothing':
      return { kind: 'blank' };
    case 'poll':
    case 'results': {
      const entry = polls.find((e) => e.poll.id === target && e.poll.state !== 'draft');
      return entry ? { kind: 'poll', entry } : { kind: 'waiting' };
    }
    case 'cloud': {
      const entry = clouds.find((e) => e.cloud.id === target && e.cloud.state !== 'draft');
      return entry ? { kind: 'cloud', entry } : { kind: 'waiting' };
    }
    case 'question': {
      const post = posts.find((p) => p.id === target && p.kind === 'question' && p.state === 'published');
      return post ? { kind: 'question', post } : { kind: 'waiting' };
    }
    case 'questions':
      return { kind: 'questions', ...projectedQuestions(posts, topCount) };
    case 'leaderboard':
      return { kind: 'leaderboard' };
    default:
      return projection(polls, clouds, posts, fallback, topCount);
  }
}

/** The overlay keeps its own `?show=` blocks under `auto`; anything else a moderator chose (the quiz leaderboard too) replaces them. */
export function overlayFollows(presentation: Presentation | null | undefined): 'blocks' | 'blank' | 'presented' {
  if (!presentation || presentation.kind === 'auto') return 'blocks';
  if (presentation.kind === 'nothing') return 'blank';
  return ['poll', 'results', 'cloud', 'question', 'questions', 'leaderboard'].includes(presentation.kind) ? 'presented' : 'blocks';
}
