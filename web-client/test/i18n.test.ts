import { describe, expect, it } from 'vitest';
import { de } from '../src/i18n/de';
import { en } from '../src/i18n/en';
import { deStatement } from '../src/i18n/statement.de';
import { enStatement } from '../src/i18n/statement.en';
import { createTranslator, detectLanguage } from '../src/lib/i18n';

describe('detectLanguage', () => {
  it('is German unless the browser prefers English', () => {
    expect(detectLanguage(null, null, [])).toBe('de');
    expect(detectLanguage(null, null, ['fr-FR', 'it'])).toBe('de');
    expect(detectLanguage(null, null, ['de-AT', 'en'])).toBe('de');
    expect(detectLanguage(null, null, ['en-GB', 'de'])).toBe('en');
    expect(detectLanguage(null, null, ['fr', 'en-US', 'de'])).toBe('en');
  });

  it('follows an explicit choice: the address first, then the stored choice', () => {
    expect(detectLanguage('en', 'de', ['de'])).toBe('en');
    expect(detectLanguage(null, 'en', ['de'])).toBe('en');
    expect(detectLanguage('xx', 'de', ['en'])).toBe('de');
  });
});

describe('translator', () => {
  it('fills parameters and formats numbers per language', () => {
    expect(createTranslator('de').t('vote.hint.multiple', { max: 3 })).toBe('Wählen Sie bis zu 3 Antworten.');
    expect(createTranslator('en').t('vote.hint.multiple', { max: 3 })).toBe('Choose up to 3 answers.');
    expect(createTranslator('de').plural('results.voters', 1234)).toBe('1.234 Stimmen');
    expect(createTranslator('en').plural('results.voters', 1234)).toBe('1,234 votes');
  });

  it('chooses plural forms', () => {
    expect(createTranslator('de').plural('results.voters', 1)).toBe('1 Stimme');
    expect(createTranslator('de').plural('results.voters', 0)).toBe('0 Stimmen');
    expect(createTranslator('en').plural('results.voters', 1)).toBe('1 vote');
  });

  it('formats percents and decimals the local way', () => {
    expect(createTranslator('de').percent(64)).toBe('64\u00a0%');
    expect(createTranslator('en').percent(64)).toBe('64%');
    expect(createTranslator('de').number(3.789, 1)).toBe('3,8');
    expect(createTranslator('en').number(3.789, 1)).toBe('3.8');
  });
});

describe('dictionaries', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('have the same keys, no empty texts, and the same parameters in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(de).sort());
    for (const key of Object.keys(de) as Array<keyof typeof de>) {
      expect(de[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
      expect(placeholders(en[key]), key).toEqual(placeholders(de[key]));
      expect(en[key].split('|').length, key).toBe(de[key].split('|').length);
    }
  });

  it('the accessibility statement has the same structure in both languages', () => {
    expect(enStatement.sections.length).toBe(deStatement.sections.length);
    deStatement.sections.forEach((section, i) => {
      expect(enStatement.sections[i].paragraphs.length).toBe(section.paragraphs.length);
      expect(enStatement.sections[i].list.length).toBe(section.list.length);
    });
  });
});
