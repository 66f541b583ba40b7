/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_FIREBASE_PROJECT_ID?: string;
  readonly VITE_FIREBASE_API_KEY?: string;
  readonly VITE_FIREBASE_AUTH_DOMAIN?: string;
  readonly VITE_USE_EMULATORS?: string;
  readonly VITE_AUTH_PORT?: string;
  readonly VITE_FIRESTORE_PORT?: string;
  readonly VITE_API_BASE?: string;
  readonly VITE_TRACE_VIEWER_URL?: string;
  readonly VITE_WARM_START?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

// A CSS-only subpath export; Vite bundles it, TypeScript only needs to know it exists.
declare module '@livekit/components-styles/components/participant';
