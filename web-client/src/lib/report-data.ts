/**
 * The printable report's reading of the JSON export (`GET …/export?format=json`, schema
 * `plenum-export/1`, docs/export.schema.json). Every field name of the export the report relies on
 * is written here and nowhere else, so a renamed column is one edit (and one failing unit test).
 *
 * Tables `polls`, `words`, `posts`, `reactions`, `timeline` and the statistics `presence`,
 * `activity` and `summary` (docs/rest.md, "Exports" and "Statistics exports"). An export without
 * a statistics table (an older server) leaves its figures `null`: the page says "not recorded yet".
 */
import { groupSurveys, type SurveyReport } from './report-survey';

/** The kinds of interaction the report counts, in the order they are shown. */
export const INTERACTION_KINDS = ['votes', 'words', 'questions', 'upvotes', 'comments', 'feedback', 'reactions', 'answers'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];
export type Counts = Record<InteractionKind, number>;

/** Columns that name where a row happened (ExportTable.CONTEXT on the server). */
export const CONTEXT_COLUMNS = ['eventId', 'event', 'stageId', 'stage', 'talkId', 'talk'] as const;

/**
 * The `summary` table's figures in the server's column order (ExportTable on the server): after
 * `scope`, the participants, the peak with its time and hall/stream split, then totals by kind.
 */
export const SUMMARY_COLUMNS = ['participants', 'peakViewers', 'peakAt', 'peakViewersHall', 'peakViewersStream', ...INTERACTION_KINDS] as const;

/** What a summary row covers (`scope` column). */
export type SummaryScope = 'talk' | 'stage' | 'event';

/** The tables of the export this report reads, by their JSON key. */
export const TABLES = ['polls', 'words', 'posts', 'reactions', 'timeline', 'presence', 'activity', 'summary', 'survey'] as const;

export interface ReportTalk {
  id: string;
  title: string;
  speakers: string;
  startsAt: string;
  endsAt: string;
  stageId: string;
}

export interface ReportStage {
  id: string;
  name: string;
  code: string;
  talks: ReportTalk[];
}

export interface PollOptionResult {
  key: string;
  label: string;
  count: number;
  share: number | null;
  /** Ranking polls: the option's mean rank (1 = first); null otherwise. */
  meanRank?: number | null;
  /** Ranking polls: how many voters put it 1st, 2nd, … (the export's "4|1|0"); absent otherwise. */
  positions?: number[];
}

export interface PollResult {
  pollId: string;
  question: string;
  kind: string;
  state: string;
  stageId: string;
  talkId: string | null;
  voters: number;
  mean: number | null;
  options: PollOptionResult[];
}

export interface CloudSummary {
  cloudId: string;
  prompt: string;
  stageId: string;
  talkId: string | null;
  contributors: number;
  entries: number;
  /** Every word in export order; hidden ones (by a moderator) marked. */
  words: Array<{ text: string; count: number; hidden: boolean }>;
}

export interface PostSummary {
  postId: string;
  kind: string;
  stageId: string;
  talkId: string | null;
  upvotes: number;
  text: string;
  state: string;
  answered: boolean;
  /** Answers only: the open-text poll answered. */
  pollId?: string | null;
}

export interface ReactionMinute {
  stageId: string;
  talkId: string | null;
  minute: string;
  emoji: string;
  count: number;
}

/** One presence sample of one stage. */
export interface PresenceSample {
  stageId: string;
  talkId: string | null;
  /** Epoch milliseconds. */
  time: number;
  viewers: number;
  hall: number;
  stream: number;
  other: number;
  moderators: number;
  presenters: number;
}

export interface ActivityMinute extends Counts {
  stageId: string;
  talkId: string | null;
  minute: string;
}

/** One summary row: its scope (context columns, stage/talk may be null) and its figures. */
export interface SummaryRow {
  scope: SummaryScope;
  stageId: string | null;
  stage: string | null;
  talkId: string | null;
  talk: string | null;
  /** Every other field as it came (numbers, instants, text), in the table's column order. */
  figures: Record<string, string | number | boolean | null>;
}

