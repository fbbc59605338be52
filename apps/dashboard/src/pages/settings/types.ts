import type { Shop } from '../../api/types.ts';

/** GET /v1/shop as the settings pages read it (the shell's Shop, with what they change). */
export interface ShopSettings extends Shop {
  slug: string;
  returnWindowDays: number;
  storefrontUrl: string | null;
  storefrontOrigins: string[];
  storefrontJoinUrl: string | null;
  brand: { logoUrl: string | null; primaryColor: string | null; accentColor: string | null };
  connection: { shopifyWebhookUrl: string; woocommerceWebhookUrl: string; eventsUrl: string };
}

export interface ApiKey {
  id: string;
  hint: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface NewApiKey {
  id: string;
  apiKey: string;
  hint: string;
  label: string | null;
}

export interface RotatedSecret {
  webhookSecret: string;
  previousSecretsValidUntil: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { type: 'user' | 'api_key' | 'staff' | 'system'; id: string | null; name: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  before?: unknown;
  after?: unknown;
}

export interface AuditPage {
  data: AuditEntry[];
  nextBefore: string | null;
}
