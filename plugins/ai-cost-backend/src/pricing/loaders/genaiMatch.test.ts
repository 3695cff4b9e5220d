import { clauseNames, matchesName } from './genaiMatch';

describe('matchesName', () => {
  it.each([
    [{ equals: 'GPT-4o' }, 'gpt-4o', true],
    [{ starts_with: 'claude-sonnet-4-5' }, 'claude-sonnet-4-5-20250929', true],
    [{ ends_with: ':free' }, 'phi-4:free', true],
    [{ contains: 'claude-sonnet-4' }, 'us.claude-sonnet-4-5', true],
    [{ regex: '^o[134]' }, 'o3-mini', true],
    [{ regex: '^o[134]' }, 'gpt-o3', false],
    [{ or: [{ equals: 'a' }, { equals: 'b' }] }, 'b', true],
    [{ and: [{ starts_with: 'gpt' }, { ends_with: 'mini' }] }, 'gpt-4o', false],
    [{ regex: '(' }, 'anything', false],
  ])('matches %j against %p', (match, name, expected) => {
    expect(matchesName(match, name)).toBe(expected);
  });
});

describe('clauseNames', () => {
  it('returns the texts of conditions under or', () => {
    expect(
      clauseNames({
        or: [
          { starts_with: 'claude-opus-4-0' },
          { equals: 'claude-opus-4' },
          { regex: '^claude' },
        ],
      }),
    ).toEqual(['claude-opus-4-0', 'claude-opus-4']);
  });

  it('leaves out conditions under and', () => {
    expect(
      clauseNames({ and: [{ starts_with: 'gpt' }, { ends_with: 'mini' }] }),
    ).toEqual([]);
  });
});