export interface ReportData {
  eventId: string;
  eventName: string;
  exportedAt: string;
  stages: ReportStage[];
  polls: PollResult[];
  clouds: CloudSummary[];
  posts: PostSummary[];
  /** Totals per stage and emoji. */
  reactions: Array<{ stageId: string; emoji: string; count: number }>;
  timeline: ReactionMinute[];
  /** `null`: the export has no such table (not recorded yet). */
  presence: PresenceSample[] | null;
  activity: ActivityMinute[] | null;
  summary: SummaryRow[] | null;
  /** The talks' feedback surveys (issue 12); empty when the export has none or no such table. */
  surveys: SurveyReport[];
}

export class ReportFormatError extends Error {}

type Row = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));
const optStr = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : 0);
const optNum = (v: unknown): number | null => (v == null || v === '' ? null : Number.isFinite(num(v)) ? num(v) : null);

function rows(doc: Row, table: string): Row[] | null {
  const value = doc[table];
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw new ReportFormatError(`${table}: not a list`);
  return value.filter((r): r is Row => typeof r === 'object' && r !== null);
}

/** Reads the export document; throws {@link ReportFormatError} when it is not one. */
export function parseExport(json: unknown): ReportData {
  if (typeof json !== 'object' || json === null) throw new ReportFormatError('not a JSON object');
  const doc = json as Row;
  if (typeof doc.schema !== 'string' || !doc.schema.startsWith('plenum-export/')) throw new ReportFormatError(`unknown schema: ${str(doc.schema)}`);
  const event = (doc.event ?? {}) as Row;
  const stages: ReportStage[] = (Array.isArray(doc.stages) ? (doc.stages as Row[]) : []).map((s) => ({
    id: str(s.id),
    name: str(s.name),
    code: str(s.code),
    talks: (Array.isArray(s.talks) ? (s.talks as Row[]) : []).map((t) => ({
      id: str(t.id),
      title: str(t.title),
      speakers: str(t.speakers),
      startsAt: str(t.startsAt),
      endsAt: str(t.endsAt),
      stageId: str(s.id),
    })),
  }));
  return {
    eventId: str(event.id),
    eventName: str(event.name),
    exportedAt: str(doc.exportedAt),
    stages,
    polls: groupPolls(rows(doc, 'polls') ?? []),
    surveys: groupSurveys(rows(doc, 'survey') ?? []),
    clouds: groupClouds(rows(doc, 'words') ?? []),
    posts: (rows(doc, 'posts') ?? []).map((r) => ({ postId: str(r.postId), kind: str(r.postKind), stageId: str(r.stageId), talkId: optStr(r.talkId), upvotes: num(r.upvotes), text: str(r.text), state: str(r.state), answered: r.answered === true, pollId: optStr(r.pollId) })),
    reactions: (rows(doc, 'reactions') ?? []).map((r) => ({ stageId: str(r.stageId), emoji: str(r.emoji), count: num(r.count) })),
    timeline: (rows(doc, 'timeline') ?? []).map((r) => ({ stageId: str(r.stageId), talkId: optStr(r.talkId), minute: str(r.minute), emoji: str(r.emoji), count: num(r.count) })),
    presence: mapOrNull(rows(doc, 'presence'), (r) => ({
      stageId: str(r.stageId),
      talkId: optStr(r.talkId),
      time: Date.parse(str(r.at)),
      viewers: num(r.viewers),
      hall: num(r.viewersHall),
      stream: num(r.viewersStream),
      other: num(r.viewersOther),
      moderators: num(r.moderators),
      presenters: num(r.presenters),
    }))?.filter((p) => Number.isFinite(p.time)) ?? null,
    activity: mapOrNull(rows(doc, 'activity'), (r) => ({
      stageId: str(r.stageId),
      talkId: optStr(r.talkId),
      minute: str(r.minute),
      ...countsFrom(r),
    })),
    summary: mapOrNull(rows(doc, 'summary'), (r) => {
      const figures: SummaryRow['figures'] = {};
      for (const [key, value] of Object.entries(r)) {
        if ((CONTEXT_COLUMNS as readonly string[]).includes(key) || key === 'scope') continue;
        figures[key] = typeof value === 'object' ? (value === null ? null : JSON.stringify(value)) : (value as string | number | boolean);
      }
      return { scope: scopeOf(r), stageId: optStr(r.stageId), stage: optStr(r.stage), talkId: optStr(r.talkId), talk: optStr(r.talk), figures };
    }),
  };
}

