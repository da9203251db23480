/**
 * Validation at the boundary: every rejected value names the field, what was expected and
 * what arrived (in the spirit of sharp's lib/is.js and piscina's option checks).
 */
import type { z } from 'zod';

/** One rejected field. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `ops.resize.width`. */
  field: string;
  /** What the field needs. */
  expected: string;
  /** What arrived, rendered for a person (JSON, cut at 80 characters). */
  received: string;
}

/** Thrown (or returned) when options fail validation. */
export class InvalidOptionsError extends Error {
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[]) {
    super(
      'Invalid options: ' +
        problems.map((p) => `${p.field}: expected ${p.expected}, received ${p.received}`).join('; '),
    );
    this.name = 'InvalidOptionsError';
    this.problems = problems;
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

function at(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'a whole number' : `${issue.expected}`;
    case 'too_small':
      if (issue.origin === 'array') return `at least ${issue.minimum} item(s)`;
      if (issue.origin === 'string') return 'a non-empty string';
      return `a number >= ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array' ? `at most ${issue.maximum} item(s)` : `a number <= ${issue.maximum}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `no unknown field (got ${issue.keys.join(', ')})`;
    default:
      return issue.message;
  }
}

/**
 * Parse `input` with `schema`; on failure throw an {@link InvalidOptionsError} naming each field.
 *
 * @example
 * const spec = parseOrThrow(JobSpecSchema, { inputs: ['photos'], output: 'out' });
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new InvalidOptionsError(
    r.error.issues.map((issue) => {
      const field = prefix + (issue.path.length ? issue.path.map(String).join('.') : '(root)');
      const received =
        issue.code === 'unrecognized_keys' ? show(issue.keys) : show(at(input, issue.path as PropertyKey[]));
      return { field, expected: expectation(issue), received };
    }),
  );
}
