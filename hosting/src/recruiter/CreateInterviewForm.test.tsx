import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, parseApiError } from '../api';
import type { CreatedInterview, CreateInterviewRequest } from '../types';
import { CreateInterviewForm } from './CreateInterviewForm';

const JD = 'We need a backend engineer with Python, Go and Postgres experience.';

async function fillValid() {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Name'), 'Ada Lovelace');
  await user.type(screen.getByLabelText('Email'), 'ada@example.com');
  await user.type(screen.getByLabelText('Role'), 'Backend engineer');
  // Typing 60+ characters one by one is slow; set the textarea directly.
  fireEvent.change(screen.getByLabelText('Job description'), { target: { value: JD } });
  await user.selectOptions(screen.getByLabelText('Interview language'), 'fr');
  await user.clear(screen.getByLabelText('Duration (minutes)'));
  await user.type(screen.getByLabelText('Duration (minutes)'), '25');
  return user;
}

function setup(submit = vi.fn<(r: CreateInterviewRequest) => Promise<CreatedInterview>>()) {
  const onCreated = vi.fn();
  render(<CreateInterviewForm submit={submit} onCreated={onCreated} />);
  return { submit, onCreated };
}

describe('CreateInterviewForm', () => {
  it('shows field errors and does not submit an empty form', async () => {
    const { submit } = setup();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Create interview' }));
    expect(submit).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(/email address/);
    expect(screen.getByLabelText('Job description')).toHaveAccessibleDescription(/at least 30 characters/);
    expect(screen.getByLabelText('Duration (minutes)')).not.toHaveAttribute('aria-invalid');
  });

  it('counts job description characters against the 20000 limit', () => {
    setup();
    fireEvent.change(screen.getByLabelText('Job description'), { target: { value: '  hello  ' } });
    expect(screen.getByText('5 / 20,000')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Job description'), { target: { value: 'x'.repeat(20_001) } });
    expect(screen.getByText('20,001 / 20,000')).toHaveClass('counter--over');
  });

  it('submits the trimmed request and reports the result', async () => {
    const created = { id: 'i1', invite_url: 'http://h/i/i1#s', skills: [] };
    const { submit, onCreated } = setup(vi.fn(async () => created));
    const user = await fillValid();
    await user.click(screen.getByRole('button', { name: 'Create interview' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(submit).toHaveBeenCalledWith({
      candidate: { name: 'Ada Lovelace', email: 'ada@example.com' },
      role: 'Backend engineer',
      job_description: JD,
      language: 'fr',
      duration_minutes: 25,
    });
    expect(onCreated).toHaveBeenCalledWith(created, expect.objectContaining({ role: 'Backend engineer' }));
  });

  it('shows an API error with a field at that field', async () => {
    const { onCreated } = setup(
      vi.fn(async () => {
        throw new ApiError(422, 'invalid_field', 'candidate.email: the email domain does not accept mail', 'candidate.email');
      }),
    );
    const user = await fillValid();
    await user.click(screen.getByRole('button', { name: 'Create interview' }));
    const email = screen.getByLabelText('Email');
    await waitFor(() => expect(email).toHaveAttribute('aria-invalid', 'true'));
    expect(email).toHaveAccessibleDescription('Only used to identify the candidate in your list. The email domain does not accept mail');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(onCreated).not.toHaveBeenCalled();
    // Editing the field clears its error.
    await user.type(email, 'x');
    expect(email).not.toHaveAttribute('aria-invalid');
  });

  it('shows an API error without a field as a banner', async () => {
    setup(
      vi.fn(async () => {
        throw new ApiError(503, 'upstream_unavailable', 'Skill extraction is unavailable, try again');
      }),
    );
    const user = await fillValid();
    await user.click(screen.getByRole('button', { name: 'Create interview' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Skill extraction is unavailable, try again');
    expect(screen.getByLabelText('Email')).not.toHaveAttribute('aria-invalid');
  });

  it("says clearly when the team's daily limit of interviews is reached, and until when", async () => {
    const { onCreated } = setup(
      vi.fn(async () => {
        throw parseApiError(
          429,
          JSON.stringify({
            error: {
              code: 'quota_exceeded',
              message: 'quota exceeded',
              limit: 'interviews_per_day',
              max: 50,
              resets_at: new Date(Date.now() + 3 * 3600_000).toISOString(),
            },
          }),
          '10800',
        );
      }),
    );
    const user = await fillValid();
    await user.click(screen.getByRole('button', { name: 'Create interview' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /^The team.s daily limit of 50 interviews is reached; it resets at \d\d:\d\d\./,
    );
    expect(onCreated).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Create interview' })).toBeEnabled();
  });
});
