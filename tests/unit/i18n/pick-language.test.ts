// Which language a shopper sees, and the locale their dates and money follow.
import { describe, expect, it } from 'vitest';
import { directionOf, endonym, formattingLocale, languageOf } from '../../../src/server/i18n/languages.ts';
import { bestAccepted, pickLanguage } from '../../../src/server/i18n/pick-language.ts';
import { translator } from '../../../src/server/i18n/translator.ts';

describe('pickLanguage', () => {
  it('asked for, else the order’s, else the browser’s, else the store’s, else English', () => {
    expect(pickLanguage({ requested: 'fr', orderLocale: 'de-DE', storeDefault: 'it' })).toBe('fr');
    expect(pickLanguage({ requested: 'pt', orderLocale: 'de-AT', storeDefault: 'it' })).toBe('de');
    expect(pickLanguage({ orderLocale: 'pt-BR', storeDefault: 'it' })).toBe('it');
    expect(pickLanguage({ acceptLanguage: 'nl-BE,nl;q=0.9', storeDefault: 'it' })).toBe('nl');
    expect(pickLanguage({ orderLocale: 'ja-JP' })).toBe('en');
    expect(pickLanguage({ requested: '../etc', storeDefault: 'xx' })).toBe('en');
  });

  it('reads Accept-Language by quality, then order, skipping what is not supported', () => {
    expect(bestAccepted('pt-BR, fr;q=0.8, de;q=0.9')).toBe('de');
    expect(bestAccepted('es-MX, es;q=0.9, en;q=0.8')).toBe('es');
    expect(bestAccepted('ja, zh;q=0.5')).toBeNull();
    expect(bestAccepted('de;q=0, fr;q=0.1')).toBe('fr');
    expect(bestAccepted('de;q=abc, it')).toBe('it');
  });
});

describe('languages and locales', () => {
  it('maps locales onto languages, and keeps the order’s locale only in its own language', () => {
    expect(languageOf('de-CH')).toBe('de');
    expect(languageOf('EN_gb')).toBe('en');
    expect(languageOf('pt-PT')).toBeNull();
    expect(formattingLocale('en', 'en-GB')).toBe('en-GB');
    expect(formattingLocale('de', 'en-GB')).toBe('de-DE');
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('nl')).toBe('ltr');
    expect(endonym('de')).toBe('Deutsch');
    expect(endonym('fr')).toBe('Français');
  });
});

describe('translator', () => {
  it('fills placeholders in the language, and a store’s own wording wins', () => {
    expect(translator('de').t('common.footer', { store: 'Nordwind' })).toBe('Nordwind · Sendungsverfolgung von Waypost');
    const custom = translator('en', { overrides: { 'common.footer': 'Tracking for {store}' } });
    expect(custom.t('common.footer', { store: 'Nordwind' })).toBe('Tracking for Nordwind');
    expect(translator('en', { orderLocale: 'en-GB' }).locale).toBe('en-GB');
  });
});
