import type { ReactNode } from 'react';
import { useShop } from '../../layout/shop-context.ts';
import { canManage } from './settings-data.ts';
import { SectionFrame } from '../../ui/section-frame.tsx';

const SECTIONS = [
  { to: '/settings', label: 'settings.nav.shop', manage: false },
  { to: '/settings/brand', label: 'settings.nav.brand', manage: false },
  { to: '/settings/storefront', label: 'storefront.nav', manage: false },
  { to: '/settings/api-keys', label: 'settings.nav.apiKeys', manage: true },
  { to: '/settings/webhook-secret', label: 'settings.nav.webhookSecret', manage: true },
  { to: '/settings/connections', label: 'connections.nav', manage: true },
  { to: '/team', label: 'settings.nav.team', manage: false },
  { to: '/settings/audit-log', label: 'settings.nav.auditLog', manage: true },
] as const;

/**
 * Every settings page: its title and the settings menu. Keys, the webhook secret, connections
 * and the audit log are listed only for owners and admins (others get the forbidden state if they open them).
 */
export function SettingsFrame(props: { title: string; intro?: ReactNode; children: ReactNode }) {
  const { membership } = useShop();
  const sections = SECTIONS.filter((s) => !s.manage || canManage(membership.role));
  return (
    <SectionFrame
      navLabel="settings.nav.label"
      testId="settings-nav"
      sections={sections}
      {...props}
    />
  );
}
