import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createTheme, MantineProvider, type CSSVariablesResolver } from '@mantine/core';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import '@mantine/core/styles.css';
import './app.css';
import { ApiError } from './api/client.ts';
import { loadAreaMessages } from './i18n/area-store.ts';
import { LocaleProvider } from './i18n/locale.tsx';
import { router } from './router.tsx';

// System fonts only: nothing is fetched from elsewhere at run time.
const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: 9,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});

// Links and secondary text dark enough for WCAG AA contrast (4.5:1) on white and light grey.
const contrast: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-anchor': t.colors.teal[9],
    '--mantine-color-dimmed': t.colors.gray[7],
    '--mantine-color-error': t.colors.red[9],
    // Light buttons and the active menu entry: teal 9 text needs a paler ground than 10% teal.
    '--mantine-color-teal-light': t.colors.teal[0],
    // Filled buttons and the active menu entry darken on hover (Mantine lightens shade 9 to 8,
    // which puts white text below 4.5:1).
    '--mantine-color-teal-filled-hover': '#06664a',
  },
  dark: {},
});

const queryClient: QueryClient = new QueryClient({
  // A session that ended (signed out elsewhere, expired, member removed) shows as a 401 on any
  // shop route: asking /v1/me again sends the person to sign-in.
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== 'me') {
        void queryClient.invalidateQueries({ queryKey: ['me'] });
      }
    },
  }),
  defaultOptions: {
    queries: {
      // A refusal (401/403/404) will not change by asking again.
      retry: (count, error) =>
        count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

// The page's CSP nonce (Lojal puts a fresh one in index.html): Mantine's <style> elements carry it.
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider
      theme={theme}
      cssVariablesResolver={contrast}
      {...(nonce ? { getStyleNonce: () => nonce } : {})}
    >
      <QueryClientProvider client={queryClient}>
        <LocaleProvider>
          <RouterProvider router={router} />
        </LocaleProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);

// The pages' texts come after the first page, while it shows; a page opened before they arrive
// waits for them (i18n/lazy-page.ts), and a failed load is tried again there.
void loadAreaMessages().catch(() => undefined);
