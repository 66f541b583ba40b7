import { describe, expect, it } from 'vitest';
import { allowedActions } from './InterviewActions';

describe('allowedActions', () => {
  it.each([
    ['invited', ['cancel', 'delete']],
    ['in_progress', ['cancel']],
    ['completed', ['delete']],
    ['evaluating', ['delete']],
    ['evaluated', ['reevaluate', 'delete']],
    ['evaluation_failed', ['reevaluate', 'delete']],
    ['cancelled', ['delete']],
    ['expired', ['delete']],
  ])('offers the right actions for %s', (status, expected) => {
    expect(allowedActions(status)).toEqual(expected);
  });
});
