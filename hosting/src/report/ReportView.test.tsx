import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { InterviewDoc, ReportDoc, TurnDoc } from '../types';
import { ReportView } from './ReportView';

const turns: TurnDoc[] = [
  { seq: 0, role: 'agent', text: 'Welcome! Tell me about your Python work.', started_at: '2025-03-01T10:00:00Z' },
  { seq: 1, role: 'candidate', text: 'I wrote an async ingestion service in Python handling 5k events per second.', started_at: '2025-03-01T10:00:20Z' },
  { seq: 2, role: 'agent', text: 'And testing?', started_at: '2025-03-01T10:01:05Z' },
  { seq: 3, role: 'candidate', text: 'We had property-based tests with Hypothesis for the parsers.', started_at: '2025-03-01T10:01:10Z', interrupted: true },
];

const interview: InterviewDoc = {
  id: 'int-1',
  candidate: { name: 'Ada Lovelace', email: 'ada@example.com' },
  role: 'Backend engineer',
  status: 'evaluated',
  started_at: '2025-03-01T10:00:00Z',
};

const report: ReportDoc = {
  overall_score: 78.4,
  recommendation: 'lean_hire',
  summary: 'Solid Python skills; little evidence on system design.',
  competencies: [
    { name: 'Python', score: 4 },
    { name: 'Testing', score: 3 },
    { name: 'System design', score: null },
  ],
  skills: [
    {
      name: 'Python',
      score: 4,
      rationale: 'Built a production async service.',
      evidence: ['an async ingestion service in Python', 'I have ten years of Rust'],
    },
    { name: 'Testing', score: 3, rationale: 'Uses property-based tests.', evidence: ['property-based tests with Hypothesis'] },
    { name: 'System design', score: null, rationale: 'Not discussed.', evidence: [] },
  ],
  strengths: ['Clear communication'],
  weaknesses: ['Shallow on databases'],
  red_flags: [],
  improvement_areas: ['Distributed systems'],
  coverage: [
    { skill: 'Python', probed: true },
    { skill: 'Testing', probed: true },
    { skill: 'System design', probed: false },
  ],
  model: 'local-emulator/gemini-2.5-flash',
  prompt_version: 'eval-v3',
  created_at: '2025-03-01T10:30:00Z',
};

describe('ReportView', () => {
  it('shows the overall score and the recommendation', () => {
    render(<ReportView report={report} interview={interview} turns={turns} />);
    expect(screen.getByTestId('overall-score')).toHaveTextContent('78');
    expect(screen.getByTestId('recommendation')).toHaveTextContent('Lean hire');
    expect(screen.getByText(/Solid Python skills/)).toBeInTheDocument();
  });

  it('links evidence quotes to the transcript turn that holds them', () => {
    render(<ReportView report={report} interview={interview} turns={turns} />);
    const python = screen.getByRole('list', { name: 'Evidence for Python' });
    const link = within(python).getByRole('link', { name: /async ingestion service/ });
    expect(link).toHaveAttribute('href', '#turn-1');
    expect(document.getElementById('turn-1')).toHaveTextContent('5k events per second');
    // A quote that is not in the transcript is shown, but not linked.
    expect(within(python).getByText(/ten years of Rust/)).not.toHaveAttribute('href');
    expect(within(python).getByText(/not found in the transcript/)).toBeInTheDocument();
    const testing = screen.getByRole('list', { name: 'Evidence for Testing' });
    expect(within(testing).getByRole('link')).toHaveAttribute('href', '#turn-3');
  });

  it('marks skills that were not assessed', () => {
    render(<ReportView report={report} interview={interview} turns={turns} />);
    const skills = screen.getAllByTestId('skill-score');
    const design = skills.find((s) => s.textContent?.includes('System design'));
    expect(design).toBeDefined();
    expect(within(design!).getByText('Not assessed')).toBeInTheDocument();
    expect(within(skills[0]).getByLabelText('4 of 5')).toBeInTheDocument();
    const coverage = screen.getByRole('heading', { name: 'Not assessed' }).parentElement!;
    expect(within(coverage).getByText('System design')).toBeInTheDocument();
    expect(screen.getByText('2 of 3 planned skills were probed.')).toBeInTheDocument();
  });

  it('draws the radar chart of competencies', () => {
    render(<ReportView report={report} interview={interview} turns={turns} />);
    const chart = screen.getByRole('img', { name: /Competency scores/ });
    expect(chart).toHaveAccessibleName(/System design: not assessed/);
    expect(chart.querySelectorAll('.radar__dot:not(.radar__dot--missing)')).toHaveLength(2);
    expect(chart.querySelectorAll('.radar__dot--missing')).toHaveLength(1);
  });

  it('shows the transcript with timestamps, findings and provenance', () => {
    render(<ReportView report={report} interview={interview} turns={turns} />);
    const turn = document.getElementById('turn-3')!;
    expect(within(turn).getByText('Ada Lovelace')).toBeInTheDocument();
    expect(within(turn).getByText('1:10')).toBeInTheDocument();
    expect(within(turn).getByText('interrupted')).toBeInTheDocument();
    expect(screen.getByText('Clear communication')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Red flags' }).nextElementSibling).toHaveTextContent('None noted.');
    expect(screen.getByTestId('report-model')).toHaveTextContent('local-emulator/gemini-2.5-flash');
    expect(screen.getByTestId('report-prompt-version')).toHaveTextContent('eval-v3');
  });

  it('renders a report with missing fields without crashing', () => {
    render(<ReportView report={{ skills: [{ name: 'Go' } as never], coverage: undefined, strengths: 'oops' as never }} turns={[]} />);
    expect(screen.getByTestId('overall-score')).toHaveTextContent('—');
    expect(screen.getByTestId('recommendation')).toHaveTextContent('No recommendation');
    expect(screen.getAllByText('Not assessed').length).toBeGreaterThan(0);
    expect(screen.getByText('No transcript yet.')).toBeInTheDocument();
    expect(screen.getByTestId('report-model')).toHaveTextContent('an unknown model');
  });
});

describe('ReportView integrity', () => {
  const incomplete: ReportDoc = {
    ...report,
    recommendation: null,
    withheld_recommendation: 'hire',
    integrity: {
      review_required: true,
      transcript_incomplete: true,
      missing_seqs: [3, 15, 16],
      missing_count: 3,
      notes: ['Transcript incomplete: 3 of 17 turns are missing (sequence numbers 3, 15, 16); the scores do not see them.'],
    },
  };

  it('names the missing turns at the top and withholds the recommendation', () => {
    render(<ReportView report={incomplete} interview={interview} turns={turns} />);
    const banner = screen.getByTestId('integrity');
    expect(within(banner).getByText(/Transcript incomplete: 3 of 17/)).toBeTruthy();
    expect(screen.getByTestId('missing-turns').textContent).toContain('3, 15, 16');
    expect(screen.getByTestId('recommendation').textContent).toBe('Recommendation withheld until reviewed');
    expect(screen.queryByRole('button', { name: 'Mark reviewed' })).toBeNull();
  });

  it('offers the review to those who may give it', () => {
    render(<ReportView report={incomplete} interview={interview} turns={turns} onReview={async () => undefined} />);
    expect(screen.getByRole('button', { name: 'Mark reviewed' })).toBeTruthy();
  });

  it('shows nothing for a report that needs no review', () => {
    render(<ReportView report={report} interview={interview} turns={turns} />);
    expect(screen.queryByTestId('integrity')).toBeNull();
  });
});
