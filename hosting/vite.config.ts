/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Where the dev server listens and where /api goes. The local stack (devstack/stack.py, service
 * `hosting`) passes both, already moved by AI_STACK_PORT_OFFSET, and the emulator ports as
 * VITE_AUTH_PORT / VITE_FIRESTORE_PORT (read by src/config.ts); by hand the plain defaults apply.
 */
const hostingPort = Number(process.env.HOSTING_PORT || 5173);
const apiOrigin = process.env.API_ORIGIN || 'http://127.0.0.1:8001';

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
    // Form tests type with userEvent, which takes seconds when the machine is busy (CI shares two
    // cores with the emulators); a slow machine is not a failure, a hang still is.
    testTimeout: 20_000,
  },
});
