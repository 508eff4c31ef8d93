// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ActionError } from '../src/lib/connection';
import type { Survey, SurveyAnswer } from '../src/lib/survey';
import { missingRequired } from '../src/lib/survey';
import { FeedbackArea, ViewerSurveyCard } from '../src/ui/viewer-survey';

const settle = () => new Promise((r) => setTimeout(r, 0));
const survey: Survey = {
  stageId: 'st1',
  talkId: 'tk1',
  state: 'open',
  questions: [
    { id: 'q1', kind: 'rating', text: 'Wie war es?', required: true, scale: 5 },
    { id: 'q2', kind: 'multiple', text: 'Was war gut?', required: false, options: [{ id: 'a', label: 'Inhalt' }, { id: 'b', label: 'Folien' }], maxSelections: 2 },
    { id: 'q3', kind: 'text', text: 'Was ändern?', required: false, maxLength: 50 },
  ],
};

describe('the viewer’s feedback survey (issue 12)', () => {
  it('names the unanswered required questions', () => {
    expect(missingRequired(survey, {})).toEqual(['q1']);
    expect(missingRequired(survey, { q1: { rating: 3 } })).toEqual([]);
  });

  it('collects the answers, refuses a missing required one on the page, and names server refusals', async () => {
    const sent: Array<Record<string, SurveyAnswer>> = [];
    let refuse = false;
    const card = new ViewerSurveyCard(survey, 'Eröffnung', async (answers) => {
      sent.push(answers);
      if (refuse) throw new ActionError('survey_not_open', 'closed', 's1');
    });
    document.body.replaceChildren(card.el);
    const form = card.el.querySelector('form')!;
    expect(card.el.querySelectorAll('fieldset legend').length).toBe(2);
    expect(card.el.querySelector('label[for="survey-tk1-q3-text"]')).not.toBeNull();
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(sent).toEqual([]);
    expect(card.el.querySelector('[role=status]')!.textContent).not.toBe('');
    (card.el.querySelector('#survey-tk1-q1-4') as HTMLInputElement).checked = true;
    (card.el.querySelector('#survey-tk1-q2-a') as HTMLInputElement).checked = true;
    (card.el.querySelector('#survey-tk1-q2-b') as HTMLInputElement).checked = true;
    (card.el.querySelector('textarea') as HTMLTextAreaElement).value = '  Mehr Pausen ';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(sent).toEqual([{ q1: { rating: 4 }, q2: { choices: ['a', 'b'] }, q3: { text: 'Mehr Pausen' } }]);
    expect(card.hasSent).toBe(true);
    const afterFirst = card.el.querySelector('[role=status]')!.textContent;
    refuse = true;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(card.el.querySelector('[role=status]')!.textContent).not.toBe(afterFirst);
  });

  it('shows only an open survey of the current talk', async () => {
    const now = Date.now();
    const talks = [{ id: 'tk1', title: 'Eröffnung', startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 60_000).toISOString() }];
    let state: Survey['state'] = 'draft';
    const area = new FeedbackArea(async () => ({ ...survey, state }), async () => undefined, (t) => t[0] ?? null);
    area.update('st1', talks);
    await settle();
    expect(area.el.children.length).toBe(0);
    state = 'open';
    area.refresh();
    await settle();
    expect(area.el.querySelector('.survey-card')).not.toBeNull();
    area.update('st1', []);
    await settle();
    expect(area.el.children.length).toBe(0);
  });
});
