import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmDialog } from './ConfirmDialog';

// jsdom has no showModal()/close()/Escape handling: src/test/setup.ts stands in for the browser's.

/** An opener button and the dialog, shown while `open`, as the recruiter pages use it. */
function Harness({
  danger = true,
  onConfirm = vi.fn(),
  onCancel = vi.fn(),
}: {
  danger?: boolean;
  onConfirm?: () => unknown;
  onCancel?: () => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Delete
      </button>
      {open && (
        <ConfirmDialog
          title="Delete this interview?"
          confirmLabel="Delete for good"
          cancelLabel="Keep it"
          danger={danger}
          onCancel={() => {
            onCancel();
            setOpen(false);
          }}
          onConfirm={async () => {
            await onConfirm();
            setOpen(false);
          }}
        >
          <p>Gone for good.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

async function openDialog(props: Parameters<typeof Harness>[0] = {}) {
  const user = userEvent.setup();
  render(<Harness {...props} />);
  await user.click(screen.getByRole('button', { name: 'Delete' }));
  return user;
}

/** Lets a queued `close` event (a later task, as in browsers) arrive. */
const nextTask = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

describe('ConfirmDialog', () => {
  it('opens a modal <dialog> named by its title and described by its body, focus on the safe choice', async () => {
    const showModal = vi.spyOn(HTMLDialogElement.prototype, 'showModal');
    await openDialog();
    const dialog = screen.getByRole('alertdialog', { name: 'Delete this interview?' });
    expect(dialog.tagName).toBe('DIALOG');
    expect(showModal).toHaveBeenCalledOnce();
    expect(showModal.mock.contexts[0]).toBe(dialog);
    expect((dialog as HTMLDialogElement).open).toBe(true);
    expect(dialog).toHaveAccessibleDescription('Gone for good.');
    expect(document.body).toContainElement(dialog);
    const buttons = screen.getAllByRole('button').filter((button) => dialog.contains(button));
    expect(buttons.map((button) => button.textContent)).toEqual(['Keep it', 'Delete for good']);
    expect(screen.getByRole('button', { name: 'Keep it' })).toHaveFocus();
  });

  it('focuses the action itself when it is not destructive', async () => {
    await openDialog({ danger: false });
    expect(screen.getByRole('button', { name: 'Delete for good' })).toHaveFocus();
  });

  it('confirms once, closes and returns focus to the opener, without a cancellation', async () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    const user = await openDialog({ onConfirm, onCancel });
    await user.click(screen.getByRole('button', { name: 'Delete for good' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await nextTask();
    expect(onConfirm).toHaveBeenCalledOnce();
    expect(onCancel).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Delete' })).toHaveFocus();
  });

  it.each([
    ['Escape', (user: ReturnType<typeof userEvent.setup>) => user.keyboard('{Escape}')],
    ['the cancel button', (user: ReturnType<typeof userEvent.setup>) => user.click(screen.getByRole('button', { name: 'Keep it' }))],
    [
      'a press on the backdrop',
      (user: ReturnType<typeof userEvent.setup>) => user.pointer({ keys: '[MouseLeft]', target: screen.getByRole('alertdialog') }),
    ],
  ])('cancels on %s without confirming, and focus returns to the opener', async (_, dismiss) => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    const user = await openDialog({ onConfirm, onCancel });
    await dismiss(user);
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await nextTask();
    expect(onCancel).toHaveBeenCalledOnce();
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Delete' })).toHaveFocus();
  });

  it('does not cancel on a press inside the panel', async () => {
    const onCancel = vi.fn();
    const user = await openDialog({ onCancel });
    await user.pointer({ keys: '[MouseLeft]', target: screen.getByText('Gone for good.') });
    await nextTask();
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
    expect(onCancel).not.toHaveBeenCalled();
  });

  it('keeps the dialog open on Escape while the action runs', async () => {
    let finish = () => {};
    const onConfirm = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const onCancel = vi.fn();
    const user = await openDialog({ onConfirm, onCancel });
    await user.click(screen.getByRole('button', { name: 'Delete for good' }));
    expect(screen.getByRole('button', { name: 'Working…' })).toBeDisabled();
    await user.keyboard('{Escape}');
    await nextTask();
    expect((screen.getByRole('alertdialog') as HTMLDialogElement).open).toBe(true);
    expect(onCancel).not.toHaveBeenCalled();
    await act(async () => finish());
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(onConfirm).toHaveBeenCalledOnce();
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
    expect((screen.getByRole('alertdialog') as HTMLDialogElement).open).toBe(true);
  });

  it('stays open under StrictMode, whose second mount closes and reopens the dialog', async () => {
    const onCancel = vi.fn();
    render(
      <StrictMode>
        <ConfirmDialog title="Leave?" confirmLabel="Leave" cancelLabel="Stay" danger onConfirm={vi.fn()} onCancel={onCancel}>
          <p>Sure?</p>
        </ConfirmDialog>
      </StrictMode>,
    );
    await nextTask();
    expect((screen.getByRole('alertdialog', { name: 'Leave?' }) as HTMLDialogElement).open).toBe(true);
    expect(onCancel).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Stay' })).toHaveFocus();
  });
});
