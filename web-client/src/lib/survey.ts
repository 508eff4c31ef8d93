/** A talk's feedback survey as the REST API shows it (issue 12; docs/rest.md#feedback-surveys). */
export interface SurveyQuestion {
  id: string;
  kind: 'rating' | 'single' | 'multiple' | 'text';
  text: string;
  required: boolean;
  scale?: number;
  options?: Array<{ id: string; label: string }>;
  maxSelections?: number;
  maxLength?: number;
}

export interface Survey {
  stageId: string;
  talkId: string;
  state: 'draft' | 'open' | 'closed';
  questions: SurveyQuestion[];
}

export interface SurveyAnswer {
  rating?: number;
  choices?: string[];
  text?: string;
}

/** The `survey` client message (docs/protocol.md). */
export interface SurveyAction {
  type: 'survey';
  talkId: string;
  answers: Record<string, SurveyAnswer>;
}

/** Which required questions are unanswered: checked on the page before sending (the server checks again). */
export function missingRequired(survey: Survey, answers: Record<string, SurveyAnswer>): string[] {
  return survey.questions
    .filter((q) => q.required)
    .filter((q) => {
      const a = answers[q.id];
      return !a || (a.rating === undefined && !(a.choices && a.choices.length) && !(a.text && a.text.trim()));
    })
    .map((q) => q.id);
}

/** A question as `PUT …/survey` takes it (options are labels; the server numbers them a, b, …). */
export interface NewSurveyQuestion {
  kind: SurveyQuestion['kind'];
  text: string;
  required: boolean;
  scale?: number;
  options?: string[];
}

/** The moderators' results of a survey (docs/rest.md#feedback-surveys). */
export interface SurveyResults {
  talkId: string;
  version: number;
  respondents: number;
  questions: Array<{ questionId: string; kind: SurveyQuestion['kind']; answered: number; counts?: Record<string, number>; mean?: number; texts?: string[] }>;
}
