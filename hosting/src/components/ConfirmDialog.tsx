import { useId, useLayoutEffect, useRef, useState, type MouseEvent, type ReactNode, type SyntheticEvent } from 'react';
import { createPortal } from 'react-dom';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** The confirm button's text while onConfirm runs, and the message of a failure without one. */
  busyLabel?: string;
  failedLabel?: string;
  /** Destructive actions get a red confirm button, and focus starts on the cancel button. */
  danger?: boolean;
  /** May be async; while it runs the buttons are disabled; a thrown error is shown in the dialog. */
  onConfirm: () => unknown;
  /** Called once the dialog has closed without confirming (cancel button, Escape, backdrop click). */
  onCancel: () => void;
}

/**
 * A modal confirmation on the native <dialog>, open while it is mounted. showModal() makes the rest
 * of the page inert (focus cannot leave, screen readers see only the dialog) and turns Escape into a
 * `cancel` event; closing it returns focus to the element that had it before. Every way of closing
 * it other than the owner unmounting it ends in the `close` event, which calls onCancel.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  busyLabel = 'Working…',
  failedLabel = 'Something went wrong.',
  danger = false,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const titleId = useId();
  const bodyId = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  /** The button focused on opening: the safe choice for a destructive action, else the action. */
  const initialFocusRef = useRef<HTMLButtonElement>(null);
  /** False once the owner unmounts the dialog: closing it then is not a cancellation. */
  const mounted = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    mounted.current = true;
    dialog.showModal();
    // React's autoFocus would focus at mount, while the dialog is still closed (not focusable), so
    // the browser would then pick the first button itself.
    initialFocusRef.current?.focus();
    return () => {
      mounted.current = false;
      // Closed before React removes it, so that the browser returns focus to the opener (removing an
      // open dialog leaves focus on the body).
      if (dialog.open) dialog.close();
    };
  }, []);

  function onClose(event: SyntheticEvent<HTMLDialogElement>) {
    // The close event is queued: ignore one that arrives after unmounting or after reopening
    // (StrictMode mounts twice in development).
    if (mounted.current && !event.currentTarget.open) onCancel();
  }

  function onCancelEvent(event: SyntheticEvent<HTMLDialogElement>) {
    // Escape while the action runs: keep the dialog (browsers may close it anyway on a repeated
    // Escape; onClose then reports a cancellation, and the action still finishes).
    if (busy) event.preventDefault();
  }

  function onBackdropPress(event: MouseEvent<HTMLDialogElement>) {
    // The panel fills the dialog's box, so a press on the dialog element itself is on its ::backdrop.
    if (event.target !== event.currentTarget || busy) return;
    // Otherwise the press would move focus to the page (the body) after close() restored it.
    event.preventDefault();
    event.currentTarget.close();
  }

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : failedLabel);
      setBusy(false);
    }
  }

  return createPortal(
    <dialog
      ref={dialogRef}
      className="dialog"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={onCancelEvent}
      onClose={onClose}
      onMouseDown={onBackdropPress}
    >
      <div className="dialog__panel">
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <div id={bodyId} className="dialog__body">
          {children}
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog__actions">
          <button
            ref={danger ? initialFocusRef : undefined}
            type="button"
            className="button button--secondary"
            onClick={() => dialogRef.current?.close()}
            disabled={busy}
          >
            {cancelLabel}
          </button>
          <button
            ref={danger ? undefined : initialFocusRef}
            type="button"
            className={`button ${danger ? 'button--danger' : 'button--primary'}`}
            onClick={confirm}
            disabled={busy}
          >
            {busy ? busyLabel : confirmLabel}
          </button>
        </div>
      </div>
    </dialog>,
    document.body,
  );
}
