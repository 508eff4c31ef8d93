import type { CloudWithResults, PlenumEvent, PollWithResults, Post, PostKind, Presentation, PresentationKind, Stage, StageSettings } from './protocol';

import type { NewTalk, Talk } from './talks';

/** A moderator access of an event (the token itself is only in the answer to its creation). */
export interface ModeratorAccess {
  id: string;
  eventId: string;
  label: string;
  createdAt: string;
  /** Only right after creation: `pm_…`, shown once. */
  token?: string;
}

export type PollCommand = 'open' | 'close' | 'reveal' | 'hide';
export type CloudCommand = PollCommand;
export type PostCommand = 'approve' | 'reject' | 'answer' | 'unanswer' | 'pin' | 'unpin';

export interface NewCloud {
  prompt: string;
  maxEntries?: number;
  resultsVisible?: boolean;
  open?: boolean;
}

export interface Blocklist {
  /** The organiser's own words for this event. */
  words: string[];
  /** The built-in German and English list. */
  defaults: string[];
}

export interface ReactionReport {
  stageId: string;
  version: number;
  totals: Record<string, number>;
  timeline: Array<{ minute: string; counts: Record<string, number> }>;
}

export interface NewPoll {
  kind: 'single' | 'multiple' | 'rating' | 'ranking' | 'text' | 'quiz';
  question: string;
  options?: string[];
  /** Quiz only: indexes (0-based) of the correct options. */
  correct?: number[];
  maxSelections?: number;
  scale?: 5 | 10;
  resultsVisible?: boolean;
  open?: boolean;
}

/** An error answer of the REST API (docs/rest.md, "Errors"); status 0 means the server was not reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Client of Plenum's REST API under `api/v1/`, next to the page. */
export class PlenumApi {
  private readonly base: URL;
  /** A closed event's passcode for the audience's reads (header X-Plenum-Passcode); the viewer page sets it. */
  passcode: () => string | null = () => null;

  constructor(
    pageHref: string,
    private readonly token: () => string | null = () => null,
    private readonly fetcher: typeof fetch = (...args) => globalThis.fetch(...args),
  ) {
    this.base = new URL('api/v1/', new URL('./', pageHref));
  }

  listEvents(): Promise<PlenumEvent[]> {
    return this.request('GET', 'events');
  }

  getEvent(eventId: string): Promise<PlenumEvent> {
    return this.request('GET', `events/${enc(eventId)}`);
  }

  createEvent(name: string): Promise<PlenumEvent> {
    return this.request('POST', 'events', { name });
  }

  /** A talk's feedback survey (404 unknown_survey when there is none, or a draft for the audience). */
  getSurvey(stageId: string, talkId: string): Promise<{ survey: import('./survey').Survey; results: unknown }> {
    return this.request('GET', `stages/${enc(stageId)}/talks/${enc(talkId)}/survey`);
  }

  /** Defines (or replaces, while it has no responses) a talk's survey; a new one is a draft (moderator). */
  putSurvey(stageId: string, talkId: string, questions: import('./survey').NewSurveyQuestion[]): Promise<{ survey: import('./survey').Survey; results: unknown }> {
    return this.request('PUT', `stages/${enc(stageId)}/talks/${enc(talkId)}/survey`, { questions });
  }

  /** Opens or closes a talk's survey (moderator); answers `{survey, results}`. */
  surveyCommand(stageId: string, talkId: string, command: 'open' | 'close'): Promise<{ survey: import('./survey').Survey; results: unknown }> {
    return this.request('POST', `stages/${enc(stageId)}/talks/${enc(talkId)}/survey/${command}`);
  }

  /** Sets, changes or (null) removes a closed event's passcode (organiser). */
  setEventPasscode(eventId: string, passcode: string | null): Promise<PlenumEvent> {
    return this.request('PATCH', `events/${enc(eventId)}`, { passcode });
  }

  createStage(eventId: string, name: string): Promise<Stage> {
    return this.request('POST', `events/${enc(eventId)}/stages`, { name });
  }

  getStage(stageId: string): Promise<Stage> {
    return this.request('GET', `stages/${enc(stageId)}`);
  }