/** The row's `scope`; from its context columns when missing or unknown. */
function scopeOf(r: Row): SummaryScope {
  if (r.scope === 'talk' || r.scope === 'stage' || r.scope === 'event') return r.scope;
  return optStr(r.talkId) ? 'talk' : optStr(r.stageId) ? 'stage' : 'event';
}

/** The summary's figure columns: the known ones in their order, then any a newer server adds. */
export function summaryColumns(rows: readonly SummaryRow[]): string[] {
  const present = new Set(rows.flatMap((r) => Object.keys(r.figures)));
  const known = SUMMARY_COLUMNS.filter((c) => present.has(c));
  return [...known, ...[...present].filter((c) => !(SUMMARY_COLUMNS as readonly string[]).includes(c))];
}

function mapOrNull<T>(list: Row[] | null, f: (r: Row) => T): T[] | null {
  return list === null ? null : list.map(f);
}

function countsFrom(r: Row): Counts {
  const counts = zeroCounts();
  for (const kind of INTERACTION_KINDS) counts[kind] = num(r[kind]);
  return counts;
}

export function zeroCounts(): Counts {
  return { votes: 0, words: 0, questions: 0, upvotes: 0, comments: 0, feedback: 0, reactions: 0, answers: 0 };
}

/** The polls table has one row per option: one result per poll, options in export order. */
function groupPolls(list: Row[]): PollResult[] {
  const byId = new Map<string, PollResult>();
  for (const r of list) {
    const id = str(r.pollId);
    let poll = byId.get(id);
    if (!poll) {
      poll = { pollId: id, question: str(r.question), kind: str(r.pollKind), state: str(r.state), stageId: str(r.stageId), talkId: optStr(r.talkId), voters: num(r.voters), mean: optNum(r.mean), options: [] };
      byId.set(id, poll);
    }
    const option: PollOptionResult = { key: str(r.optionKey), label: str(r.option), count: num(r.count), share: optNum(r.share) };
    if (str(r.pollKind) === 'ranking') {
      option.meanRank = optNum(r.mean);
      option.positions = optStr(r.positions)?.split('|').map(Number) ?? [];
    }
    poll.options.push(option);
  }
  return [...byId.values()];
}

/** The words table has one row per word: one summary per cloud. */
function groupClouds(list: Row[]): CloudSummary[] {
  const byId = new Map<string, CloudSummary>();
  for (const r of list) {
    const id = str(r.cloudId);
    let cloud = byId.get(id);
    if (!cloud) {
      cloud = { cloudId: id, prompt: str(r.prompt), stageId: str(r.stageId), talkId: optStr(r.talkId), contributors: num(r.contributors), entries: num(r.entries), words: [] };
      byId.set(id, cloud);
    }
    if (r.key != null && r.key !== '') cloud.words.push({ text: str(r.text), count: num(r.count), hidden: r.hidden === true });
  }
  return [...byId.values()];
}

// ---- what the charts show ----

/** The report for the whole event (`null`) or one talk: every row attributed to another talk is left out. */
export function forTalk(data: ReportData, talkId: string | null): ReportData {
  // The whole event: the summary's event and stage rows (its per-talk rows belong to each talk's view).
  if (talkId === null) return { ...data, summary: data.summary && data.summary.filter((r) => r.scope !== 'talk') };
  const stageId = data.stages.find((s) => s.talks.some((t) => t.id === talkId))?.id ?? null;
  const keep = <T extends { talkId: string | null }>(list: T[]) => list.filter((r) => r.talkId === talkId);
  return {
    ...data,
    stages: data.stages.filter((s) => s.id === stageId),
    polls: keep(data.polls),
    surveys: keep(data.surveys),
    clouds: keep(data.clouds),
    posts: keep(data.posts),
    // Reaction totals name no talk: per talk they come from the per-minute timeline.
    reactions: [],
    timeline: keep(data.timeline),
    presence: data.presence && keep(data.presence),
    activity: data.activity && keep(data.activity),
    summary: data.summary && data.summary.filter((r) => r.scope === 'talk' && r.talkId === talkId),
  };
}

