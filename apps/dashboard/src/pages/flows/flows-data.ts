import { api } from '../../api/client.ts';

/** The shapes of /v1/flows, /v1/flows/ready and /v1/flows/{id}/results (docs/automation.md). */
export type FlowStatus = 'active' | 'paused' | 'archived';
export type Bilingual = { pl: string; en: string };

export type Trigger =
  | { type: 'order.paid'; nth?: number }
  | { type: 'customer.created' | 'order.fulfilled' | 'order.refunded' }
  | { type: 'birthday' | 'name_day' | 'tier.at_risk' | 'referral.qualified' }
  | { type: 'points.expiring'; days: number }
  | { type: 'points.milestone'; points: number }
  | { type: 'customer.dormant'; days: number }
  | { type: 'tier.changed'; direction?: 'up' | 'down' }
  | { type: 'survey.answered'; category?: 'promoter' | 'passive' | 'detractor' }
  | { type: 'activity'; activityType: string };
export type TriggerType = Trigger['type'];
export const TRIGGER_TYPES: TriggerType[] = [
  'order.paid',
  'customer.created',
  'order.fulfilled',
  'order.refunded',
  'birthday',
  'name_day',
  'points.expiring',
  'points.milestone',
  'customer.dormant',
  'tier.changed',
  'tier.at_risk',
  'referral.qualified',
  'survey.answered',
  'activity',
];

export type Discount =
  | { kind: 'fixed'; amount: number }
  | { kind: 'percentage'; percent: number; cap?: number | null }
  | { kind: 'free_shipping' };
export type Grant =
  | { kind: 'points'; points: number }
  | { kind: 'coupon'; discount: Discount; minBasket?: number | null; validDays: number }
  | { kind: 'reward'; rewardId: string };

export type Step =
  | {
      id: string;
      type: 'wait';
      duration?: { days?: number; hours?: number; minutes?: number };
      untilTime?: string;
    }
  | {
      id: string;
      type: 'condition';
      rule?: unknown;
      segmentId?: string;
      noComplaint?: boolean;
      else: string;
    }
  | {
      id: string;
      type: 'send';
      channel: 'email' | 'sms' | 'push';
      template: string;
      purpose: 'marketing' | 'loyalty' | 'feedback';
      withGrantOf?: string;
    }
  | { id: string; type: 'grant'; grant: Grant }
  | {
      id: string;
      type: 'split';
      variants: Array<{ key: string; weight: number; goto?: string }>;
      holdoutWeight: number;
    }
  | { id: string; type: 'webhook'; endpointId: string }
  | { id: string; type: 'task'; title: string };
export type StepType = Step['type'];
export const STEP_TYPES: StepType[] = [
  'wait',
  'condition',
  'send',
  'grant',
  'split',
  'webhook',
  'task',
];

export type ExitType = 'order.paid' | 'order.refunded' | 'survey.answered';
export const EXIT_TYPES: ExitType[] = ['order.paid', 'order.refunded', 'survey.answered'];
export type Reentry = { mode: 'never' } | { mode: 'always' } | { mode: 'after_days'; days: number };

export interface FlowDefinition {
  trigger: Trigger;
  steps: Step[];
  exitOn: Array<{ type: ExitType }>;
  reentry: Reentry;
}

export interface Flow {
  id: string;
  name: string;
  readyKey: string | null;
  status: FlowStatus;
  version: number;
  definition: FlowDefinition;
  createdAt: string;
  updatedAt: string;
}

export interface ReadyFlow {
  key: string;
  name: Bilingual;
  description: Bilingual;
  definition: FlowDefinition;
}

export interface Difference {
  control: string;
  difference?: number;
  relative?: number | null;
  ci95?: [number, number];
  pValue?: number | null;
}

export interface FlowResults {
  flowId: string;
  name: string;
  version: number;
  since: string;
  currency: string;
  runs: Record<string, number>;
  versions: Array<{ version: number; runs: number; active: number }>;
  steps: Array<{ stepId: string; type: string; outcomes: Record<string, number> }>;
  messages: Array<{
    stepId: string;
    variant: string | null;
    total: number;
    sent: number;
    byStatus: Record<string, number>;
    notSent: Record<string, number>;
    opened: number;
    clicked: number;
    converted: number;
    revenue: number;
  }>;
  variants: Array<{
    variant: string;
    runs: number;
    converted: number;
    conversionRate: number | null;
    againstControl: Difference | null;
  }>;
  conversionDays: number;
}

export const loadFlows = () => api<{ flows: Flow[] }>('GET', '/v1/flows').then((r) => r.flows);
export const loadReadyFlows = () =>
  api<{ flows: ReadyFlow[] }>('GET', '/v1/flows/ready').then((r) => r.flows);
export const enableReadyFlow = (key: string) =>
  api<Flow>('POST', `/v1/flows/ready/${encodeURIComponent(key)}`);
export const loadFlow = (id: string) => api<Flow>('GET', `/v1/flows/${encodeURIComponent(id)}`);
export const updateFlow = (
  id: string,
  body: {
    name?: string;
    status?: FlowStatus;
    definition?: FlowDefinition;
    /** The version the editor started from: a version saved meanwhile → 409. */
    expectedVersion?: number;
  },
) => api<Flow>('PUT', `/v1/flows/${encodeURIComponent(id)}`, { body });
export const loadResults = (id: string) =>
  api<FlowResults>('GET', `/v1/flows/${encodeURIComponent(id)}/results`);

/** Choices for the step settings: the shop's templates, rewards, segments and endpoints. */
export const loadTemplates = () =>
  api<{ data: Array<{ key: string; purpose: string }> }>('GET', '/v1/messaging/templates').then(
    (r) => r.data,
  );
export const loadRewards = () => api<Array<{ id: string; name: unknown }>>('GET', '/v1/rewards');
export const loadSegments = () =>
  api<{ data: Array<{ id: string; name: string }> }>('GET', '/v1/segments').then((r) => r.data);
export const loadEndpoints = () =>
  api<{ data: Array<{ id: string; url: string }> }>('GET', '/v1/webhook-endpoints').then(
    (r) => r.data,
  );

/** A step of a type, with settings that pass the server's schema, to start editing from. */
export function newStep(type: StepType, id: string, laterIds: string[]): Step {
  switch (type) {
    case 'wait':
      return { id, type, duration: { days: 1 } };
    case 'condition':
      return { id, type, noComplaint: true, else: 'exit' };
    case 'send':
      return { id, type, channel: 'email', template: 'welcome.tip', purpose: 'marketing' };
    case 'grant':
      return { id, type, grant: { kind: 'points', points: 100 } };
    case 'split':
      return {
        id,
        type,
        variants: [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 1, ...(laterIds[0] ? { goto: laterIds[0] } : {}) },
        ],
        holdoutWeight: 1,
      };
    case 'webhook':
      return { id, type, endpointId: '' };
    case 'task':
      return { id, type, title: '' };
  }
}
