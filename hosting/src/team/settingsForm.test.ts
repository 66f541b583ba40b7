import { describe, expect, it } from 'vitest';
import { parseDomains, settingsFieldForApiError, toPatch, toValues, validateSettings, type SettingsValues } from './settingsForm';

const SETTINGS = {
  allowed_domains: ['example.com'],
  allow_domain_join: false,
  quotas: { interviews_per_day: 50, live_interviews: 5, evaluations_per_day: 100, model_minutes_per_month: 3000 },
  retention_days: 90,
};

function values(overrides: Partial<SettingsValues> = {}): SettingsValues {
  return { ...toValues(SETTINGS), ...overrides };
}

describe('settings form', () => {
  it('round-trips the settings', () => {
    expect(toPatch(values())).toEqual(SETTINGS);
    expect(validateSettings(values())).toEqual({});
  });

  it('reads domains one per line, or separated by commas and spaces; lower-cased, without "@", once', () => {
    expect(parseDomains(' Example.com,\n@acme.co.uk  example.com;beta.io.\n\n')).toEqual(['example.com', 'acme.co.uk', 'beta.io']);
  });

  it.each([
    ['ada@example.com', /ada@example\.com/],
    ['localhost', /localhost/],
    ['exa_mple.com', /exa_mple\.com/],
    ['-bad.com', /-bad\.com/],
  ])('refuses %s as a domain', (domain, named) => {
    const errors = validateSettings(values({ domains: `good.com\n${domain}` }));
    expect(errors.allowed_domains).toMatch(named);
    expect(errors.allowed_domains).not.toMatch(/good\.com/);
  });

  it('accepts at most 20 domains', () => {
    const many = Array.from({ length: 21 }, (_, i) => `d${i}.example.com`).join('\n');
    expect(validateSettings(values({ domains: many })).allowed_domains).toBe('At most 20 domains (you have 21).');
    expect(validateSettings(values({ domains: many.split('\n').slice(0, 20).join('\n') }))).toEqual({});
  });

  it('needs a domain to allow joining by domain', () => {
    expect(validateSettings(values({ domains: ' ', allowDomainJoin: true })).allow_domain_join).toMatch(/at least one domain/);
    expect(validateSettings(values({ allowDomainJoin: true }))).toEqual({});
  });

  it.each(['', '-1', '2.5', 'ten', '1000001', '1e3'])('refuses %j as a quota', (raw) => {
    const v = values();
    v.quotas = { ...v.quotas, live_interviews: raw };
    expect(validateSettings(v)).toEqual({ 'quotas.live_interviews': 'Enter a whole number from 0 to 1,000,000.' });
  });

  it('accepts 0 (stops it) and sends numbers', () => {
    const v = values();
    v.quotas = { ...v.quotas, interviews_per_day: ' 0 ' };
    expect(validateSettings(v)).toEqual({});
    expect(toPatch(v).quotas?.interviews_per_day).toBe(0);
  });

  it('shows the default retention period when the settings name none', () => {
    const { retention_days: _omitted, ...older } = SETTINGS;
    expect(toValues(older).retentionDays).toBe('180');
  });

  it.each(['', '0', '731', '2.5', 'ten', '1e2', '-5', '00000001'])('refuses %j as a retention period', (raw) => {
    expect(validateSettings(values({ retentionDays: raw }))).toEqual({
      retention_days: 'Enter a whole number of days from 1 to 730.',
    });
  });

  it.each([
    [' 1 ', 1],
    ['730', 730],
    ['0365', 365],
  ])('accepts %j days and sends %d', (raw, days) => {
    expect(validateSettings(values({ retentionDays: raw }))).toEqual({});
    expect(toPatch(values({ retentionDays: raw })).retention_days).toBe(days);
  });

  it.each([
    ['allowed_domains.3', 'allowed_domains'],
    ['body.allowed_domains[2]', 'allowed_domains'],
    ['allow_domain_join', 'allow_domain_join'],
    ['quotas.live_interviews', 'quotas.live_interviews'],
    ['settings.quotas[interviews_per_day]', 'quotas.interviews_per_day'],
    ['retention_days', 'retention_days'],
    ['body.retention_days', 'retention_days'],
    ['quotas', null],
    ['name', null],
    [undefined, null],
  ])('maps the API field %s to %s', (field, expected) => {
    expect(settingsFieldForApiError(field)).toBe(expected);
  });
});
