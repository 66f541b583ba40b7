// Security rules of firestore.rules, tested against the Firestore emulator of the local stack.
// Run by `make test` (node --test tests/rules/) with FIRESTORE_EMULATOR_HOST exported by the stack.
//
// Every role of a workspace (owner, admin, recruiter, viewer) and every kind of outsider (a member of
// another workspace, a verified account in no workspace, an unverified member, an anonymous candidate)
// against every collection, reading and writing. The API enforces the same table
// (tests/integration/test_access_matrix.py).
import { after, before, beforeEach, describe, test } from "node:test";
import { readFileSync } from "node:fs";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
} from "@firebase/rules-unit-testing";
import {
  addDoc,
  collection,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  query,
  setDoc,
  updateDoc,
  where,
} from "firebase/firestore";

const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:8080").split(":");
let env;

const ROLES = ["owner", "admin", "recruiter", "viewer"];
const OUTSIDERS = ["other-team", "no-workspace", "unverified-member", "anonymous"];
const VERIFIED = { email_verified: true };

before(async () => {
  env = await initializeTestEnvironment({
    projectId: "demo-rules-test",
    firestore: { host, port: Number(port), rules: readFileSync(new URL("../../firestore.rules", import.meta.url), "utf8") },
  });
});

after(async () => {
  await env?.cleanup();
});

beforeEach(async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore();
    await setDoc(doc(db, "workspaces/w1"), { name: "Team one", created_by: "owner" });
    for (const role of ROLES) {
      await setDoc(doc(db, `workspaces/w1/members/${role}`), { uid: role, email: `${role}@example.com`, role });
    }
    await setDoc(doc(db, "workspaces/w1/members/unverified-member"), {
      uid: "unverified-member",
      email: "late@example.com",
      role: "owner",
    });
    await setDoc(doc(db, "workspaces/w1/invitations/inv1"), { email: "new@example.com", role: "viewer", status: "pending" });
    await setDoc(doc(db, "workspaces/w1/usage/day-2026-12-04"), { interviews_created: 3 });
    await setDoc(doc(db, "workspaces/w1/audit/a1"), { action: "member.joined", actor_uid: "owner", target: "viewer" });
    // Outbound webhooks: the endpoint holds its signing secrets, so no client reads it, admins neither.
    await setDoc(doc(db, "workspaces/w1/webhook_endpoints/e1"), { url: "https://ats.example.com/h", secrets: [{ value: "whsec_x" }] });
    await setDoc(doc(db, "workspaces/w1/webhook_endpoints/e1/deliveries/msg_1"), { status: "delivered" });
    await setDoc(doc(db, "interviews/i1"), { workspace_id: "w1", owner_uid: "recruiter", status: "invited" });
    await setDoc(doc(db, "interviews/i1/turns/000000"), { seq: 0, role: "agent", text: "Hello" });
    await setDoc(doc(db, "reports/i1"), { workspace_id: "w1", owner_uid: "recruiter", overall_score: 70 });
    // The other team, and an interview from before teams (no workspace_id): nobody reads it.
    await setDoc(doc(db, "workspaces/w2"), { name: "Team two" });
    await setDoc(doc(db, "workspaces/w2/members/other-team"), { uid: "other-team", role: "owner" });
    await setDoc(doc(db, "interviews/i2"), { workspace_id: "w2", owner_uid: "other-team", status: "invited" });
    await setDoc(doc(db, "reports/i2"), { workspace_id: "w2", owner_uid: "other-team", overall_score: 40 });
    await setDoc(doc(db, "interviews/legacy"), { owner_uid: "recruiter", status: "evaluated" });
  });
});

function dbOf(who) {
  if (who === "anonymous") return env.unauthenticatedContext().firestore();
  if (who === "unverified-member") return env.authenticatedContext(who, { email_verified: false }).firestore();
  return env.authenticatedContext(who, VERIFIED).firestore();
}

// What each reader may read in workspace w1: "member" (every role), "admin" (owner, admin), "nobody".
const READS = {
  "the workspace": ["member", (db) => getDoc(doc(db, "workspaces/w1"))],
  "a member": ["member", (db) => getDoc(doc(db, "workspaces/w1/members/viewer"))],
  "the members": ["member", (db) => getDocs(collection(db, "workspaces/w1/members"))],
  "an invitation": ["admin", (db) => getDoc(doc(db, "workspaces/w1/invitations/inv1"))],
  "the invitations": ["admin", (db) => getDocs(collection(db, "workspaces/w1/invitations"))],
  "a usage counter": ["admin", (db) => getDoc(doc(db, "workspaces/w1/usage/day-2026-12-04"))],
  "the usage counters": ["admin", (db) => getDocs(collection(db, "workspaces/w1/usage"))],
  "an audit entry": ["admin", (db) => getDoc(doc(db, "workspaces/w1/audit/a1"))],
  "the audit log": ["admin", (db) => getDocs(collection(db, "workspaces/w1/audit"))],
  "a webhook endpoint (its secrets)": ["nobody", (db) => getDoc(doc(db, "workspaces/w1/webhook_endpoints/e1"))],
  "the webhook endpoints": ["nobody", (db) => getDocs(collection(db, "workspaces/w1/webhook_endpoints"))],
  "a webhook delivery": ["nobody", (db) => getDoc(doc(db, "workspaces/w1/webhook_endpoints/e1/deliveries/msg_1"))],
  "an interview": ["member", (db) => getDoc(doc(db, "interviews/i1"))],
  "the team's interviews": ["member", (db) => getDocs(query(collection(db, "interviews"), where("workspace_id", "==", "w1")))],
  "my interviews (mine)": [
    "member",
    (db) => getDocs(query(collection(db, "interviews"), where("workspace_id", "==", "w1"), where("owner_uid", "==", "recruiter"))),
  ],
  "an interview's turns": ["member", (db) => getDocs(collection(db, "interviews/i1/turns"))],
  "a turn": ["member", (db) => getDoc(doc(db, "interviews/i1/turns/000000"))],
  "a report": ["member", (db) => getDoc(doc(db, "reports/i1"))],
  "the team's reports": ["member", (db) => getDocs(query(collection(db, "reports"), where("workspace_id", "==", "w1")))],
};

