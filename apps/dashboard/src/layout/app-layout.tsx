import { useState } from 'react';
import {
  AppShell,
  Burger,
  Button,
  Group,
  NavLink,
  Select,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, Outlet, useMatchRoute, useNavigate } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../api/client.ts';
import { chooseShop, isSignedOut, rememberShop, useMe } from '../api/session.ts';
import type { Shop } from '../api/types.ts';
import { Failure, Loading } from '../ui/states.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { ShopContext } from './shop-context.ts';

/** Everything behind sign-in: the header (shop, language, sign out), the menu, the page. */
export function AppLayout() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.error) {
    if (isSignedOut(me.error)) return <Navigate to="/sign-in" />;
    return <Failure error={me.error} onRetry={() => void me.refetch()} />;
  }
  return <SignedIn me={me.data} />;
}

function SignedIn({ me }: { me: NonNullable<ReturnType<typeof useMe>['data']> }) {
  const intl = useIntl();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [shopId, setShopId] = useState(() => chooseShop(me)?.id);
  const membership = me.shops.find((s) => s.id === shopId) ?? me.shops[0];
  const matchRoute = useMatchRoute();
  const shop = useQuery({
    queryKey: ['shop', membership?.id],
    queryFn: () => api<Shop>('GET', '/v1/shop'),
    enabled: !!membership,
  });

  const switchShop = (id: string | null) => {
    if (!id) return;
    rememberShop(id);
    setShopId(id);
    // Nothing of the previous shop may show under the new one.
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  };
  const signOut = async () => {
    try {
      await api('DELETE', '/v1/session', { noShop: true });
    } finally {
      queryClient.clear();
      await navigate({ to: '/sign-in' });
    }
  };

  if (!membership) {
    return <Failure error={new Error(intl.formatMessage({ id: 'app.forbidden' }))} />;
  }
  const links = [
    { to: '/', label: 'nav.home' },
    { to: '/onboarding', label: 'nav.onboarding' },
    { to: '/analytics', label: 'nav.analytics' },
    { to: '/customers', label: 'nav.customers' },
    { to: '/segments', label: 'nav.segments' },
    { to: '/feedback', label: 'nav.feedback' },
    { to: '/programme', label: 'nav.programme' },
    { to: '/rewards', label: 'nav.rewards' },
    { to: '/coupons', label: 'nav.coupons' },
    { to: '/gift-cards', label: 'nav.giftCards' },
    { to: '/tiers', label: 'nav.tiers' },
    { to: '/stamp-cards', label: 'nav.stamps' },
    { to: '/referrals', label: 'nav.referrals' },
    { to: '/flows', label: 'nav.flows' },
    { to: '/messages', label: 'nav.messages' },
    { to: '/printables', label: 'nav.printables' },
    { to: '/team', label: 'nav.team' },
    { to: '/settings', label: 'nav.settings' },
  ] as const;

  return (
    <ShopContext.Provider value={{ me, membership, shop: shop.data }}>
      <a href="#main" className="skip-link">
        <FormattedMessage id="app.skip" />
      </a>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={() => setOpened((o) => !o)}
                hiddenFrom="sm"
                size="sm"
                aria-label={intl.formatMessage({ id: 'nav.menu' })}
              />
              <Text fw={700} size="lg" c="teal.9">
                Lojal
              </Text>
              <Select
                aria-label={intl.formatMessage({ id: 'shop.switch' })}
                data={me.shops.map((s) => ({ value: s.id, label: s.name }))}
                value={membership.id}
                onChange={switchShop}
                allowDeselect={false}
                size="xs"
                w={{ base: 140, sm: 220 }}
                data-testid="shop-switch"
              />
            </Group>
            <Group gap="xs" wrap="nowrap">
              <LanguageSwitch />
              <Button variant="subtle" size="xs" onClick={() => void signOut()} visibleFrom="sm">
                <FormattedMessage id="nav.signOut" />
              </Button>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar
          p="xs"
          component="nav"
          style={{ overflowY: 'auto' }}
          aria-label={intl.formatMessage({ id: 'nav.main' })}
        >
          {links.map((link) => (
            <NavLink
              key={link.to}
              component={Link}
              to={link.to}
              label={intl.formatMessage({ id: link.label })}
              active={!!matchRoute({ to: link.to })}
              variant="filled"
              onClick={() => setOpened(false)}
            />
          ))}
          <Text size="xs" c="dimmed" mt="md" px="sm">
            {me.user.email}
            <VisuallyHidden>, </VisuallyHidden>
            <br />
            <FormattedMessage id={`role.${membership.role}`} />
          </Text>
          <Button variant="subtle" size="xs" mt="sm" hiddenFrom="sm" onClick={() => void signOut()}>
            <FormattedMessage id="nav.signOut" />
          </Button>
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1}>
          <Outlet key={membership.id} />
        </AppShell.Main>
      </AppShell>
    </ShopContext.Provider>
  );
}
