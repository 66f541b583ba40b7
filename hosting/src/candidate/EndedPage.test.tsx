import { render, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { createCandidateI18n } from '../i18n/candidate';
import { EndedPage } from './EndedPage';

function renderIn(language: string, page: ReactElement) {
  return render(<I18nextProvider i18n={createCandidateI18n(language)}>{page}</I18nextProvider>);
}

describe('the page after the candidate left', () => {
  it('states the grace period the api returned', () => {
    renderIn('en', <EndedPage by="candidate" graceSeconds={45} onRejoin={() => undefined} />);
    expect(screen.getByText(/rejoin within 45 seconds/)).toBeTruthy();
    expect(screen.queryByText(/few minutes/)).toBeNull();
  });

  it('states it in the interview language too', () => {
    renderIn('de', <EndedPage by="candidate" graceSeconds={90} onRejoin={() => undefined} />);
    expect(screen.getByText(/innerhalb von 90 Sekunden/)).toBeTruthy();
  });

  it('promises no number it was not given', () => {
    renderIn('en', <EndedPage by="candidate" />);
    expect(screen.getByText(/If you left by mistake/).textContent).not.toMatch(/\d/);
  });
});
