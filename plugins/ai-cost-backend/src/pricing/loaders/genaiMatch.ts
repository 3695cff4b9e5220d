/**
 * Model matching of the genai-prices v2 data: a model's `match` is a
 * clause of `equals`, `starts_with`, `ends_with`, `contains` and `regex`
 * conditions combined with `or` and `and`. genai-prices compares text
 * without letter case and runs `regex` as a JavaScript regular expression
 * (`matchLogic` in packages/js/src/engine.ts at commit 47df840).
 */

type Clause = Record<string, unknown>;

/** True when a `match` clause accepts the model name. */
export function matchesName(match: unknown, name: string): boolean {
  if (!isClause(match)) {
    return false;
  }

  const text = name.toLowerCase();
  if (Array.isArray(match.or)) {
    return match.or.some(clause => matchesName(clause, name));
  }
  if (Array.isArray(match.and)) {
    return match.and.every(clause => matchesName(clause, name));
  }
  if (typeof match.equals === 'string') {
    return text === match.equals.toLowerCase();
  }
  if (typeof match.starts_with === 'string') {
    return text.startsWith(match.starts_with.toLowerCase());
  }
  if (typeof match.ends_with === 'string') {
    return text.endsWith(match.ends_with.toLowerCase());
  }
  if (typeof match.contains === 'string') {
    return text.includes(match.contains.toLowerCase());
  }
  if (typeof match.regex === 'string') {
    return safeRegExp(match.regex)?.test(name) ?? false;
  }
  return false;
}

/**
 * Returns the text of each `equals`, `starts_with`, `ends_with` and
 * `contains` condition, directly or inside `or`. Each such text is a name
 * that the clause accepts. Conditions under `and` are left out, as their
 * text alone need not pass the other conditions.
 */
export function clauseNames(match: unknown): string[] {
  if (!isClause(match)) {
    return [];
  }
  if (Array.isArray(match.or)) {
    return match.or.flatMap(clause => clauseNames(clause));
  }

  for (const kind of ['equals', 'starts_with', 'ends_with', 'contains']) {
    const text = match[kind];
    if (typeof text === 'string') {
      return [text];
    }
  }
  return [];
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

function isClause(value: unknown): value is Clause {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
