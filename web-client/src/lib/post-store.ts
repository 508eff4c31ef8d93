import { compareTime } from './poll-store';
import type { Post, PostKind, PostState, Role } from './protocol';

export type PostSort = 'votes' | 'time';

/**
 * The questions, comments and feedback of one stage as this client knows them. Every post has its
 * own version: a push whose version is not greater than the last one applied for that post is
 * stale and dropped (docs/protocol.md, "post"). Viewers and presenters keep only published posts,
 * plus the viewer's own pending or rejected ones; moderators keep everything but deleted posts.
 */
export class StagePosts {
  private readonly posts = new Map<string, Post>();
  /** The last version applied per post, kept after a post is removed, so a late push can't bring it back. */
  private readonly versions = new Map<string, number>();
  private readonly own = new Set<string>();
  private readonly upvotes = new Set<string>();

  constructor(private readonly role: Role = 'viewer') {}

  /** A `joined` snapshot: the newest posts this session may see (older ones follow as pages). */
  applySnapshot(posts: readonly Post[], upvoted?: readonly string[]): void {
    const before = new Map(this.posts);
    this.posts.clear();
    for (const snapshot of posts) {
      // A push may have overtaken the snapshot: the newer of the two stays.
      const earlier = before.get(snapshot.id);
      const known = this.versions.get(snapshot.id) ?? -1;
      const post = earlier && earlier.version > snapshot.version ? earlier : snapshot;
      if (known > post.version && !earlier) continue; // removed by a newer push meanwhile
      this.versions.set(post.id, Math.max(known, post.version));
      if (post.mine) this.own.add(post.id);
      if (this.keeps(post)) this.posts.set(post.id, post);
    }
    if (upvoted) {
      this.upvotes.clear();
      for (const id of upvoted) this.upvotes.add(id);
    }
  }

  /** A `page` of older posts, after the snapshot: added to what is known, never replacing newer versions. */
  applyPage(posts: readonly Post[], upvoted?: readonly string[]): void {
    for (const post of posts) this.applyPost(post);
    for (const id of upvoted ?? []) this.upvotes.add(id);
  }

  /** A `post` push or a REST answer. Returns whether it was applied (false: stale). */
  applyPost(post: Post): boolean {
    const known = this.versions.get(post.id);
    if (known !== undefined && post.version <= known) return false;
    this.versions.set(post.id, post.version);
    if (post.mine) this.own.add(post.id);
    if (this.keeps(post)) this.posts.set(post.id, post);
    else this.posts.delete(post.id);
    return true;
  }

  /** Drops a post locally (our own delete was acknowledged; the `deleted` push follows). */
  forget(postId: string): void {
    this.posts.delete(postId);
  }

  /** The ack of our own `post` named its id: from now on it is ours (before any push says so). */
  markOwn(postId: string): void {
    this.own.add(postId);
  }

  isOwn(post: Post | string): boolean {
    const id = typeof post === 'string' ? post : post.id;
    return this.own.has(id) || (typeof post !== 'string' && post.mine === true);
  }

  get(postId: string): Post | undefined {
    return this.posts.get(postId);
  }

  /** Whether this participant upvotes the question (what the server said, then what they did since). */
  upvoted(postId: string): boolean {
    return this.upvotes.has(postId);
  }

  setUpvoted(postId: string, up: boolean): void {
    if (up) this.upvotes.add(postId);
    else this.upvotes.delete(postId);
  }

  all(): Post[] {
    return [...this.posts.values()];
  }

  /** Posts of the given kinds (and states, if given), sorted. */
  list(filter: { kinds: readonly PostKind[]; states?: readonly PostState[]; answered?: boolean }, sort: PostSort): Post[] {
    const posts = this.all().filter(
      (p) =>
        filter.kinds.includes(p.kind) &&
        (!filter.states || filter.states.includes(p.state)) &&
        (filter.answered === undefined || p.answered === filter.answered),
    );
    return sortPosts(posts, sort);
  }

  /** The question being answered now, if it is one this session may see. */
  pinned(): Post | null {
    for (const post of this.posts.values()) if (post.pinned && post.state === 'published') return post;
    return null;
  }

