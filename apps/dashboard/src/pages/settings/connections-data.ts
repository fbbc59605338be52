import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import type { JsonSchema } from './schema-form.ts';

export type ConnectionState = 'active' | 'retrying' | 'paused' | 'error' | 'alert';

/** GET /v1/connections/{id}: a connection's status (never its credentials). */
export interface Connection {
  id: string;
  platform: string;
  name: string;
  accountName: string | null;
  state: ConnectionState;
  attention: string | null;
  settings: Record<string, unknown>;
  pushCodes: boolean;
  pull: {
    lastAt: string | null;
    lastOkAt: string | null;
    nextAt: string | null;
    lagSeconds: number | null;
    failuresInARow: number;
    recordsPulled: number;
  };
  push: {
    lastAt: string | null;
    lastOkAt: string | null;
    failuresInARow: number;
    codes: { pending: number; created: number; disabled: number; failing: number };
  };
  backfill: {
    from: string;
    until: string | null;
    earnPoints: boolean;
    imported: number;
    total: number | null;
    doneAt: string | null;
  } | null;
  errors: Array<{ at: string; direction: string; kind: string; message: string }>;
  createdAt: string;
}

/** GET /v1/connection-platforms: a platform Lojal can connect, with its form as JSON Schema. */
export interface ConnectionPlatform {
  id: string;
  name: string;
  pushCodes: boolean;
  credentials: JsonSchema;
  settings: JsonSchema;
  guide: string;
}

export interface NewConnection {
  platform: string;
  credentials: Record<string, unknown>;
  settings: Record<string, unknown>;
  backfill: { months: number; earnPoints: boolean };
  pushCodes?: boolean;
}

export interface ConnectionPatch {
  paused?: boolean;
  credentials?: Record<string, unknown>;
}

const key = (shopId: string) => ['connections', shopId];

/** The shop's connections, looked at again every 15 s while the page is open. */
export function useConnections() {
  const { membership } = useShop();
  return useQuery({
    queryKey: key(membership.id),
    queryFn: () => api<{ data: Connection[] }>('GET', '/v1/connections'),
    refetchInterval: 15_000,
  });
}

export function useConnectionPlatforms(enabled: boolean) {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['connection-platforms', membership.id],
    queryFn: () => api<{ data: ConnectionPlatform[] }>('GET', '/v1/connection-platforms'),
    enabled,
    staleTime: Infinity,
  });
}

/** POST /v1/connections: tested with the platform first; the answer carries the hook URL once. */
export function useConnect() {
  const { membership } = useShop();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewConnection) =>
      api<Connection & { hookUrl: string }>('POST', '/v1/connections', { body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key(membership.id) }),
  });
}

/** PATCH (pause, resume, new credentials), sync now, remove: each refreshes the list. */
export function useConnectionActions(id: string) {
  const { membership } = useShop();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: key(membership.id) });
  const path = `/v1/connections/${encodeURIComponent(id)}`;
  return {
    update: useMutation({
      mutationFn: (patch: ConnectionPatch) => api<Connection>('PATCH', path, { body: patch }),
      onSuccess: refresh,
    }),
    /** New credentials: a mutation of its own, so its errors stay in its dialog. */
    replace: useMutation({
      mutationFn: (credentials: Record<string, unknown>) =>
        api<Connection>('PATCH', path, { body: { credentials } }),
      onSuccess: refresh,
    }),
    sync: useMutation({
      mutationFn: () => api<Connection>('POST', `${path}/sync`),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: () => api<undefined>('DELETE', path),
      onSuccess: refresh,
    }),
  };
}