  stageByCode(code: string): Promise<Stage> {
    return this.request('GET', `join/${enc(code)}`);
  }

  listPolls(stageId: string): Promise<PollWithResults[]> {
    return this.request('GET', `stages/${enc(stageId)}/polls`);
  }

  createPoll(stageId: string, poll: NewPoll): Promise<PollWithResults> {
    return this.request('POST', `stages/${enc(stageId)}/polls`, poll);
  }

  /** `body` only for `open`: `{ seconds }` gives the poll a timer (10-86400 s). */
  pollCommand(stageId: string, pollId: string, command: PollCommand, body?: { seconds: number }): Promise<PollWithResults> {
    return this.request('POST', `stages/${enc(stageId)}/polls/${enc(pollId)}/${command}`, body);
  }

  /** Sets (`seconds`), clears (`seconds: null`) or extends (`addSeconds`) an open poll's timer. */
  pollTimer(stageId: string, pollId: string, body: { seconds: number | null } | { addSeconds: number }): Promise<PollWithResults> {
    return this.request('POST', `stages/${enc(stageId)}/polls/${enc(pollId)}/timer`, body);
  }

  // ---- word clouds ----

  createCloud(stageId: string, cloud: NewCloud): Promise<CloudWithResults> {
    return this.request('POST', `stages/${enc(stageId)}/clouds`, cloud);
  }

  listClouds(stageId: string): Promise<CloudWithResults[]> {
    return this.request('GET', `stages/${enc(stageId)}/clouds`);
  }

  cloudCommand(stageId: string, cloudId: string, command: CloudCommand): Promise<CloudWithResults> {
    return this.request('POST', `stages/${enc(stageId)}/clouds/${enc(cloudId)}/${command}`);
  }

  /** Hides a word from every screen (kept for audit); `hidden: false` shows it again. */
  hideWord(stageId: string, cloudId: string, key: string, hidden: boolean): Promise<CloudWithResults> {
    return this.request('POST', `stages/${enc(stageId)}/clouds/${enc(cloudId)}/hide-word`, { key, hidden });
  }

  mergeWords(stageId: string, cloudId: string, from: string, into: string): Promise<CloudWithResults> {
    return this.request('POST', `stages/${enc(stageId)}/clouds/${enc(cloudId)}/merge`, { from, into });
  }

  // ---- posts ----

  listPosts(stageId: string, kind?: PostKind, sort?: 'time' | 'votes'): Promise<Post[]> {
    const query = new URLSearchParams();
    if (kind) query.set('kind', kind);
    if (sort) query.set('sort', sort);
    const qs = query.toString();
    return this.request('GET', `stages/${enc(stageId)}/posts${qs ? `?${qs}` : ''}`);
  }

  postCommand(stageId: string, postId: string, command: PostCommand): Promise<Post> {
    return this.request('POST', `stages/${enc(stageId)}/posts/${enc(postId)}/${command}`);
  }

  /** Mutes (bans) or unmutes the author of a post on its stage; answers how many pending posts were hidden. */
  muteAuthor(stageId: string, postId: string, muted: boolean): Promise<{ postId: string; authorMuted: boolean; hidden: number }> {
    return this.request('POST', `stages/${enc(stageId)}/posts/${enc(postId)}/${muted ? 'mute-author' : 'unmute-author'}`);
  }

  /** Removes the counted votes of a post's author from every poll of its stage; answers the polls that changed. */
  removeAuthorVotes(stageId: string, postId: string): Promise<{ postId: string; polls: string[] }> {
    return this.request('POST', `stages/${enc(stageId)}/posts/${enc(postId)}/remove-author-votes`);
  }

  /** A moderator's correction; the server keeps the original text. */
  editPost(stageId: string, postId: string, text: string): Promise<Post> {
    return this.request('POST', `stages/${enc(stageId)}/posts/${enc(postId)}/edit`, { text });
  }

  /** A moderator's reply; empty or null removes it. */
  replyToPost(stageId: string, postId: string, text: string | null): Promise<Post> {
    return this.request('POST', `stages/${enc(stageId)}/posts/${enc(postId)}/reply`, { text });
  }

