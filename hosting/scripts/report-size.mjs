#!/usr/bin/env node
/**
 * Prints the gzip size of every built chunk and of what each route loads (the entry plus the
 * route's lazy chunk and everything they import), from Vite's manifest. Fails when the candidate
 * room's route exceeds its budget (400 kB gzip of JavaScript).
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');
const CANDIDATE_BUDGET = Number(process.env.CANDIDATE_ROUTE_BUDGET_KB || 400) * 1000;

const ROUTES = [
  { name: 'candidate room  /i/:id', chain: ['src/candidate/CandidateApp.tsx'], budget: CANDIDATE_BUDGET },
  { name: 'recruiter       /, /interviews/new', chain: ['src/recruiter/RecruiterApp.tsx'] },
  { name: 'report          /reports/:id', chain: ['src/recruiter/RecruiterApp.tsx', 'src/report/ReportPage.tsx'] },
  { name: 'members         /members', chain: ['src/recruiter/RecruiterApp.tsx', 'src/team/MembersPage.tsx'] },
  { name: 'settings        /settings', chain: ['src/recruiter/RecruiterApp.tsx', 'src/team/SettingsPage.tsx'] },
  { name: 'audit log       /audit', chain: ['src/recruiter/RecruiterApp.tsx', 'src/team/AuditPage.tsx'] },
  { name: 'join a team     /join/:wid/:iid', chain: ['src/recruiter/RecruiterApp.tsx', 'src/team/JoinPage.tsx'] },
];

if (!existsSync(manifestPath)) {
  console.error(`report-size: ${manifestPath} is missing; run vite build with build.manifest enabled.`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const gzipCache = new Map();
function sizes(file) {
  if (!gzipCache.has(file)) {
    const content = readFileSync(join(dist, file));
    gzipCache.set(file, { raw: content.length, gzip: gzipSync(content, { level: 9 }).length });
  }
  return gzipCache.get(file);
}
const kb = (bytes) => `${(bytes / 1000).toFixed(1).padStart(7)} kB`;

/** Files loaded (statically) by these manifest entries. */
function closure(keys) {
  const js = new Set();
  const css = new Set();
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`report-size: ${key} is not in the manifest`);
    js.add(chunk.file);
    for (const file of chunk.css ?? []) css.add(file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return { js: [...js], css: [...css] };
}

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entryKey) {
  console.error('report-size: no entry chunk in the manifest');
  process.exit(1);
}

console.log('\nChunks (gzip):');
const rows = Object.values(manifest)
  .flatMap((chunk) => [chunk.file, ...(chunk.css ?? [])])
  .filter((file, i, all) => all.indexOf(file) === i)
  .map((file) => ({ file, ...sizes(file) }))
  .sort((a, b) => b.gzip - a.gzip);
for (const row of rows) console.log(`  ${kb(row.gzip)}  (${kb(row.raw).trim()} raw)  ${row.file}`);

console.log('\nRoutes (entry + route chunks + their imports, gzip):');
let failed = false;
for (const route of ROUTES) {
  const { js, css } = closure([entryKey, ...route.chain]);
  const jsBytes = js.reduce((sum, file) => sum + sizes(file).gzip, 0);
  const cssBytes = css.reduce((sum, file) => sum + sizes(file).gzip, 0);
  const over = route.budget !== undefined && jsBytes > route.budget;
  failed ||= over;
  const budget = route.budget !== undefined ? `  budget ${kb(route.budget).trim()} ${over ? 'EXCEEDED' : 'ok'}` : '';
  console.log(`  ${route.name}  JS ${kb(jsBytes)}  CSS ${kb(cssBytes)}${budget}`);
}

const candidateFiles = closure([entryKey, 'src/candidate/CandidateApp.tsx']).js;
const leaked = candidateFiles.filter((file) => /firebase/i.test(file));
if (leaked.length) {
  console.error(`\nreport-size: the candidate route loads Firebase chunks: ${leaked.join(', ')}`);
  failed = true;
}
if (failed) {
  console.error('\nreport-size: size budget exceeded');
  process.exit(1);
}
console.log('');
