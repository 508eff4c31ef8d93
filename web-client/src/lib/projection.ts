import { currentCloud, type CloudEntry } from './cloud-store';
import { compareTime, currentPoll, type PollEntry } from './poll-store';
import { projectedQuestions } from './post-store';
import type { Post } from './protocol';

export type ProjectorMode = 'auto' | 'poll' | 'cloud' | 'questions';

export type Projection =
  | { kind: 'poll'; entry: PollEntry }
  | { kind: 'cloud'; entry: CloudEntry }
  | { kind: 'questions'; pinned: Post | null; top: Post[] }
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