  // ---- event and stage settings, reactions ----

  getBlocklist(eventId: string): Promise<Blocklist> {
    return this.request('GET', `events/${enc(eventId)}/blocklist`);
  }

  putBlocklist(eventId: string, words: string[]): Promise<Blocklist> {
    return this.request('PUT', `events/${enc(eventId)}/blocklist`, { words });
  }

  updateSettings(stageId: string, settings: Partial<StageSettings>): Promise<Stage> {
    return this.request('PATCH', `stages/${enc(stageId)}/settings`, settings);
  }

  /** What the stage's projector and overlay show ("present this", issue 12). */
  presentation(stageId: string): Promise<Presentation> {
    return this.request('GET', `stages/${enc(stageId)}/presentation`);
  }

  /** Moderators and organisers: `target` is the poll, cloud or post id for `poll`, `results`, `cloud`, `question`, left out otherwise. */
  present(stageId: string, kind: PresentationKind, target: string | null = null): Promise<Presentation> {
    return this.request('PUT', `stages/${enc(stageId)}/presentation`, target === null ? { kind } : { kind, target });
  }

  reactions(stageId: string): Promise<ReactionReport> {
    return this.request('GET', `stages/${enc(stageId)}/reactions`);
  }

  // ---- talks (a stage's programme) and moderator access ----

  listTalks(stageId: string): Promise<Talk[]> {
    return this.request('GET', `stages/${enc(stageId)}/talks`);
  }

  createTalk(stageId: string, talk: NewTalk): Promise<Talk> {
    return this.request('POST', `stages/${enc(stageId)}/talks`, talk);
  }

  updateTalk(stageId: string, talkId: string, talk: NewTalk): Promise<Talk> {
    return this.request('PUT', `stages/${enc(stageId)}/talks/${enc(talkId)}`, talk);
  }

  deleteTalk(stageId: string, talkId: string): Promise<void> {
    return this.request('DELETE', `stages/${enc(stageId)}/talks/${enc(talkId)}`);
  }

  listModerators(eventId: string): Promise<ModeratorAccess[]> {
    return this.request('GET', `events/${enc(eventId)}/moderators`);
  }

  createModerator(eventId: string, label: string): Promise<ModeratorAccess & { token: string }> {
    return this.request('POST', `events/${enc(eventId)}/moderators`, { label });
  }

  deleteModerator(eventId: string, moderatorId: string): Promise<void> {
    return this.request('DELETE', `events/${enc(eventId)}/moderators/${enc(moderatorId)}`);
  }

  // ---- exports (the printable report and its downloads) ----

  /** The whole export of an event as JSON (schema plenum-export/1), for the report page. */
  exportJson(eventId: string): Promise<unknown> {
    return this.request('GET', `events/${enc(eventId)}/export?format=json`);
  }

  /**
   * One export file as a Blob, fetched with the Bearer token in a header: a plain link would need
   * the token in the address, where servers, proxies and the history keep it.
   */
  async exportFile(scope: ExportScope, query: Record<string, string>): Promise<{ blob: Blob; filename: string }> {
    const path = exportPath(scope);
    const response = await this.send('GET', `${path}?${new URLSearchParams(query).toString()}`, undefined, '*/*');
    if (!response.ok) throw await errorOf(response);
    const blob = await response.blob();
    const disposition = response.headers.get('Content-Disposition') ?? '';
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
    const fallback = `plenum-export.${query.format ?? 'json'}`;
    return { blob, filename: match ? decodeURIComponent(match[1]) : fallback };
  }

  // ---- organiser control: edit, duplicate, reorder, delete, test-mode reset ----

  /** Lets the event's moderators download its exports, or not (`PATCH events/{id}`). */
  setModeratorsMayExport(eventId: string, allowed: boolean): Promise<PlenumEvent> {
    return this.request('PATCH', `events/${enc(eventId)}`, { moderatorsMayExport: allowed });
  }

  renameEvent(eventId: string, name: string): Promise<PlenumEvent> {
    return this.request('PATCH', `events/${enc(eventId)}`, { name });
  }

