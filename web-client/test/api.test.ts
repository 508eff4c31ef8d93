import { describe, expect, it } from 'vitest';
import { ApiError, PlenumApi, validatePollDraft, type PollDraftInput } from '../src/lib/api';

const draft = (extra: Partial<PollDraftInput>): PollDraftInput => ({
  kind: 'single',
  question: 'Nutzen Sie die eID?',
  optionsText: 'Ja\nNein',
  maxSelections: '',
  scale: '5',
  resultsVisible: false,
  open: true,
  ...extra,
});

describe('validatePollDraft', () => {
  it('builds a NewPoll as docs/rest.md describes it', () => {
    expect(validatePollDraft(draft({ optionsText: ' Ja \n\nNein\n Weiß nicht ' })).poll).toEqual({
      kind: 'single',
      question: 'Nutzen Sie die eID?',
      options: ['Ja', 'Nein', 'Weiß nicht'],
      resultsVisible: false,
      open: true,
    });
    expect(validatePollDraft(draft({ kind: 'multiple', optionsText: 'KI\nCloud\nOZG', maxSelections: '2' })).poll).toMatchObject({ kind: 'multiple', maxSelections: 2 });
    expect(validatePollDraft(draft({ kind: 'multiple', optionsText: 'KI\nCloud' })).poll).not.toHaveProperty('maxSelections');
    expect(validatePollDraft(draft({ kind: 'rating', optionsText: 'ignored', scale: '10' })).poll).toEqual({
      kind: 'rating',
      question: 'Nutzen Sie die eID?',
      scale: 10,
      resultsVisible: false,
      open: true,
    });
  });

  it('names each broken rule', () => {
    const problems = (d: Partial<PollDraftInput>) => validatePollDraft(draft(d)).errors.map((e) => `${e.field}.${e.problem}`);
    expect(problems({ question: '  ' })).toEqual(['question.required']);
    expect(problems({ question: 'x'.repeat(301) })).toEqual(['question.tooLong']);
    expect(problems({ optionsText: 'Ja' })).toEqual(['options.tooFew']);
    expect(problems({ optionsText: Array.from({ length: 21 }, (_, i) => `o${i}`).join('\n') })).toEqual(['options.tooMany']);
    expect(problems({ optionsText: 'Ja\nJa' })).toEqual(['options.duplicate']);
    expect(problems({ optionsText: `Ja\n${'n'.repeat(121)}` })).toEqual(['options.tooLong']);
    expect(problems({ kind: 'multiple', maxSelections: '3' })).toEqual(['maxSelections.range']);
    expect(problems({ kind: 'multiple', maxSelections: '0' })).toEqual(['maxSelections.range']);
    expect(problems({ kind: 'multiple', maxSelections: '1.5' })).toEqual(['maxSelections.range']);
  });
});

describe('PlenumApi', () => {
  function fakeFetch(status: number, body: unknown) {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const fetcher = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(body === undefined ? '' : JSON.stringify(body), { status });
    }) as unknown as typeof fetch;
    return { calls, fetcher };
  }

  it('calls api/v1 next to the page with the bearer token', async () => {
    const { calls, fetcher } = fakeFetch(201, { poll: { id: 'pl1' }, results: null });
    const api = new PlenumApi('http://127.0.0.1:8080/moderator.html?event=e', () => 'secret', fetcher);
    await api.createPoll('st 1', { kind: 'rating', question: 'Q', scale: 5 });
    expect(calls[0].url).toBe('http://127.0.0.1:8080/api/v1/stages/st%201/polls');
    expect(calls[0].init.method).toBe('POST');
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe('Bearer secret');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ kind: 'rating', question: 'Q', scale: 5 });
  });

  it('sends no Authorization header without a token', async () => {
    const { calls, fetcher } = fakeFetch(200, []);
    await new PlenumApi('http://h/', () => null, fetcher).listEvents();
    expect(calls[0].url).toBe('http://h/api/v1/events');
    expect(calls[0].init.headers).not.toHaveProperty('Authorization');
  });

  it('turns error bodies into ApiError', async () => {
    const { fetcher } = fakeFetch(409, { error: { code: 'invalid_state', message: 'not a draft' } });
    const error = await new PlenumApi('http://h/', () => 't', fetcher).pollCommand('s', 'p', 'open').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'invalid_state', message: 'not a draft' });
  });

  it('reports an unreachable server as status 0', async () => {
    const fetcher = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(new PlenumApi('http://h/', () => null, fetcher).listEvents()).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});
