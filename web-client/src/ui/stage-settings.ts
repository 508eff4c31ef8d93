import { ApiError } from '../lib/api';
import type { MessageKey } from '../lib/i18n';
import { DEFAULT_SETTINGS, type Stage, type StageSettings } from '../lib/protocol';
import { h, setText, uniqueId } from './dom';

const FIELDS: Array<{ key: keyof StageSettings; label: MessageKey; hint: MessageKey }> = [
  { key: 'anonymousQuestions', label: 'settings.anonymous', hint: 'settings.anonymousHint' },
  { key: 'questionModeration', label: 'settings.questionModeration', hint: 'settings.questionModerationHint' },
  { key: 'commentModeration', label: 'settings.commentModeration', hint: 'settings.commentModerationHint' },
];

/**
 * The stage's settings as checkboxes; each change is saved at once (PATCH …/settings) and said
 * in the status line; a failure puts the box back. `set` applies a `stage` push.
 */
export class StageSettingsForm {
  readonly el: HTMLElement;
  private readonly boxes = new Map<keyof StageSettings, HTMLInputElement>();
  private readonly status: HTMLElement;
  private settings: StageSettings;

  constructor(
    stage: Stage,
    private readonly save: (change: Partial<StageSettings>) => Promise<Stage>,
  ) {
    this.settings = stage.settings ?? DEFAULT_SETTINGS;
    const id = uniqueId(`settings-${stage.id}`);
    this.status = h('p', { class: 'settings-status', role: 'status' });
    this.el = h(
      'fieldset',
      { class: 'stage-settings' },
      h('legend', { class: 'sr-only', i18n: 'settings.legend', i18nParams: { stage: stage.name } }),
      ...FIELDS.map(({ key, label, hint }) => {
        const box = h('input', { type: 'checkbox', id: `${id}-${key}`, 'aria-describedby': `${id}-${key}-hint`, on: { change: () => this.change(key) } });
        this.boxes.set(key, box);
        return h('div', { class: 'setting' }, h('div', { class: 'check' }, box, h('label', { htmlFor: box.id, i18n: label })), h('p', { class: 'hint', id: `${id}-${key}-hint`, i18n: hint }));
      }),
      this.status,
    );
    this.render();
  }

  /** The stage changed elsewhere (a `stage` push or another moderator). */
  set(settings: StageSettings | undefined): void {
    this.settings = settings ?? DEFAULT_SETTINGS;
    this.render();
  }

  private render(): void {
    for (const [key, box] of this.boxes) box.checked = this.settings[key];
  }

  private change(key: keyof StageSettings): void {
    const box = this.boxes.get(key)!;
    const value = box.checked;
    box.setAttribute('aria-disabled', 'true');
    setText(this.status, 'settings.saving');
    this.save({ [key]: value }).then(
      (stage) => {
        this.set(stage.settings);
        setText(this.status, 'settings.saved');
      },
      (error: unknown) => {
        box.checked = !value;
        setText(this.status, 'common.failed', { detail: error instanceof ApiError ? error.message : String(error) });
      },
    ).finally(() => box.removeAttribute('aria-disabled'));
  }
}
