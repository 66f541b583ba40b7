import { useRecruiterTranslation } from '../i18n/recruiter';
import type { Skill } from '../types';

/** Extracted skills with their weight as a bar. */
export function SkillWeights({ skills }: { skills: Skill[] }) {
  const { t } = useRecruiterTranslation();
  if (skills.length === 0) return <p className="muted">{t('create.noSkills')}</p>;
  const max = Math.max(...skills.map((s) => s.weight || 0), 0.0001);
  return (
    <ul className="skill-weights">
      {skills.map((skill) => {
        const percent = Math.round((skill.weight || 0) * 100);
        return (
          <li key={skill.name} className="skill-weights__item">
            <div className="skill-weights__head">
              <span className="skill-weights__name">{skill.name}</span>
              <span className="skill-weights__value">{percent}%</span>
            </div>
            <div
              className="meter"
              role="meter"
              aria-label={t('create.weightOf', { skill: skill.name })}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
            >
              <span className="meter__fill" style={{ width: `${((skill.weight || 0) / max) * 100}%` }} />
            </div>
            {skill.description && <p className="skill-weights__description">{skill.description}</p>}
          </li>
        );
      })}
    </ul>
  );
}
