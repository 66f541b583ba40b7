import { useEffect, useRef, useState } from 'react';
import { ApiError, editPlan, sendInvite, uploadCv } from '../api';
import type { Credentials } from '../api';
import type { PlannedQuestion, ReviewPlan, SentInvite, Skill, SkillAnchors } from '../types';

const MAX_QUESTIONS = 16;
const MAX_CV_BYTES = 5 * 1024 * 1024;
const EMPTY_ANCHORS: SkillAnchors = { low: '', mid: '', high: '' };

interface PlanReviewProps {
  initial: ReviewPlan;
  candidateName: string;
  credentials: () => Promise<Credentials>;
  onSent: (sent: SentInvite) => void;
}

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong; try again.';
}

/** Review before invite: the recruiter edits the draft's skills, rubric anchors and questions, may
 * attach the candidate's CV (which regenerates the plan, keeping their must-ask questions), and sends
 * the invite, which freezes the plan. */
export function PlanReview({ initial, candidateName, credentials, onSent }: PlanReviewProps) {
  const [plan, setPlan] = useState<ReviewPlan>(initial);
  const [skills, setSkills] = useState<Skill[]>(initial.skills);
  const [questions, setQuestions] = useState<PlannedQuestion[]>(initial.question_plan);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [newQuestion, setNewQuestion] = useState('');
  const [newSkill, setNewSkill] = useState(initial.skills[0]?.name ?? '');
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  const load = (next: ReviewPlan) => {
    setPlan(next);
    setSkills(next.skills);
    setQuestions(next.question_plan);
    setDirty(false);
  };
  const changeSkill = (index: number, patch: Partial<Skill>) => {
    setSkills((all) => all.map((s, i) => (i === index ? { ...s, ...patch } : s)));
    setDirty(true);
  };
  const changeAnchor = (index: number, level: keyof SkillAnchors, text: string) =>
    changeSkill(index, { anchors: { ...EMPTY_ANCHORS, ...skills[index].anchors, [level]: text } });
  const changeQuestions = (next: PlannedQuestion[]) => {
    setQuestions(next);
    setDirty(true);
  };
  const move = (index: number, by: number) => {
    const next = [...questions];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item);
    changeQuestions(next);
  };

  async function run<T>(label: string, action: () => Promise<T>): Promise<T | undefined> {
    setBusy(label);
    setError(null);
    setNote(null);
    try {
      return await action();
    } catch (cause) {
      setError(message(cause));
      return undefined;
    } finally {
      setBusy(null);
    }
  }

  const save = async (): Promise<ReviewPlan | undefined> => {
    const saved = await run('save', async () =>
      editPlan(plan.id, { base_version: plan.plan_version, skills, question_plan: questions }, await credentials()),
    );
    if (saved) {
      load(saved);
      setNote(`Plan saved as version ${saved.plan_version}.`);
    }
    return saved;
  };

  const attach = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_CV_BYTES) {
      setError('The CV is larger than 5 MB.');
      return;
    }
    const updated = await run('cv', async () => uploadCv(plan.id, file, file.name, await credentials()));
    if (updated) {
      load(updated);
      setNote(`CV attached; the plan was regenerated from it (version ${updated.plan_version}).`);
    }
  };

  const send = async () => {
    if (dirty && !(await save())) return;
    const sent = await run('send', async () => sendInvite(plan.id, await credentials()));
    if (sent) onSent(sent);
  };

  const addQuestion = () => {
    if (newQuestion.trim().length < 5 || !newSkill) return;
    changeQuestions([...questions, { skill: newSkill, question: newQuestion.trim(), follow_ups: [], must_ask: true }]);
    setNewQuestion('');
  };

  return (
    <div className="stack" data-testid="plan-review">
      <section className="card" aria-labelledby="review-heading">
        <h2 id="review-heading" ref={headingRef} tabIndex={-1}>
          Review the interview for {candidateName}
        </h2>
        <p>
          Nothing has been sent yet. Check the skills, the rubric and the questions, then send the invite: the plan is
          frozen from then on, and the report names the version it graded.
        </p>
        <p className="muted small" data-testid="plan-version">
          Plan version {plan.plan_version}
          {plan.plan_hash ? ` (${plan.plan_hash})` : ''}
          {dirty ? ' · unsaved changes' : ''}
        </p>
        {error && (
          <p className="form__error" role="alert">
            {error}
          </p>
        )}
        {note && (
          <p className="small" role="status">
            {note}
          </p>
        )}
      </section>

      <section className="card" aria-labelledby="cv-heading">
        <h2 id="cv-heading">Candidate's CV</h2>
        {plan.cv ? (
          <p data-testid="cv-attached">
            Attached: {plan.cv.filename} ({plan.cv.pages} page{plan.cv.pages === 1 ? '' : 's'}).
          </p>
        ) : (
          <p className="muted small">Optional. A PDF of up to 5 MB; the questions will ask about what it says.</p>
        )}
        <label className="field">
          <span>{plan.cv ? 'Replace the CV (PDF)' : 'Attach a CV (PDF)'}</span>
          <input
            type="file"
            accept="application/pdf,.pdf"
            data-testid="cv-input"
            disabled={busy !== null}
            onChange={(e) => void attach(e.currentTarget.files?.[0])}
          />
        </label>
      </section>

      <section className="card" aria-labelledby="skills-review-heading">
        <h2 id="skills-review-heading">Skills, weights and rubric</h2>
        {skills.map((skill, index) => (
          <fieldset key={skill.name} className="review-skill">
            <legend>{skill.name}</legend>
            <label className="field">
              <span>Weight</span>
              <input
                type="number"
                min={0.01}
                max={1}
                step={0.05}
                value={skill.weight}
                onChange={(e) => changeSkill(index, { weight: Number(e.currentTarget.value) })}
              />
            </label>
            {(['low', 'mid', 'high'] as const).map((level) => (
              <label className="field" key={level}>
                <span>{{ low: 'A low answer (1)', mid: 'A middle answer (3)', high: 'A high answer (5)' }[level]}</span>
                <textarea
                  rows={2}
                  maxLength={300}
                  value={skill.anchors?.[level] ?? ''}
                  onChange={(e) => changeAnchor(index, level, e.currentTarget.value)}
                />
              </label>
            ))}
          </fieldset>
        ))}
      </section>

      <section className="card" aria-labelledby="questions-review-heading">
        <h2 id="questions-review-heading">Questions, in the order they are asked</h2>
        <ol className="review-questions" data-testid="review-questions">
          {questions.map((q, index) => (
            <li key={index} data-testid="review-question">
              <label className="field">
                <span>
                  Question {index + 1} · {q.skill}
                  {q.must_ask ? ' · must ask' : ''}
                </span>
                <textarea
                  rows={2}
                  maxLength={600}
                  value={q.question}
                  onChange={(e) => {
                    const text = e.currentTarget.value;
                    changeQuestions(questions.map((item, i) => (i === index ? { ...item, question: text } : item)));
                  }}
                />
              </label>
              <div className="form__actions">
                <button type="button" className="button button--ghost" disabled={index === 0} onClick={() => move(index, -1)}>
                  Move up
                </button>
                <button
                  type="button"
                  className="button button--ghost"
                  disabled={index === questions.length - 1}
                  onClick={() => move(index, 1)}
                >
                  Move down
                </button>
                <button
                  type="button"
                  className="button button--ghost"
                  disabled={questions.length === 1}
                  onClick={() => changeQuestions(questions.filter((_, i) => i !== index))}
                >
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ol>
        <div className="stack">
          <label className="field">
            <span>Your own must-ask question</span>
            <textarea
              rows={2}
              maxLength={600}
              value={newQuestion}
              data-testid="must-ask-input"
              onChange={(e) => setNewQuestion(e.currentTarget.value)}
            />
          </label>
          <label className="field">
            <span>About the skill</span>
            <select value={newSkill} onChange={(e) => setNewSkill(e.currentTarget.value)}>
              {skills.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <div className="form__actions">
            <button
              type="button"
              className="button button--secondary"
              disabled={questions.length >= MAX_QUESTIONS || newQuestion.trim().length < 5}
              onClick={addQuestion}
            >
              Add must-ask question
            </button>
          </div>
        </div>
      </section>

      <div className="form__actions">
        <button type="button" className="button button--secondary" disabled={!dirty || busy !== null} onClick={() => void save()}>
          {busy === 'save' ? 'Saving…' : 'Save plan'}
        </button>
        <button type="button" className="button button--primary" disabled={busy !== null} onClick={() => void send()}>
          {busy === 'send' ? 'Sending…' : 'Send invite'}
        </button>
      </div>
    </div>
  );
}
