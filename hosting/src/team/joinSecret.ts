/**
 * An invitation to a team arrives as /join/<wid>/<iid>#<secret>: the secret is in the fragment,
 * which browsers never send to a server. As the candidate page does with its invite secret, it is
 * taken off the address bar at once (so it does not linger on screen, in screenshots or in the
 * history) and kept in localStorage until the invitation is accepted or turns out to be dead:
 * localStorage rather than sessionStorage because the email verification link of a new account
 * opens in another tab, which must find it too.
 */

const key = (workspaceId: string, invitationId: string) => `ai-interviewer:join:${workspaceId}:${invitationId}`;

export function takeJoinSecret(
  workspaceId: string,
  invitationId: string,
  location: Pick<Location, 'hash' | 'pathname' | 'search'> = window.location,
  storage: Storage = window.localStorage,
  history: Pick<History, 'replaceState' | 'state'> = window.history,
): string | null {
  const raw = location.hash.replace(/^#/, '');
  if (raw) {
    let secret = raw;
    try {
      secret = decodeURIComponent(raw);
    } catch {
      // a malformed escape: use it as it is
    }
    try {
      storage.setItem(key(workspaceId, invitationId), secret);
    } catch {
      // storage disabled: the fragment still works in this page
    }
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return secret;
  }
  try {
    return storage.getItem(key(workspaceId, invitationId)) || null;
  } catch {
    return null;
  }
}

export function forgetJoinSecret(workspaceId: string, invitationId: string, storage: Storage = window.localStorage): void {
  try {
    storage.removeItem(key(workspaceId, invitationId));
  } catch {
    // nothing stored
  }
}
