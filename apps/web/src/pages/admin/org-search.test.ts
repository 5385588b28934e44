import { describe, expect, it } from 'vitest';
import { matchesText } from './org-search.ts';

describe('matchesText', () => {
  it('lets everything through for a blank query', () => {
    expect(matchesText('', '财务部', 'FIN')).toBe(true);
    expect(matchesText('   ', '财务部')).toBe(true);
  });

  it('finds the trimmed query in any text, whatever the case', () => {
    expect(matchesText(' fin ', '财务部', 'FIN-01')).toBe(true);
    expect(matchesText('财务', '财务部', 'FIN-01')).toBe(true);
    expect(matchesText('Reviewer', '评审员', 'rev', 'Chief reviewer')).toBe(true);
  });

  it('refuses a query no text holds, and never matches a missing text', () => {
    expect(matchesText('hr', '财务部', 'FIN-01')).toBe(false);
    expect(matchesText('x', '财务部', null, undefined)).toBe(false);
  });
});
