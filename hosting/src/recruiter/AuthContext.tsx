import { onAuthStateChanged, reload, type User } from 'firebase/auth';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { firebaseAuth } from '../firebase';

interface AuthState {
  user: User | null;
  loading: boolean;
  /**
   * Reloads the signed-in user and forces a fresh ID token, e.g. after the email was verified in
   * another tab (the SDK changes the user object in place, so the context re-renders explicitly).
   */
  refreshUser: () => Promise<User | null>;
}

const AuthContext = createContext<AuthState>({ user: null, loading: true, refreshUser: async () => null });

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ user: User | null; loading: boolean; version: number }>({
    user: null,
    loading: true,
    version: 0,
  });
  useEffect(
    () => onAuthStateChanged(firebaseAuth(), (user) => setState((s) => ({ user, loading: false, version: s.version + 1 }))),
    [],
  );
  const refreshUser = useCallback(async () => {
    const auth = firebaseAuth();
    const current = auth.currentUser;
    if (!current) return null;
    await reload(current);
    await current.getIdToken(true);
    setState((s) => ({ user: auth.currentUser, loading: false, version: s.version + 1 }));
    return auth.currentUser;
  }, []);
  // `version` makes a new value (and so a re-render) when the same user object has changed.
  const value = useMemo(
    () => ({ user: state.user, loading: state.loading, refreshUser, version: state.version }),
    [state, refreshUser],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  return useContext(AuthContext);
}

/** The signed-in user; only call below the sign-in gate. */
export function useUser(): User {
  const { user } = useContext(AuthContext);
  if (!user) throw new Error('useUser() outside the signed-in area');
  return user;
}
