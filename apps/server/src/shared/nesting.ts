import { z } from 'zod';

/**
 * How deeply a structure a merchant writes (a rule of nested all/any groups, free-form JSON
 * stored as given) may nest. Deep enough for any real rule; shallow enough that no validator,
 * evaluator or PostgreSQL's jsonb parser runs out of stack on it.
 */
export const MAX_NESTING = 32;

/**
 * How deeply a JSON request body may nest: room for a rule of MAX_NESTING groups (two JSON
 * levels each) inside its envelope, and far below what JSON.stringify or a jsonb column take.
 */
export const MAX_BODY_NESTING = 100;

/** Levels of objects and arrays in a JSON value (a scalar is 0), counted up to `stop` only. */
export function jsonDepth(value: unknown, stop = MAX_NESTING + 1): number {
  return walk(value, stop, jsonChildren).depth;
}

/** Levels of `{all: […]}` / `{any: […]}` groups in a rule (a bare condition is 1). */
export function groupDepth(value: unknown, stop = MAX_NESTING + 1): number {
  return walk(value, stop, (node) => {
    if (typeof node !== 'object' || node === null) return null;
    const group = node as { all?: unknown; any?: unknown };
    const key = Array.isArray(group.all) ? 'all' : Array.isArray(group.any) ? 'any' : null;
    return key === null ? [] : (group[key] as unknown[]).map((child, i) => [`${key}.${i}`, child]);
  }).depth;
}

/**
 * The dotted path of the first object or array nested more than `limit` levels deep in a JSON
 * value (`definition.steps.0.rule.all.0…`), or null when none is.
 */
export function tooDeepJsonAt(value: unknown, limit: number): string | null {
  const { depth, path } = walk(value, limit + 1, jsonChildren);
  return depth > limit ? path.join('.') : null;
}

type Children = (node: unknown) => Array<[string, unknown]> | null;

const jsonChildren: Children = (node) =>
  typeof node === 'object' && node !== null ? Object.entries(node) : null;

interface Frame {
  node: unknown;
  level: number;
  key: string;
  parent: Frame | null;
}

// Walked with a stack of its own, never recursion, and not past `stop`: a hostile body of
// 100,000 levels costs no more than one of `stop` levels.
function walk(value: unknown, stop: number, childrenOf: Children) {
  let deepest: Frame | null = null;
  const stack: Frame[] = [{ node: value, level: 1, key: '', parent: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const children = childrenOf(frame.node);
    if (children === null) continue;
    if (frame.level > (deepest?.level ?? 0)) deepest = frame;
    if (frame.level >= stop) break;
    for (const [key, node] of children)
      stack.push({ node, level: frame.level + 1, key, parent: frame });
  }
  const path: string[] = [];
  for (let f = deepest; f?.parent; f = f.parent) path.unshift(f.key);
  return { depth: deepest?.level ?? 0, path };
}

/**
 * `schema`, behind a check of how deeply its input nests: deeper than `MAX_NESTING` is one
 * precise issue at the schema's own path, before the schema walks (and recurses into) it.
 */
export function limitNesting<T extends z.ZodType>(
  schema: T,
  measure: (value: unknown) => number = jsonDepth,
) {
  return z.preprocess((value, ctx) => {
    if (measure(value) > MAX_NESTING)
      ctx.addIssue({ code: 'custom', message: `nests more than ${MAX_NESTING} levels` });
    return value;
  }, schema);
}
