import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const nodeOnly = {
  paths: [{ name: 'electron', message: 'The renderer never talks to Electron: use window.softphone (preload/api.ts).' }],
  patterns: [
    { group: ['node:*'], message: 'The renderer runs sandboxed in Chromium: no Node built-ins.' },
    { group: ['**/main/**', '../main/*', '**/sim/**'], message: 'The renderer may import only the contract from preload/.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', 'playwright-report/', 'bench/results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // Boundaries (STYLE.md 8): the renderer imports neither electron nor node:*, nor main/ or sim/.
    files: ['renderer/**/*.{ts,svelte}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', nodeOnly] },
  },
  {
    // Only the thin adapters (main/desktop/electron/) and the composition root may import electron.
    files: ['main/**/*.ts'],
    ignores: ['main/desktop/electron/**', 'main/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Keep electron in the adapters of main/desktop/electron/ so the core runs under plain Node.' }] }],
    },
  },
  {
    // The desktop's rules (main/desktop/*.ts) are electron-free and unit-tested: they never reach
    // into the adapters; the adapters and the composition root use the rules, not the reverse.
    files: ['main/desktop/*.ts', 'main/desktop/policy-sources/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'A desktop rule is electron-free: put Electron calls in main/desktop/electron/.' }],
          patterns: [{ group: ['./electron/*', '../electron/*'], message: 'Rules do not import adapters: pass what they need in (an interface, a callback).' }],
        },
      ],
    },
  },
  {
    files: ['sim/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/main/**', '**/renderer/**', '**/preload/**', 'electron'], message: 'The simulator shares no code with the client: its tests must catch a mismatch.' }] }],
    },
  },
);
