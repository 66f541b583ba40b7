// The deploy build's guard (npm run build:deploy, cloudbuild.yaml's build-hosting step): a production
// build must carry the real Firebase web app's config. src/config.ts falls back to the local stack's
// demo values (project demo-interviewer, key demo-key), which build fine and then fail only when a
// recruiter tries to sign in on the deployed site; this refuses them before anything is built.
// `npm run build` (make test-hosting, offline) does not run it.

const REQUIRED = {
  VITE_FIREBASE_PROJECT_ID: 'the Firebase project id',
  VITE_FIREBASE_API_KEY: "the web app's API key",
  VITE_FIREBASE_AUTH_DOMAIN: "the web app's auth domain (<project>.firebaseapp.com)",
};
const DEMO = new Set(['demo-interviewer', 'demo-key']);

const problems = [];
for (const [name, what] of Object.entries(REQUIRED)) {
  const value = (process.env[name] ?? '').trim();
  if (!value) problems.push(`${name} is missing (${what})`);
  else if (DEMO.has(value) || value.startsWith('demo-')) {
    problems.push(`${name}=${value} is the local stack's demo value, not a real project's`);
  }
}
if (process.env.VITE_USE_EMULATORS && !['0', 'false', 'no', 'off', ''].includes(process.env.VITE_USE_EMULATORS.toLowerCase())) {
  problems.push('VITE_USE_EMULATORS is on: a deployed app must talk to the real Firebase services');
}

if (problems.length > 0) {
  console.error('Refusing to build the web app for deployment:');
  for (const problem of problems) console.error(`  - ${problem}`);
  console.error(
    'Set them from Terraform: `terraform -chdir=infra output publish_substitutions` (the publish ' +
      'trigger passes them as _FIREBASE_PROJECT_ID, _FIREBASE_API_KEY, _FIREBASE_AUTH_DOMAIN).',
  );
  process.exit(1);
}
console.log(`Deploy build for Firebase project ${process.env.VITE_FIREBASE_PROJECT_ID}.`);
