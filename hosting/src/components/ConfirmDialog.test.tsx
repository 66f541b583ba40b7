import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmDialog } from './ConfirmDialog';

describe('ConfirmDialog', () => {
  it('focuses the safe choice and cancels on Escape', async () => {
    const onCancel = vi.fn();
    render(
      <ConfirmDialog title="Delete?" confirmLabel="Delete" onConfirm={vi.fn()} onCancel={onCancel} danger>
        <p>Gone for good.</p>
      </ConfirmDialog>,
    );
    const dialog = screen.getByRole('alertdialog', { name: 'Delete?' });
    expect(dialog).toHaveAccessibleDescription('Gone for good.');
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await userEvent.setup().keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalled();
  });

  it('keeps Tab inside the dialog', async () => {
    render(
      <ConfirmDialog title="Leave?" confirmLabel="Leave" onConfirm={vi.fn()} onCancel={vi.fn()}>
        <p>Sure?</p>
      </ConfirmDialog>,
    );
    const user = userEvent.setup();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Leave' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
  });

  it('shows the error of a failed confirmation and stays open', async () => {
    const onConfirm = vi.fn(async () => {
      throw new Error('an interview that is evaluated cannot become cancelled');
    });
    render(
      <ConfirmDialog title="Cancel?" confirmLabel="Cancel interview" onConfirm={onConfirm} onCancel={vi.fn()}>
        <p>Stops the link.</p>
      </ConfirmDialog>,
    );
    await userEvent.setup().click(screen.getByRole('button', { name: 'Cancel interview' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('cannot become cancelled');
    expect(screen.getByRole('button', { name: 'Cancel interview' })).toBeEnabled();
  });
});
