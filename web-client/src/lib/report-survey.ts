/**
 * The export's `survey` table (issue 12) as the report reads it: one row per rating value or choice
 * option of each question, one per open-text answer; grouped here into one result per talk survey,
 * its questions in export order.
 */
export interface SurveyQuestionResult {
  questionId: string;
  text: string;
  kind: string;
  answered: number;
  mean: number | null;
  options: Array<{ key: string; label: string; count: number; share: number | null }>;
  texts: string[];
}

export interface SurveyReport {
  stageId: string;
  talkId: string | null;
  talk: string;
  state: string;
  responses: number;
  questions: SurveyQuestionResult[];
}

type Row = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number.isFinite(Number(v)) && v !== '' && v != null ? Number(v) : 0);
const optNum = (v: unknown): number | null => (v == null || v === '' ? null : num(v));

export function groupSurveys(list: readonly Row[]): SurveyReport[] {
  const bySurvey = new Map<string, SurveyReport>();
  for (const r of list) {
    const key = `${str(r.stageId)}/${str(r.talkId)}`;
    let survey = bySurvey.get(key);
    if (!survey) {
      survey = { stageId: str(r.stageId), talkId: str(r.talkId) || null, talk: str(r.talk), state: str(r.surveyState), responses: num(r.responses), questions: [] };
      bySurvey.set(key, survey);
    }
    const id = str(r.questionId);
    let q = survey.questions.find((x) => x.questionId === id);
    if (!q) {
      q = { questionId: id, text: str(r.question), kind: str(r.questionKind), answered: num(r.answered), mean: optNum(r.mean), options: [], texts: [] };
      survey.questions.push(q);
    }
    if (q.kind === 'text') {
      if (typeof r.text === 'string' && r.text !== '') q.texts.push(r.text);
    } else {
      q.options.push({ key: str(r.optionKey), label: str(r.option), count: num(r.count), share: optNum(r.share) });
    }
  }
  return [...bySurvey.values()];
}