  /** Deletes an event with all its data; the server wants the event's exact name as confirmation. */
  deleteEvent(eventId: string, confirmName: string): Promise<void> {
    return this.request('DELETE', `events/${enc(eventId)}?${new URLSearchParams({ confirm: confirmName }).toString()}`);
  }

  renameStage(stageId: string, name: string): Promise<Stage> {
    return this.request('PATCH', `stages/${enc(stageId)}`, { name });
  }

  deleteStage(stageId: string): Promise<void> {
    return this.request('DELETE', `stages/${enc(stageId)}`);
  }

  /** Test mode: clears every interaction of the stage (votes, words, posts, reactions) after a rehearsal. */
  resetStage(stageId: string): Promise<unknown> {
    return this.request('POST', `stages/${enc(stageId)}/reset`);
  }

  /** Saves the stage's order of polls and clouds (every id once). */
  reorder(stageId: string, order: { polls: string[]; clouds: string[] }): Promise<unknown> {
    return this.request('PUT', `stages/${enc(stageId)}/order`, order);
  }

  updatePoll(stageId: string, pollId: string, poll: NewPoll): Promise<PollWithResults> {
    return this.request('PUT', `stages/${enc(stageId)}/polls/${enc(pollId)}`, poll);
  }

  duplicatePoll(stageId: string, pollId: string): Promise<PollWithResults> {
    return this.request('POST', `stages/${enc(stageId)}/polls/${enc(pollId)}/duplicate`);
  }

  deletePoll(stageId: string, pollId: string): Promise<void> {
    return this.request('DELETE', `stages/${enc(stageId)}/polls/${enc(pollId)}`);
  }

  updateCloud(stageId: string, cloudId: string, cloud: NewCloud): Promise<CloudWithResults> {
    return this.request('PUT', `stages/${enc(stageId)}/clouds/${enc(cloudId)}`, cloud);
  }

  duplicateCloud(stageId: string, cloudId: string): Promise<CloudWithResults> {
    return this.request('POST', `stages/${enc(stageId)}/clouds/${enc(cloudId)}/duplicate`);
  }

  deleteCloud(stageId: string, cloudId: string): Promise<void> {
    return this.request('DELETE', `stages/${enc(stageId)}/clouds/${enc(cloudId)}`);
  }

  private async send(method: string, path: string, body: unknown, accept: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept };
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    const passcode = this.passcode();
    if (passcode) headers['X-Plenum-Passcode'] = passcode;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await this.fetcher(new URL(path, this.base).toString(), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
    }
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body, 'application/json');
    if (!response.ok) throw await errorOf(response);
    const text = await response.text();
    if (!text) return null as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      return null as T;
    }
  }
}

