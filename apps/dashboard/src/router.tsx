import { createRootRoute, createRoute, createRouter, Link, Outlet } from '@tanstack/react-router';
import { Anchor, Center, Stack, Text } from '@mantine/core';
import { FormattedMessage } from 'react-intl';
import { AppLayout } from './layout/app-layout.tsx';
import { HomePage } from './pages/home.tsx';
import { InvitationPage } from './pages/invitation.tsx';
import { ProgrammePage } from './pages/programme/programme-page.tsx';
import { ResetPasswordPage } from './pages/reset-password.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { TeamPage } from './pages/team.tsx';

const tokenSearch = (search: Record<string, unknown>) => ({
  token: typeof search.token === 'string' ? search.token : '',
});

function NotFound() {
  return (
    <Center py="xl">
      <Stack align="center">
        <Text>
          <FormattedMessage id="app.notFound" />
        </Text>
        <Anchor component={Link} to="/">
          <FormattedMessage id="app.backHome" />
        </Anchor>
      </Stack>
    </Center>
  );
}

const root = createRootRoute({ component: Outlet, notFoundComponent: NotFound });
const signIn = createRoute({ getParentRoute: () => root, path: '/sign-in', component: SignInPage });
const invitation = createRoute({
  getParentRoute: () => root,
  path: '/invitation',
  validateSearch: tokenSearch,
  component: InvitationPage,
});
const resetPassword = createRoute({
  getParentRoute: () => root,
  path: '/reset-password',
  validateSearch: tokenSearch,
  component: ResetPasswordPage,
});
const signedIn = createRoute({ getParentRoute: () => root, id: 'signed-in', component: AppLayout });
const home = createRoute({ getParentRoute: () => signedIn, path: '/', component: HomePage });
const team = createRoute({ getParentRoute: () => signedIn, path: '/team', component: TeamPage });
const programme = createRoute({
  getParentRoute: () => signedIn,
  path: '/programme',
  component: ProgrammePage,
});
const notFound = createRoute({ getParentRoute: () => signedIn, path: '$', component: NotFound });

const routeTree = root.addChildren([
  signIn,
  invitation,
  resetPassword,
  signedIn.addChildren([home, team, programme, notFound]),
]);

export const router = createRouter({ routeTree, basepath: '/admin' });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
