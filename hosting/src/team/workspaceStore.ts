/**
 * The workspace each account last chose, kept in localStorage per account (uid), so a reload, a new
 * tab or the next sign-in opens the same team.
 */
import type { WorkspaceSummary } from '../types';

const key = (uid: string) => `ai-interviewer:workspace:${uid}`;

export function loadWorkspaceChoice(uid: string, storage: Storage = window.localStorage): string | null {
  try {
    return storage.getItem(key(uid));
  } catch {
    return null; // storage disabled: fall back to the first workspace
  }
}

export function saveWorkspaceChoice(uid: string, workspaceId: string, storage: Storage = window.localStorage): void {
  try {
    storage.setItem(key(uid), workspaceId);
  } catch {
    // storage disabled: the choice lasts until the page is reloaded
  }
}

/** The stored choice if the account still belongs to it, else its first workspace (or null). */
export function pickWorkspace(workspaces: WorkspaceSummary[], stored: string | null): WorkspaceSummary | null {
  return workspaces.find((w) => w.id === stored) ?? workspaces[0] ?? null;
}
