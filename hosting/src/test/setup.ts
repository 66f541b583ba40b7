import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
});

/**
 * jsdom (29) has HTMLDialogElement and hides a dialog without `open`, but has no showModal() or
 * close(), and Escape does nothing. A stand-in for what ConfirmDialog relies on, as browsers do it
 * (HTML spec; checked in Chromium 156): showModal() opens the dialog, remembers the focused element
 * and focuses its autofocus descendant or else the first focusable one; close() closes it, returns focus to the remembered
 * element if the dialog was modal, and fires `close` in a later task; Escape fires a cancelable
 * `cancel` at the topmost modal dialog, then closes it unless cancelled. Not simulated: the top
 * layer, inertness of the rest of the page, returnValue, show(), light dismiss, closedby.
 */
if (typeof HTMLDialogElement.prototype.showModal !== 'function') {
  const modals: HTMLDialogElement[] = [];
  const openers = new WeakMap<HTMLDialogElement, Element | null>();
  /** The open modal dialogs, topmost last; a removed dialog leaves the top layer as in browsers. */
  const topModal = () => {
    for (let i = modals.length - 1; i >= 0; i--) if (!modals[i].isConnected) modals.splice(i, 1);
    return modals.at(-1);
  };
  const FOCUSABLE = '[autofocus], button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    if (this.open) {
      if (modals.includes(this)) return;
      throw new DOMException('The dialog is already open as a non-modal dialog.', 'InvalidStateError');
    }
    if (!this.isConnected) throw new DOMException('The dialog is not connected.', 'InvalidStateError');
    openers.set(this, document.activeElement);
    this.setAttribute('open', '');
    modals.push(this);
    const focusable = [...this.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => !element.matches(':disabled'));
    (focusable.find((element) => element.hasAttribute('autofocus')) ?? focusable[0])?.focus();
  };

  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    if (!this.open) return;
    this.removeAttribute('open');
    const index = modals.indexOf(this);
    if (index >= 0) {
      modals.splice(index, 1);
      const opener = openers.get(this);
      openers.delete(this);
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    }
    setTimeout(() => this.dispatchEvent(new Event('close')), 0);
  };

  document.addEventListener('keydown', (event) => {
    const top = topModal();
    if (event.key !== 'Escape' || event.defaultPrevented || !top) return;
    if (top.dispatchEvent(new Event('cancel', { cancelable: true }))) top.close();
  });
}
