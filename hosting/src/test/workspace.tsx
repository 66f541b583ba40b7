/** Tests' stand-in for the workspace gate: a signed-in member with a role, in one or more teams. */
import { render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { WorkspaceContext, type WorkspaceContextValue } from '../team/WorkspaceContext';
import type { Role, WorkspaceSummary } from '../types';

export interface WorkspaceOptions {
  role?: Role;
  workspaces?: WorkspaceSummary[];
  uid?: string;
  email?: string;
}

export function workspaceValue({ role = 'recruiter', workspaces, uid = 'user-1', email = 'rita@example.com' }: WorkspaceOptions = {}) {
  const all = workspaces ?? [{ id: 'team-1', name: 'Demo team', role }];
  const workspace = all[0];
  const value: WorkspaceContextValue = {
    me: { uid, email, email_verified: true, workspaces: all },
    workspaces: all,
    workspace,
    role: workspace.role,
    select: vi.fn(),
    reload: vi.fn(),
    credentials: vi.fn(async () => ({ idToken: 'id-token', workspaceId: workspace.id })),
  };
  return value;
}

export function WithWorkspace({ value, children }: { value: WorkspaceContextValue; children: ReactNode }) {
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

/** Renders `ui` inside a router (at `path`) and a workspace with the given role. */
export function renderInWorkspace(ui: ReactElement, options: WorkspaceOptions & { path?: string } = {}) {
  const value = workspaceValue(options);
  const result = render(
    <MemoryRouter initialEntries={[options.path ?? '/']}>
      <WithWorkspace value={value}>{ui}</WithWorkspace>
    </MemoryRouter>,
  );
  return { ...result, workspace: value };
}
