/**
 * Firebase for the recruiter pages only (the candidate's room never imports this module).
 * With VITE_USE_EMULATORS (default on in `vite dev`) Auth and Firestore talk to the local emulators.
 */
import { initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';
import { connectFirestoreEmulator, getFirestore, type Firestore } from 'firebase/firestore';
import { config } from './config';

let app: FirebaseApp | undefined;
let auth: Auth | undefined;
let db: Firestore | undefined;

function firebaseApp(): FirebaseApp {
  app ??= initializeApp({
    projectId: config.firebase.projectId,
    apiKey: config.firebase.apiKey,
    ...(config.firebase.authDomain ? { authDomain: config.firebase.authDomain } : {}),
  });
  return app;
}

export function firebaseAuth(): Auth {
  if (!auth) {
    auth = getAuth(firebaseApp());
    if (config.useEmulators) {
      connectAuthEmulator(auth, `http://127.0.0.1:${config.authEmulatorPort}`, { disableWarnings: true });
    }
  }
  return auth;
}

export function firestore(): Firestore {
  if (!db) {
    db = getFirestore(firebaseApp());
    if (config.useEmulators) connectFirestoreEmulator(db, '127.0.0.1', config.firestoreEmulatorPort);
  }
  return db;
}

/** A fresh (or cached, still valid) ID token of the signed-in recruiter, for the API. */
export async function idToken(): Promise<string> {
  const user = firebaseAuth().currentUser;
  if (!user) throw new Error('You are signed out. Please sign in again.');
  return user.getIdToken();
}