  private keeps(post: Post): boolean {
    if (post.state === 'deleted') return false;
    if (this.role === 'moderator') return true;
    return post.state === 'published' || this.isOwn(post);
  }
}

/**
 * `votes`: most upvotes first, equal votes the older first (it had to wait longer).
 * `time`: newest first. Ties end on the id, so the order is the same on every screen.
 */
export function sortPosts(posts: readonly Post[], sort: PostSort): Post[] {
  return [...posts].sort((a, b) => {
    if (sort === 'votes') {
      const byVotes = b.upvotes - a.upvotes;
      if (byVotes !== 0) return byVotes;
      return compareTime(a.createdAt, b.createdAt) || a.id.localeCompare(b.id);
    }
    return compareTime(b.createdAt, a.createdAt) || a.id.localeCompare(b.id);
  });
}

/**
 * The audience's question list: the pinned question first ("now answering"), then open questions
 * in the chosen order, answered questions last.
 */
export function audienceQuestions(posts: readonly Post[], sort: PostSort): Post[] {
  const questions = posts.filter((p) => p.kind === 'question');
  const pinned = questions.filter((p) => p.pinned && p.state === 'published');
  const open = sortPosts(
    questions.filter((p) => !p.pinned && !p.answered),
    sort,
  );
  const answered = sortPosts(
    questions.filter((p) => !p.pinned && p.answered),
    sort,
  );
  return [...pinned, ...open, ...answered];
}

export type QueueTab = 'pending' | 'published' | 'answered' | 'rejected';

/** Which tab of the moderator's queue a post belongs in. */
export function queueTab(post: Post): QueueTab {
  if (post.state === 'pending') return 'pending';
  if (post.state === 'rejected') return 'rejected';
  return post.answered ? 'answered' : 'published';
}

/** How many posts each tab holds. */
export function queueCounts(posts: readonly Post[]): Record<QueueTab, number> {
  const counts: Record<QueueTab, number> = { pending: 0, published: 0, answered: 0, rejected: 0 };
  for (const post of posts) if (post.state !== 'deleted') counts[queueTab(post)]++;
  return counts;
}

/** The moderator's list for one tab: pending posts oldest first (a queue); the others as chosen. */
export function queueList(posts: readonly Post[], tab: QueueTab, sort: PostSort): Post[] {
  const inTab = posts.filter((p) => p.state !== 'deleted' && queueTab(p) === tab);
  if (tab === 'pending') return [...inTab].sort((a, b) => compareTime(a.createdAt, b.createdAt) || a.id.localeCompare(b.id));
  const pinned = inTab.filter((p) => p.pinned);
  return [...pinned, ...sortPosts(inTab.filter((p) => !p.pinned), sort)];
}

/** The questions a hall screen shows: the pinned one, then the top `count` published open questions by votes. */
export function projectedQuestions(posts: readonly Post[], count: number): { pinned: Post | null; top: Post[] } {
  const published = posts.filter((p) => p.kind === 'question' && p.state === 'published');
  const pinned = published.find((p) => p.pinned) ?? null;
  const top = sortPosts(
    published.filter((p) => !p.pinned && !p.answered),
    'votes',
  ).slice(0, count);
  return { pinned, top };
}

export const MAX_POST_CHARS = 500;
export const MAX_NAME_CHARS = 60;

export type PostProblem = 'empty' | 'tooLong' | 'nameTooLong' | 'nameRequired';

/** The server's rules for a post (docs/protocol.md, `post`), checked before sending. */
export function checkPost(text: string, name: string, anonymousAllowed: boolean): { text: string; name?: string } | { problem: PostProblem; field: 'text' | 'name' } {
  const cleanText = text.normalize('NFC').replace(/\s+/gu, ' ').trim();
  const cleanName = name.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (!cleanText) return { problem: 'empty', field: 'text' };
  if ([...cleanText].length > MAX_POST_CHARS) return { problem: 'tooLong', field: 'text' };
  if ([...cleanName].length > MAX_NAME_CHARS) return { problem: 'nameTooLong', field: 'name' };
  if (!cleanName && !anonymousAllowed) return { problem: 'nameRequired', field: 'name' };
  return cleanName ? { text: text.trim(), name: cleanName } : { text: text.trim() };
}
