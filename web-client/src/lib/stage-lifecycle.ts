import type { StageClouds } from './cloud-store';
import type { StagePolls } from './poll-store';
import type { OrderMessage, RemovedMessage } from './protocol';

/**
 * A `removed` push (docs/protocol.md): drops the poll or cloud from the stage's store. Returns
 * what was dropped (its question or prompt, for an announcement), or null for an id this client
 * did not know (a draft a viewer never saw), which is ignored.
 */
export function applyRemoved(message: RemovedMessage, polls: StagePolls, clouds: StageClouds): { kind: 'poll' | 'cloud'; text: string } | null {
  if (message.kind === 'poll') {
    const entry = polls.get(message.id);
    return entry && polls.remove(message.id) ? { kind: 'poll', text: entry.poll.question } : null;
  }
  if (message.kind === 'cloud') {
    const entry = clouds.get(message.id);
    return entry && clouds.remove(message.id) ? { kind: 'cloud', text: entry.cloud.prompt } : null;
  }
  return null; // a kind this client does not know yet
}

/** An `order` push: the stage's lists follow the organiser's order from now on. */
export function applyOrder(message: OrderMessage, polls: StagePolls, clouds: StageClouds): void {
  if (Array.isArray(message.polls)) polls.setOrder(message.polls);
  if (Array.isArray(message.clouds)) clouds.setOrder(message.clouds);
}
