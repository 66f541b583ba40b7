import { createContext, useContext } from 'react';
import type { Credentials } from '../api';
import type { Me, Role, WorkspaceSummary } from '../types';

export interface WorkspaceContextValue {
  me: Me;
  /** Every workspace the account belongs to. */
  workspaces: WorkspaceSummary[];
  /** The one the app shows and sends as X-Workspace-Id. */
  workspace: WorkspaceSummary;
  role: Role;
  /** Switches to another of the account's workspaces (remembered per account). */
  select: (workspaceId: string) => void;
  /** Reads GET /api/me again (after joining, leaving or a role change). */
  reload: () => void;
  /** A fresh ID token and the current workspace, for the API. */
  credentials: () => Promise<Credentials>;
}

export const WorkspaceContext = createContext<WorkspaceContextValue | null>(null);

/** The current workspace; only below the workspace gate. */
export function useWorkspace(): WorkspaceContextValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error('useWorkspace() outside the workspace gate');
  return value;
}

/** The current role, or undefined outside the workspace gate (then nothing role-gated is shown). */
export function useRole(): Role | undefined {
  return useContext(WorkspaceContext)?.role;
}
