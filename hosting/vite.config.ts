/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Ports follow the local stack's convention (functions/interview_core/settings.py): an explicit
 * variable wins, otherwise the default moved by AI_STACK_PORT_OFFSET.
 */
function port(name: string, fallback: number): number {
  const explicit = process.env[name];
  if (explicit) return Number(explicit);
  return fallback + Number(process.env.AI_STACK_PORT_OFFSET || 0);
}

const hostingPort = port('HOSTING_PORT', 5173);
const apiOrigin = process.env.API_ORIGIN || `http://127.0.0.1:${port('API_PORT', 8001)}`;

/** Emulator ports for the browser, unless VITE_* variables already say otherwise. */
function emulatorDefines(): Record<string, string> {
  const defines: Record<string, string> = {};
  if (!process.env.VITE_AUTH_PORT) {
    defines['import.meta.env.VITE_AUTH_PORT'] = JSON.stringify(String(port('AUTH_PORT', 9099)));
  }
  if (!process.env.VITE_FIRESTORE_PORT) {
    defines['import.meta.env.VITE_FIRESTORE_PORT'] = JSON.stringify(String(port('FIRESTORE_PORT', 8080)));
  }
  return defines;
}

/** Vendor groups: the candidate room never loads Firebase, the recruiter pages never load LiveKit. */
const VENDOR_GROUPS: { name: string; test: RegExp }[] = [
  { name: 'vendor-react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/ },
  {
    name: 'vendor-livekit',
    test: /[\\/]node_modules[\\/](livekit-client|@livekit|rxjs|webrtc-adapter|sdp|sdp-transform|@bufbuild|jose|loglevel|events|typed-emitter|machina|usehooks-ts|clsx|@livekit\/mutex)[\\/]/,
  },
  { name: 'vendor-firebase', test: /[\\/]node_modules[\\/](firebase|@firebase|idb)[\\/]/ },
];

export default defineConfig({
  plugins: [react()],
  define: emulatorDefines(),
  server: {
    host: '127.0.0.1',
    port: hostingPort,
    strictPort: true,
    proxy: {
      // The /api prefix is kept: the api function serves /api/... as Firebase Hosting rewrites it.
      '/api': { target: apiOrigin, changeOrigin: false },
      '/health': { target: apiOrigin, changeOrigin: false },
    },
  },
  preview: {
    host: '127.0.0.1',
    port: hostingPort,
    strictPort: true,
    proxy: {
      '/api': { target: apiOrigin, changeOrigin: false },
    },
  },
  build: {
    target: 'es2022',
    manifest: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: VENDOR_GROUPS,
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
  },
});