/** The API's error answer `{"error":{"code","message"}}` as an ApiError (status text when there is none). */
async function errorOf(response: Response): Promise<ApiError> {
  let json: unknown = null;
  try {
    const text = await response.text();
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
  return new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? response.statusText);
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

export interface PollDraftInput {
  kind: string;
  question: string;
  /** One option per line. */
  optionsText: string;
  maxSelections: string;
  scale: string;
  resultsVisible: boolean;
  open: boolean;
  /** Quiz only: the numbers (1-based) of the correct options, e.g. "1" or "1, 3". */
  correctText?: string;
}

export type PollDraftError =
  | { field: 'question'; problem: 'required' | 'tooLong' }
  | { field: 'options'; problem: 'tooFew' | 'tooMany' | 'duplicate' | 'tooLong' }
  | { field: 'maxSelections'; problem: 'range' }
  | { field: 'correct'; problem: 'range' };

/** Checks a poll form against the rules of docs/rest.md ("NewPoll") before it is sent. */
export function validatePollDraft(input: PollDraftInput): { poll: NewPoll; errors: [] } | { poll: null; errors: PollDraftError[] } {
  const errors: PollDraftError[] = [];
  const kind = input.kind === 'multiple' || input.kind === 'rating' || input.kind === 'ranking' || input.kind === 'text' || input.kind === 'quiz' ? input.kind : 'single';
  const question = input.question.trim();
  if (!question) errors.push({ field: 'question', problem: 'required' });
  else if ([...question].length > 300) errors.push({ field: 'question', problem: 'tooLong' });
  const poll: NewPoll = { kind, question, resultsVisible: input.resultsVisible, open: input.open };
  if (kind === 'rating') {
    poll.scale = input.scale === '10' ? 10 : 5;
  } else if (kind === 'text') {
    // an open-text question has no options: the audience writes answers
  } else {
    const options = input.optionsText
      .split('\n')
      .map((o) => o.trim())
      .filter((o) => o.length > 0);
    if (options.length < 2) errors.push({ field: 'options', problem: 'tooFew' });
    else if (options.length > 20) errors.push({ field: 'options', problem: 'tooMany' });
    else if (new Set(options).size !== options.length) errors.push({ field: 'options', problem: 'duplicate' });
    else if (options.some((o) => [...o].length > 120)) errors.push({ field: 'options', problem: 'tooLong' });
    poll.options = options;
    if (kind === 'quiz') {
      const numbers = (input.correctText ?? '').split(/[\s,;]+/).filter((n) => n.length > 0).map(Number);
      const ok = numbers.length > 0 && numbers.every((n) => Number.isInteger(n) && n >= 1 && n <= options.length)
        && new Set(numbers).size === numbers.length && numbers.length < options.length;
      if (!ok) errors.push({ field: 'correct', problem: 'range' });
      else poll.correct = numbers.map((n) => n - 1);
    }
    if (kind === 'multiple') {
      const raw = input.maxSelections.trim();
      if (raw) {
        const max = Number(raw);
        if (!Number.isInteger(max) || max < 1 || (options.length >= 2 && max > options.length)) {
          errors.push({ field: 'maxSelections', problem: 'range' });
        } else {
          poll.maxSelections = max;
        }
      }
    }
  }
  return errors.length ? { poll: null, errors } : { poll, errors: [] };
}

export type CloudDraftError = { field: 'prompt'; problem: 'required' | 'tooLong' } | { field: 'maxEntries'; problem: 'range' };

/** Checks a word-cloud form against docs/rest.md (prompt 1–300 characters, maxEntries 1–10). */
export function validateCloudDraft(input: { prompt: string; maxEntries: string; resultsVisible: boolean; open: boolean }): { cloud: NewCloud; errors: [] } | { cloud: null; errors: CloudDraftError[] } {
  const errors: CloudDraftError[] = [];
  const prompt = input.prompt.trim();
  if (!prompt) errors.push({ field: 'prompt', problem: 'required' });
  else if ([...prompt].length > 300) errors.push({ field: 'prompt', problem: 'tooLong' });
  const raw = input.maxEntries.trim();
  const maxEntries = raw ? Number(raw) : 3;
  if (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > 10) errors.push({ field: 'maxEntries', problem: 'range' });
  if (errors.length) return { cloud: null, errors };
  return { cloud: { prompt, maxEntries, resultsVisible: input.resultsVisible, open: input.open }, errors: [] };
}

/** The blocklist editor's text (one word per line) as the list the API takes: trimmed, no empties, no repeats (case-insensitive). */
export function parseBlocklist(text: string): { words: string[]; tooLong: string[] } {
  const seen = new Set<string>();
  const words: string[] = [];
  const tooLong: string[] = [];
  for (const line of text.split(/\r?\n|,/)) {
    const word = line.replace(/\s+/g, ' ').trim();
    if (!word) continue;
    const key = word.toLocaleLowerCase('de');
    if (seen.has(key)) continue;
    seen.add(key);
    if ([...word].length > 40) tooLong.push(word);
    words.push(word);
  }
  return { words, tooLong };
}

/** What one export file covers: the event, one stage, or one talk of a stage (docs/rest.md, "Exports"). */
export type ExportScope = { eventId: string } | { stageId: string; talkId?: string };

export function exportPath(scope: ExportScope): string {
  if ('eventId' in scope) return `events/${enc(scope.eventId)}/export`;
  return scope.talkId ? `stages/${enc(scope.stageId)}/talks/${enc(scope.talkId)}/export` : `stages/${enc(scope.stageId)}/export`;
}
