import type { ReactNode } from 'react';
import { SectionFrame } from '../../ui/section-frame.tsx';

const SECTIONS = [
  { to: '/messages', label: 'messages.tab.log' },
  { to: '/messages/outbox', label: 'messages.tab.outbox' },
  { to: '/messages/templates', label: 'messages.tab.templates' },
  { to: '/messages/consent', label: 'messages.tab.consent' },
  { to: '/messages/settings', label: 'messages.tab.settings' },
] as const;

/** Every Messages page: its title, an intro, and the section menu. */
export function MessagesFrame(props: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <SectionFrame
      navLabel="messages.tab.label"
      testId="messages-nav"
      sections={SECTIONS}
      {...props}
    />
  );
}
