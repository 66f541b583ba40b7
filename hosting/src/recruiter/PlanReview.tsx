import { useEffect, useRef, useState } from 'react';
import { ApiError, deleteCv, editPlan, sendInvite, uploadCv } from '../api';
import type { Credentials } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { recruiterI18n, useRecruiterTranslation } from '../i18n/recruiter';
import type { PlannedQuestion, ReviewPlan, SentInvite, Skill, SkillAnchors } from '../types';

const MAX_QUESTIONS = 16;
const MAX_CV_BYTES = 5 * 1024 * 1024;
const EMPTY_ANCHORS: SkillAnchors = { low: '', mid: '', high: '' };

interface PlanReviewProps {
  initial: ReviewPlan;
  candidateName: string;
  credentials: () => Promise<Credentials>;
  /** The invite is out; `plan` is the plan it froze (as last saved). */
  onSent: (sent: SentInvite, plan: ReviewPlan) => void;
}

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : recruiterI18n.t('review.failed');
}

/** Review before invite: the recruiter edits the draft's skills, rubric anchors and questions, may
 * attach the candidate's CV (which regenerates the plan, keeping their must-ask questions) or remove
 * it (the plan stays), and sends the invite, which freezes the plan. */
export function PlanReview({ initial, candidateName, credentials, onSent }: PlanReviewProps) {
  const { t } = useRecruiterTranslation();
  const [confirmRemove, setConfirmRemove] = useState(false);
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
      setNote(t('review.saved', { version: saved.plan_version }));
    }
    return saved;
  };

  const attach = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_CV_BYTES) {
      setError(t('review.cvTooLarge'));
      return;
    }
    const updated = await run('cv', async () => uploadCv(plan.id, file, file.name, await credentials()));
    if (updated) {
      load(updated);
      setNote(t('review.cvAttachedNote', { version: updated.plan_version }));
    }
  };

  /** Removes the CV (file and text) and keeps the plan as it is: the recruiter edits it if needed. */
  const removeCv = async () => {
    await deleteCv(plan.id, await credentials());
    setConfirmRemove(false);
    setPlan((current) => ({ ...current, cv: null }));
    setError(null);
    setNote(t('review.cvRemovedNote'));
  };

  const send = async () => {
    let frozen: ReviewPlan = { ...plan, skills, question_plan: questions };
    if (dirty) {
      const saved = await save();
      if (!saved) return;
      frozen = saved;
    }
    const sent = await run('send', async () => sendInvite(plan.id, await credentials()));
    if (sent) onSent(sent, frozen);
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
          {t('review.heading', { name: candidateName })}
        </h2>
        <p>{t('review.intro')}</p>
        <p className="muted small" data-testid="plan-version">
          {t('review.planVersion', { version: plan.plan_version })}
          {plan.plan_hash ? ` (${plan.plan_hash})` : ''}
          {dirty ? ` · ${t('review.unsaved')}` : ''}
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
        <h2 id="cv-heading">{t('review.cvHeading')}</h2>
        {plan.cv ? (
          <div className="form__actions">
            <p data-testid="cv-attached">{t('review.cvAttached', { filename: plan.cv.filename, count: plan.cv.pages })}</p>
            <button
              type="button"
              className="button button--ghost-danger button--small"
              disabled={busy !== null}
              onClick={() => setConfirmRemove(true)}
            >
              {t('review.removeCv')}
            </button>
          </div>
        ) : (
          <p className="muted small">{t('review.cvOptional')}</p>
        )}
        {confirmRemove && plan.cv && (
          <ConfirmDialog
            title={t('review.removeCvTitle')}
            confirmLabel={t('review.removeCvConfirm')}
            cancelLabel={t('review.removeCvKeep')}
            busyLabel={t('review.removing')}
            danger
            onCancel={() => setConfirmRemove(false)}
            onConfirm={removeCv}
          >
            <p>{t('review.removeCvBody', { filename: plan.cv.filename })}</p>
          </ConfirmDialog>
        )}
        <label className="field">
          <span>{plan.cv ? t('review.replaceCv') : t('review.attachCv')}</span>
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
        <h2 id="skills-review-heading">{t('review.skillsHeading')}</h2>
        {skills.map((skill, index) => (
          <fieldset key={skill.name} className="review-skill">
            <legend>{skill.name}</legend>
            <label className="field">
              <span>{t('review.weight')}</span>
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
                <span>{t(`review.anchor.${level}`)}</span>
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
        <h2 id="questions-review-heading">{t('review.questionsHeading')}</h2>
        <ol className="review-questions" data-testid="review-questions">
          {questions.map((q, index) => (
            <li key={index} data-testid="review-question">
              <label className="field">
                <span>
                  {t('review.question', { number: index + 1, skill: q.skill })}
                  {q.must_ask ? ` · ${t('review.mustAsk')}` : ''}
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
                  {t('review.moveUp')}
                </button>
                <button
                  type="button"
                  className="button button--ghost"
                  disabled={index === questions.length - 1}
                  onClick={() => move(index, 1)}
                >
                  {t('review.moveDown')}
                </button>
                <button
                  type="button"
                  className="button button--ghost"
                  disabled={questions.length === 1}
                  onClick={() => changeQuestions(questions.filter((_, i) => i !== index))}
                >
                  {t('review.delete')}
                </button>
              </div>
            </li>
          ))}
        </ol>
        <div className="stack">
          <label className="field">
            <span>{t('review.ownQuestion')}</span>
            <textarea
              rows={2}
              maxLength={600}
              value={newQuestion}
              data-testid="must-ask-input"
              onChange={(e) => setNewQuestion(e.currentTarget.value)}
            />
          </label>
          <label className="field">
            <span>{t('review.aboutSkill')}</span>
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
              {t('review.addMustAsk')}
            </button>
          </div>
        </div>
      </section>

      <div className="form__actions">
        <button type="button" className="button button--secondary" disabled={!dirty || busy !== null} onClick={() => void save()}>
          {busy === 'save' ? t('review.saving') : t('review.save')}
        </button>
        <button type="button" className="button button--primary" disabled={busy !== null} onClick={() => void send()}>
          {busy === 'send' ? t('review.sending') : t('review.send')}
        </button>
      </div>
    </div>
  );
}
