import type { Condition, Fact, Rule } from './segments-data.ts';

/**
 * The rule builder's working copy of a rule: groups and conditions with keys for React, and
 * values that may still be empty while a person types. `toRule` gives the API's rule once
 * every condition is complete (else null); `fromRule` reads a saved one.
 */
export type DraftValue =
  number | string | boolean | [number | undefined, number | undefined] | undefined;
export interface DraftCondition {
  key: number;
  kind: 'condition';
  fact: string;
  op: string;
  value: DraftValue;
}
export interface DraftGroup {
  key: number;
  kind: 'group';
  join: 'all' | 'any';
  children: DraftNode[];
}
export type DraftNode = DraftCondition | DraftGroup;

let nextKey = 1;
const key = () => nextKey++;

export function emptyValue(fact: Fact | undefined, op: string): DraftValue {
  if (fact?.type === 'boolean') return true;
  if (op === 'between') return [undefined, undefined];
  return undefined;
}

export function newCondition(facts: Fact[]): DraftCondition {
  const fact = facts[0]!;
  const op = fact.operators[0]!;
  return { key: key(), kind: 'condition', fact: fact.fact, op, value: emptyValue(fact, op) };
}

export function newGroup(facts: Fact[], join: 'all' | 'any' = 'all'): DraftGroup {
  return { key: key(), kind: 'group', join, children: [newCondition(facts)] };
}

/** The root is always a group, so the builder has one place to add conditions. */
export function fromRule(rule: Rule): DraftGroup {
  const node = readNode(rule);
  return node.kind === 'group'
    ? node
    : { key: key(), kind: 'group', join: 'all', children: [node] };
}

function readNode(rule: Rule): DraftNode {
  if ('all' in rule)
    return { key: key(), kind: 'group', join: 'all', children: rule.all.map(readNode) };
  if ('any' in rule)
    return { key: key(), kind: 'group', join: 'any', children: rule.any.map(readNode) };
  return {
    key: key(),
    kind: 'condition',
    fact: rule.fact,
    op: rule.op,
    value: Array.isArray(rule.value) ? [rule.value[0], rule.value[1]] : rule.value,
  };
}

/** The API's rule, or null while a condition is incomplete or a group empty. */
export function toRule(node: DraftNode): Rule | null {
  if (node.kind === 'group') {
    const children = node.children.map(toRule);
    if (children.length === 0 || children.some((c) => c === null)) return null;
    return node.join === 'all' ? { all: children as Rule[] } : { any: children as Rule[] };
  }
  const { fact, op, value } = node;
  if (value === undefined || value === '') return null;
  if (Array.isArray(value)) {
    const [low, high] = value;
    if (low === undefined || high === undefined) return null;
    return { fact, op, value: [low, high] } satisfies Condition;
  }
  return { fact, op, value } satisfies Condition;
}