function mayRead(who, level) {
  if (!ROLES.includes(who) || level === "nobody") return false;
  return level === "member" || ["owner", "admin"].includes(who);
}

for (const who of [...ROLES, ...OUTSIDERS]) {
  describe(`${who} reads`, () => {
    for (const [what, [level, read]] of Object.entries(READS)) {
      const allowed = mayRead(who, level);
      test(`${allowed ? "may" : "may not"} read ${what}`, async () => {
        await (allowed ? assertSucceeds : assertFails)(read(dbOf(who)));
      });
    }
  });
}

// Writes: nobody, whatever the role, on any collection (the functions write, bypassing the rules).
const WRITES = {
  "create a workspace": (db) => setDoc(doc(db, "workspaces/w3"), { name: "Mine" }),
  "rename the workspace": (db) => updateDoc(doc(db, "workspaces/w1"), { name: "Renamed" }),
  "change its settings": (db) => updateDoc(doc(db, "workspaces/w1"), { "settings.quotas.interviews_per_day": 1e6 }),
  "delete the workspace": (db) => deleteDoc(doc(db, "workspaces/w1")),
  "add themselves as owner": (db) => setDoc(doc(db, "workspaces/w1/members/intruder"), { uid: "intruder", role: "owner" }),
  "promote a member": (db) => updateDoc(doc(db, "workspaces/w1/members/viewer"), { role: "owner" }),
  "remove a member": (db) => deleteDoc(doc(db, "workspaces/w1/members/viewer")),
  "create an invitation": (db) => setDoc(doc(db, "workspaces/w1/invitations/inv2"), { email: "x@example.com", role: "admin" }),
  "accept an invitation": (db) => updateDoc(doc(db, "workspaces/w1/invitations/inv1"), { status: "accepted" }),
  "add a webhook endpoint": (db) => setDoc(doc(db, "workspaces/w1/webhook_endpoints/e2"), { url: "http://10.0.0.1/" }),
  "change a webhook's secret": (db) => updateDoc(doc(db, "workspaces/w1/webhook_endpoints/e1"), { secrets: [] }),
  "reset a usage counter": (db) => setDoc(doc(db, "workspaces/w1/usage/day-2026-12-04"), { interviews_created: 0 }),
  "append an audit entry": (db) => addDoc(collection(db, "workspaces/w1/audit"), { action: "member.joined" }),
  "edit an audit entry": (db) => updateDoc(doc(db, "workspaces/w1/audit/a1"), { actor_uid: "someone else" }),
  "overwrite an audit entry": (db) => setDoc(doc(db, "workspaces/w1/audit/a1"), { action: "nothing.happened" }),
  "delete an audit entry": (db) => deleteDoc(doc(db, "workspaces/w1/audit/a1")),
  "create an interview": (db) => setDoc(doc(db, "interviews/i3"), { workspace_id: "w1", owner_uid: "owner" }),
  "change an interview": (db) => updateDoc(doc(db, "interviews/i1"), { status: "evaluated" }),
  "move an interview to another team": (db) => updateDoc(doc(db, "interviews/i1"), { workspace_id: "w2" }),
  "delete an interview": (db) => deleteDoc(doc(db, "interviews/i1")),
  "add a turn": (db) => setDoc(doc(db, "interviews/i1/turns/000001"), { seq: 1, text: "x" }),
  "write a report": (db) => setDoc(doc(db, "reports/i1"), { workspace_id: "w1", overall_score: 100 }),
  "delete a report": (db) => deleteDoc(doc(db, "reports/i1")),
};

for (const who of [...ROLES, ...OUTSIDERS]) {
  describe(`${who} writes`, () => {
    for (const [what, write] of Object.entries(WRITES)) {
      test(`may not ${what}`, async () => {
        await assertFails(write(dbOf(who)));
      });
    }
  });
}

describe("across teams and before teams", () => {
  test("a member of one team reads nothing of another's", async () => {
    for (const who of ROLES) {
      const db = dbOf(who);
      await assertFails(getDoc(doc(db, "workspaces/w2")));
      await assertFails(getDoc(doc(db, "interviews/i2")));
      await assertFails(getDoc(doc(db, "reports/i2")));
      await assertFails(getDocs(collection(db, "workspaces/w2/members")));
      await assertFails(getDocs(query(collection(db, "interviews"), where("workspace_id", "==", "w2"))));
    }
  });

  test("an unconstrained list, or one by owner only, is refused even to owners", async () => {
    const db = dbOf("owner");
    await assertFails(getDocs(collection(db, "interviews")));
    await assertFails(getDocs(query(collection(db, "interviews"), where("owner_uid", "==", "recruiter"))));
    await assertFails(getDocs(collection(db, "reports")));
    await assertFails(getDocs(collection(db, "workspaces")));
  });

  test("an interview without a workspace (not yet migrated) is read by nobody", async () => {
    for (const who of [...ROLES, "other-team"]) {
      await assertFails(getDoc(doc(dbOf(who), "interviews/legacy")));
    }
  });

  test("an account signed in with Google counts as verified", async () => {
    const db = env.authenticatedContext("viewer", { firebase: { sign_in_provider: "google.com" } }).firestore();
    await assertSucceeds(getDoc(doc(db, "interviews/i1")));
  });
});
