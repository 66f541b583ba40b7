import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EndedPage } from './EndedPage';

describe('the page after the candidate left', () => {
  it('states the grace period the api returned', () => {
    render(<EndedPage by="candidate" graceSeconds={45} onRejoin={() => undefined} />);
    expect(screen.getByText(/rejoin within 45 seconds/)).toBeTruthy();
    expect(screen.queryByText(/few minutes/)).toBeNull();
  });

  it('promises no number it was not given', () => {
    render(<EndedPage by="candidate" />);
    expect(screen.getByText(/If you left by mistake/).textContent).not.toMatch(/\d/);
  });
});
