import { api } from '../../api/client.ts';

/** The shapes of /v1/segments and its sub-routes (apps/server/src/http/routes/segments.ts). */
export type FactType = 'number' | 'list' | 'boolean';
export type FactUnit = 'money' | 'days' | 'count' | 'quintile' | 'probability' | null;

export interface Fact {
  fact: string;
  type: FactType;
  unit: FactUnit;
  description: string;
  operators: string[];
}

export interface Condition {
  fact: string;
  op: string;
  value: number | string | boolean | [number, number];
}
export type Rule = { all: Rule[] } | { any: Rule[] } | Condition;

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  builtIn: boolean;
  rules: Rule;
  customers: number;
}

export interface SegmentUsage {
  flows: { id: string; name: string; status: string }[];
  couponCampaigns: { id: string; name: string }[];
  popups: { id: string; name: string; status: string }[];
}

export interface Member {
  customerId: string;
  email: string | null;
  totalSpent: number;
  ordersCount: number;
  daysSinceLastOrder: number | null;
}

export const loadFacts = () => api<{ data: Fact[] }>('GET', '/v1/segments/facts');
export const loadSegments = () => api<{ data: Segment[] }>('GET', '/v1/segments');
export const loadSegment = (id: string) =>
  api<Segment & { usedBy: SegmentUsage }>('GET', `/v1/segments/${encodeURIComponent(id)}`);
export const loadMembers = (id: string, limit: number) =>
  api<{ data: Member[] }>('GET', `/v1/segments/${encodeURIComponent(id)}/customers`, {
    query: { limit },
  });
export const previewRules = (rules: Rule) =>
  api<{ customers: number }>('POST', '/v1/segments/preview', { body: { rules } });
export const createSegment = (body: { name: string; description?: string; rules: Rule }) =>
  api<Segment>('POST', '/v1/segments', { body });
export const updateSegment = (
  id: string,
  body: { name: string; description?: string; rules: Rule },
) =>
  api<Segment & { usedBy: SegmentUsage }>('PUT', `/v1/segments/${encodeURIComponent(id)}`, {
    body,
  });
