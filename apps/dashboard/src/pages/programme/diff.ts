import type { Programme, Rule } from './types.ts';

/** One difference between two programme versions, for the history. */
export type Change =
  | { kind: 'ruleAdded'; rule: Rule }
  | { kind: 'ruleRemoved'; rule: Rule }
  | { kind: 'ruleChanged'; rule: Rule; field: string; before: unknown; after: unknown }
  | { kind: 'settingChanged'; field: string; before: unknown; after: unknown }
  | { kind: 'campaignsChanged'; before: number; after: number };

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What changed from `before` to `after`: rules by id (args field by field), then settings. */
export function diffProgrammes(before: Programme, after: Programme): Change[] {
  const changes: Change[] = [];
  const old = new Map(before.rules.map((r) => [r.id, r]));
  const now = new Map(after.rules.map((r) => [r.id, r]));
  for (const rule of after.rules) {
    const was = old.get(rule.id);
    if (!was || was.code !== rule.code) {
      changes.push({ kind: 'ruleAdded', rule });
      continue;
    }
    const keys = new Set([...Object.keys(was.args), ...Object.keys(rule.args)]);
    for (const key of keys) {
      if (!same(was.args[key], rule.args[key])) {
        changes.push({
          kind: 'ruleChanged',
          rule,
          field: `args.${key}`,
          before: was.args[key],
          after: rule.args[key],
        });
      }
    }
    if (was.active !== rule.active) {
      changes.push({
        kind: 'ruleChanged',
        rule,
        field: 'active',
        before: was.active,
        after: rule.active,
      });
    }
    if (!same(was.cap, rule.cap)) {
      changes.push({ kind: 'ruleChanged', rule, field: 'cap', before: was.cap, after: rule.cap });
    }
  }
  for (const rule of before.rules) {
    const still = now.get(rule.id);
    if (!still || still.code !== rule.code) changes.push({ kind: 'ruleRemoved', rule });
  }
  const settingKeys = new Set([...Object.keys(before.settings), ...Object.keys(after.settings)]);
  for (const key of settingKeys) {
    if (!same(before.settings[key], after.settings[key])) {
      changes.push({
        kind: 'settingChanged',
        field: key,
        before: before.settings[key],
        after: after.settings[key],
      });
    }
  }
  if (!same(before.campaigns, after.campaigns)) {
    changes.push({
      kind: 'campaignsChanged',
      before: before.campaigns.length,
      after: after.campaigns.length,
    });
  }
  return changes;
}
