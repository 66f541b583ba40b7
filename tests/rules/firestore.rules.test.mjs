// Security rules of firestore.rules, tested against the Firestore emulator of the local stack.
// Run by `make test` (node --test tests/rules/) with FIRESTORE_EMULATOR_HOST exported by the stack.
import { after, before, beforeEach, describe, test } from "node:test";
import { readFileSync } from "node:fs";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
} from "@firebase/rules-unit-testing";
import { collection, deleteDoc, doc, getDoc, getDocs, query, setDoc, updateDoc, where } from "firebase/firestore";

const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:8080").split(":");
let env;

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
    await setDoc(doc(db, "interviews/i1"), { owner_uid: "alice", status: "invited", role: "Engineer" });
    await setDoc(doc(db, "interviews/i1/turns/000000"), { seq: 0, role: "agent", text: "Hello" });
    await setDoc(doc(db, "reports/i1"), { owner_uid: "alice", overall_score: 70 });
    await setDoc(doc(db, "interviews/i2"), { owner_uid: "bob", status: "invited", role: "Designer" });
    await setDoc(doc(db, "reports/i2"), { owner_uid: "bob", overall_score: 40 });
  });
});

describe("owner", () => {
  test("reads own interview, turns and report", async () => {
    const db = env.authenticatedContext("alice").firestore();
    await assertSucceeds(getDoc(doc(db, "interviews/i1")));
    await assertSucceeds(getDocs(collection(db, "interviews/i1/turns")));
    await assertSucceeds(getDoc(doc(db, "reports/i1")));
  });

  test("lists only own interviews with an owner filter", async () => {
    const db = env.authenticatedContext("alice").firestore();
    const own = await assertSucceeds(getDocs(query(collection(db, "interviews"), where("owner_uid", "==", "alice"))));
    if (own.size !== 1) throw new Error(`expected 1 interview, got ${own.size}`);
    await assertFails(getDocs(collection(db, "interviews")));
  });

  test("writes nothing, not even to own documents", async () => {
    const db = env.authenticatedContext("alice").firestore();
    await assertFails(updateDoc(doc(db, "interviews/i1"), { status: "evaluated" }));
    await assertFails(setDoc(doc(db, "interviews/new"), { owner_uid: "alice" }));
    await assertFails(deleteDoc(doc(db, "interviews/i1")));
    await assertFails(setDoc(doc(db, "interviews/i1/turns/000001"), { seq: 1, text: "x" }));
    await assertFails(setDoc(doc(db, "reports/i1"), { owner_uid: "alice", overall_score: 100 }));
  });
});

describe("another recruiter", () => {
  test("cannot read someone else's interview, turns or report", async () => {
    const db = env.authenticatedContext("bob").firestore();
    await assertFails(getDoc(doc(db, "interviews/i1")));
    await assertFails(getDocs(collection(db, "interviews/i1/turns")));
    await assertFails(getDoc(doc(db, "reports/i1")));
    await assertFails(getDocs(query(collection(db, "interviews"), where("owner_uid", "==", "alice"))));
  });
});

describe("anonymous client (a candidate)", () => {
  test("reads and writes nothing", async () => {
    const db = env.unauthenticatedContext().firestore();
    await assertFails(getDoc(doc(db, "interviews/i1")));
    await assertFails(getDocs(collection(db, "interviews/i1/turns")));
    await assertFails(getDoc(doc(db, "reports/i1")));
    await assertFails(setDoc(doc(db, "interviews/i3"), { owner_uid: "anyone" }));
    await assertFails(getDoc(doc(db, "anything/else")));
  });
});