/** Interactions by kind, from the activity table when recorded, else counted from the items. */
export function interactionsByKind(data: ReportData, talkScoped = false): Counts {
  const totals = zeroCounts();
  if (data.activity && data.activity.length > 0) {
    for (const row of data.activity) for (const kind of INTERACTION_KINDS) totals[kind] += row[kind];
    return totals;
  }
  for (const poll of data.polls) totals.votes += poll.voters;
  for (const cloud of data.clouds) totals.words += cloud.entries;
  for (const post of data.posts) {
    if (post.kind === 'question') totals.questions++;
    else if (post.kind === 'comment') totals.comments++;
    else if (post.kind === 'feedback') totals.feedback++;
    else if (post.kind === 'answer') totals.answers++;
    totals.upvotes += post.upvotes;
  }
  totals.reactions = talkScoped || data.reactions.length === 0 ? sum(data.timeline.map((m) => m.count)) : sum(data.reactions.map((r) => r.count));
  return totals;
}

export interface TalkParticipation {
  talkId: string | null;
  title: string | null;
  stageName: string;
  counts: Counts;
  total: number;
}

/** Interactions per talk of the programme (talks in programme order; then what ran outside any talk). */
export function participationPerTalk(data: ReportData): TalkParticipation[] {
  const result: TalkParticipation[] = [];
  for (const stage of data.stages) {
    const ids: Array<string | null> = [...[...stage.talks].sort((a, b) => a.startsAt.localeCompare(b.startsAt)).map((t) => t.id), null];
    for (const talkId of ids) {
      const inStage = <T extends { stageId: string; talkId: string | null }>(list: T[]) => list.filter((r) => r.stageId === stage.id && r.talkId === talkId);
      const part: ReportData = {
        ...data,
        polls: inStage(data.polls),
        clouds: inStage(data.clouds),
        posts: inStage(data.posts),
        reactions: [],
        timeline: inStage(data.timeline),
        activity: data.activity && inStage(data.activity),
      };
      const counts = interactionsByKind(part, true);
      const total = sum(INTERACTION_KINDS.map((k) => counts[k]));
      const title = talkId === null ? null : (stage.talks.find((t) => t.id === talkId)?.title ?? talkId);
      // The stretch outside any talk only shows when something happened there.
      if (talkId === null && total === 0) continue;
      result.push({ talkId, title, stageName: stage.name, counts, total });
    }
  }
  return result;
}

export interface ViewerSeries {
  stageId: string;
  stageName: string;
  samples: PresenceSample[];
  /** Whether hall/stream figures were recorded (any sample has a non-zero split). */
  split: boolean;
  peak: { viewers: number; time: number } | null;
}

/** Concurrent viewers per stage over time with the peak (the first sample at the maximum). */
export function viewerSeries(data: ReportData): ViewerSeries[] | null {
  if (data.presence === null) return null;
  return data.stages
    .map((stage) => {
      const samples = data.presence!.filter((p) => p.stageId === stage.id).sort((a, b) => a.time - b.time);
      let peak: ViewerSeries['peak'] = null;
      for (const s of samples) if (!peak || s.viewers > peak.viewers) peak = { viewers: s.viewers, time: s.time };
      return { stageId: stage.id, stageName: stage.name, samples, split: samples.some((s) => s.hall > 0 || s.stream > 0), peak };
    })
    .filter((s) => s.samples.length > 0);
}

/** The most frequent words a cloud shows (hidden ones left out), most frequent first. */
export function topWords(cloud: CloudSummary, limit = 10): Array<{ text: string; count: number }> {
  return cloud.words
    .filter((w) => !w.hidden)
    .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
    .slice(0, limit)
    .map(({ text, count }) => ({ text, count }));
}

/** The published questions with the most upvotes. */
export function topQuestions(data: ReportData, limit = 10): PostSummary[] {
  return data.posts
    .filter((p) => p.kind === 'question' && p.state === 'published')
    .sort((a, b) => b.upvotes - a.upvotes)
    .slice(0, limit);
}

/** Every talk of the event, for the selector: stage by stage, in programme order. */
export function talksOf(data: ReportData): ReportTalk[] {
  return data.stages.flatMap((s) => [...s.talks].sort((a, b) => a.startsAt.localeCompare(b.startsAt)));
}

/** The tables this export holds (for the CSV downloads, one file per table). */
export function tablesIn(json: unknown): string[] {
  if (typeof json !== 'object' || json === null) return [];
  return TABLES.filter((t) => Array.isArray((json as Row)[t]));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
