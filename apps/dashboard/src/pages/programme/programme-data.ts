import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { JsonSchema, ProgrammeState, RuleKind, Version } from './types.ts';

/** One hook per API resource of the programme, keyed by the shop. */
export function useProgramme(shopId: string) {
  return useQuery({
    queryKey: ['programme', shopId],
    queryFn: () => api<ProgrammeState>('GET', '/v1/programme'),
  });
}

export function useRuleKinds(shopId: string) {
  return useQuery({
    queryKey: ['programme-rule-kinds', shopId],
    queryFn: () => api<RuleKind[]>('GET', '/v1/programme/rule-kinds'),
    staleTime: Infinity,
  });
}

export function useVersions(shopId: string) {
  return useQuery({
    queryKey: ['programme-versions', shopId],
    queryFn: () => api<{ data: Version[] }>('GET', '/v1/programme/versions'),
  });
}

/** A rule's limit per customer (the `cap` of every rule, docs/points.md). */
export const CAP_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    period: { type: 'string', enum: ['day', 'week', 'month', 'year', 'lifetime'] },
    points: { type: 'integer', minimum: 1 },
    times: { type: 'integer', minimum: 1 },
  },
  required: ['period'],
};

/** The settings of a programme version (docs/points.md, "Settings"). */
export const SETTINGS_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    expiryMonths: { type: ['integer', 'null'], minimum: 1, maximum: 120 },
    pointValue: { type: 'number', minimum: 0, maximum: 100_000 },
    refundShortfall: { type: 'string', enum: ['negative', 'absorb'] },
    returnPointsOnExpiredRewardCoupon: { type: 'boolean' },
    holdoutPercent: { type: 'number', minimum: 0, maximum: 50 },
  },
};
