// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { validatePollDraft } from '../src/lib/api';
import { setLanguage } from '../src/lib/i18n';
import type { Post } from '../src/lib/protocol';
import { AnswerWall, wallAnswers } from '../src/ui/answer-wall';
import { ViewerTextPollCard } from '../src/ui/viewer-answers';
import { poll } from './fixtures';

function answer(id: string, extra: Partial<Post> = {}): Post {
  return { id, stageId: 'st1', kind: 'answer', pollId: 'pt', displayName: null, text: `Antwort ${id}`, state: 'published', answered: false, pinned: false, reply: null, edited: false, createdAt: `2026-11-22T09:00:0${id.length}.000Z`, upvotes: 0, version: 1, ...extra };
}

const textPoll = poll('pt', { kind: 'text', options: [], question: 'Was nehmen Sie mit?' });

beforeEach(() => setLanguage('de'));

describe('open-text questions', () => {
  it('a text poll draft has no options', () => {
    const draft = validatePollDraft({ kind: 'text', question: ' Was nehmen Sie mit? ', optionsText: '', maxSelections: '', scale: '5', resultsVisible: false, open: true });
    expect(draft.poll).toEqual({ kind: 'text', question: 'Was nehmen Sie mit?', resultsVisible: false, open: true });
  });

  it('the wall shows the approved answers to its poll only, newest first, a bounded number', () => {
    const posts = [answer('a'), answer('bb'), answer('ccc', { state: 'pending' }), answer('dddd', { pollId: 'other' }), answer('eeeee', { kind: 'comment', pollId: undefined })];
    expect(wallAnswers(textPoll, posts).map((p) => p.id)).toEqual(['bb', 'a']);
    const wall = new AnswerWall(1, 'answer-wall-large', 'q');
    wall.update(textPoll, posts);
    expect(wall.el.querySelectorAll('.answer-wall-item')).toHaveLength(1);
    expect(wall.el.querySelector('.answer-wall-more')!.textContent).toBe('… und 1 weitere');
    wall.update(textPoll, []);
    expect((wall.el.querySelector('.answer-wall-empty') as HTMLElement).hidden).toBe(false);
  });

  it('the viewer card counts characters, refuses an empty answer and lists its own answers', async () => {
    const sent: string[] = [];
    const mine: Post[] = [];
    const card = new ViewerTextPollCard({ poll: textPoll, results: null }, {
      send: (_pollId, text) => {
        sent.push(text);
        mine.push(answer('x', { text, state: 'pending' }));
        return Promise.resolve({ type: 'ack', id: 'a1', duplicate: false, postId: 'x' });
      },
      mine: () => mine,
      settings: () => ({ anonymousQuestions: true, questionModeration: false, commentModeration: true }),
      online: () => true,
    });
    document.body.append(card.el);
    const textarea = card.el.querySelector('textarea')!;
    const form = card.el.querySelector('form')!;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(card.el.querySelector('[role=status]')!.textContent).toBe('Bitte schreiben Sie eine Antwort.');
    textarea.value = 'Offene Standards';
    textarea.dispatchEvent(new Event('input'));
    expect(card.el.querySelector('.char-count')!.textContent).toBe('16 von 500 Zeichen');
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await Promise.resolve();
    await Promise.resolve();
    expect(sent).toEqual(['Offene Standards']);
    expect(card.el.querySelector('.my-answers')!.textContent).toContain('wartet auf Freigabe');
    card.update({ poll: { ...textPoll, state: 'closed' }, results: null });
    expect(card.el.querySelector('textarea')).toBeNull();
    setLanguage('en');
    card.refresh();
    expect(card.el.querySelector('.my-answers')!.textContent).toContain('waiting for approval');
  });
});
