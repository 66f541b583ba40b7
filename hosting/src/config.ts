/** Build-time configuration from import.meta.env, with the local stack's defaults. */

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

const env = import.meta.env;

export const config = {
  firebase: {
    projectId: env.VITE_FIREBASE_PROJECT_ID || 'demo-interviewer',
    apiKey: env.VITE_FIREBASE_API_KEY || 'demo-key',
    authDomain: env.VITE_FIREBASE_AUTH_DOMAIN || undefined,
  },
  /** Connect to the Auth and Firestore emulators (default: on in `vite dev`, off in a build). */
  useEmulators: flag(env.VITE_USE_EMULATORS, env.DEV),
  authEmulatorPort: Number(env.VITE_AUTH_PORT || 9099),
  firestoreEmulatorPort: Number(env.VITE_FIRESTORE_PORT || 8080),
  /** Where the API lives; empty means this origin (Hosting rewrites /api/** to the function). */
  apiBase: (env.VITE_API_BASE || '').replace(/\/$/, ''),
  /** The trace viewer's page of a trace, `{trace_id}` replaced (docs/observability.md); empty: no link. */
  traceViewerUrl: env.VITE_TRACE_VIEWER_URL || '',
  /**
   * The warm start (issue 24): the candidate's page joins the room during the microphone check, so
   * the interviewer is ready and greets right after Start. On by default; VITE_WARM_START=0 turns it
   * off (the page then joins on Start, the agent greets after the microphone is published).
   */
  warmStart: flag(env.VITE_WARM_START, true),
} as const;
