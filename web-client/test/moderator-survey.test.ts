// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/lib/api';
import type { NewSurveyQuestion, Survey, SurveyResults } from '../src/lib/survey';
import { ModeratorSurveys } from '../src/ui/moderator-survey';

const settle = () => new Promise((r) => setTimeout(r, 0));
const talk = { id: 'tk1', stageId: 'st1', title: 'Eröffnung', speakers: '', startsAt: '2026-12-06T09:00:00Z', endsAt: '2026-12-06T10:00:00Z' } as never;

function surveyOf(questions: NewSurveyQuestion[], state: Survey['state']): Survey {
  return {
    stageId: 'st1',
    talkId: 'tk1',
    state,
    questions: questions.map((q, i) => ({
      id: `q${i + 1}`,
      kind: q.kind,
      text: q.text,
      required: q.required,
      scale: q.scale,
      options: q.options?.map((label, j) => ({ id: String.fromCharCode(97 + j), label })),
    })),
  };
}

describe('the moderators’ survey editor (issue 12)', () => {
  it('adds, reorders and removes questions, saves a draft, opens it and shows the results', async () => {
    const saved: NewSurveyQuestion[][] = [];
    let current: Survey | null = null;
    const results: SurveyResults = {
      talkId: 'tk1',
      version: 1,
      respondents: 2,
      questions: [
        { questionId: 'q1', kind: 'single', answered: 2, counts: { a: 2, b: 0 } },
        { questionId: 'q2', kind: 'rating', answered: 2, counts: { '1': 0, '2': 0, '3': 1, '4': 0, '5': 1 }, mean: 4 },
      ],
    };
    const surveys = new ModeratorSurveys({
      load: async () => null,
      save: async (_t, questions) => (saved.push(questions), { survey: (current = surveyOf(questions, 'draft')), results: { ...results, respondents: 0 } }),
      command: async (_t, command) => {
        if (command === 'open') current = { ...current!, state: 'open' };
        return { survey: current!, results };
      },
      announce: () => undefined,
    });
    document.body.replaceChildren(surveys.el);
    surveys.update([talk]);
    const card = surveys.el.querySelector('details')!;
    card.open = true;
    card.dispatchEvent(new Event('toggle'));
    await settle();
    const kind = card.querySelector('#msurvey-tk1-add-kind') as HTMLSelectElement;
    const click = (label: string) => [...card.querySelectorAll('button')].find((b) => b.textContent === label)!.click();
    const type = (id: string, value: string) => {
      const el = card.querySelector(`#${id}`) as HTMLInputElement;
      el.value = value;
      el.dispatchEvent(new Event('input'));
    };

    kind.value = 'rating';
    click('Frage hinzufügen');
    type('msurvey-tk1-0-text', 'Wie war es?');
    (card.querySelector('#msurvey-tk1-0-required') as HTMLInputElement).click();
    kind.value = 'single';
    click('Frage hinzufügen');
    type('msurvey-tk1-1-text', 'Nützlich?');
    type('msurvey-tk1-1-options', 'Ja\nNein\n');
    kind.value = 'text';
    click('Frage hinzufügen');
    type('msurvey-tk1-2-text', 'weg');
    (card.querySelector('#msurvey-tk1-1-up') as HTMLButtonElement).click();
    (card.querySelector('#msurvey-tk1-2-remove') as HTMLButtonElement).click();
    expect(card.querySelectorAll('fieldset legend').length).toBe(2);
    expect(card.querySelector('#msurvey-tk1-0-up')!.hasAttribute('disabled')).toBe(true);

    card.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(saved).toEqual([
      [
        { kind: 'single', text: 'Nützlich?', required: false, options: ['Ja', 'Nein'] },
        { kind: 'rating', text: 'Wie war es?', required: true, scale: 5 },
      ],
    ]);
    expect(card.querySelector('summary')!.textContent).toContain('Entwurf');
    click('Umfrage öffnen');
    await settle();
    expect(card.querySelector('summary')!.textContent).toContain('offen');
    const text = card.querySelector('.survey-results')!.textContent!;
    expect(text).toContain('Antworten: 2');
    expect(text).toContain('Mittelwert 4.0 von 5');
    expect(card.querySelectorAll('.survey-result-table tbody tr').length).toBe(2 + 5);
  });

  it('names a refusal and keeps the form', async () => {
    const surveys = new ModeratorSurveys({
      load: async () => null,
      save: async () => Promise.reject(new ApiError(409, 'invalid_state', 'has responses')),
      command: async () => Promise.reject(new ApiError(404, 'unknown_survey', 'none')),
      announce: () => undefined,
    });
    surveys.update([talk]);
    const card = surveys.el.querySelector('details')!;
    card.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(card.querySelector('[role=status]')!.textContent).toContain('mindestens eine Frage');
    [...card.querySelectorAll('button')].find((b) => b.textContent === 'Frage hinzufügen')!.click();
    const el = card.querySelector('#msurvey-tk1-0-text') as HTMLInputElement;
    el.value = 'X';
    el.dispatchEvent(new Event('input'));
    card.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(card.querySelector('[role=status]')!.textContent).toContain('schon Antworten');
  });
});
