import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { floorsRule } from './eslint/floors-rule.mjs';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.lojal/**',
      '**/dist/**',
      '**/dist.build-*/**',
      '.cache/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    // The dashboard runs in the browser; its hooks follow React's rules.
    files: ['apps/dashboard/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The storefront widget runs in shops' pages; its panel is Preact with React's hook rules.
    files: ['apps/widget/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The floors of the server's code (docs/ARCHITECTURE.md): imports never go up a floor.
    files: ['apps/server/src/**/*.{ts,mts,mjs}'],
    plugins: { lojal: { rules: { floors: floorsRule } } },
    rules: { 'lojal/floors': 'error' },
  },
);
