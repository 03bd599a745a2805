// ESLint flat config: the PWA (browser ES modules, service worker) and the Node test and
// benchmark clients. Vendored libraries and generated data are build output, not our code.
import js from '@eslint/js';
import globals from 'globals';

// Rules beyond `recommended` that catch real bugs rather than style.
const bugRules = {
  'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'none', ignoreRestSiblings: true }],
  eqeqeq: ['error', 'smart'],
  'no-shadow': 'error',
  // Only uses in the same scope (a real TDZ error); functions may name later module constants.
  'no-use-before-define': ['error', { functions: false, classes: true, variables: false }],
  // PouchDB is configured as a global below and some modules also say so in a comment.
  'no-redeclare': ['error', { builtinGlobals: false }],
  'no-self-compare': 'error',
  'no-template-curly-in-string': 'error',
  'no-unreachable-loop': 'error',
  'array-callback-return': 'error',
  'no-promise-executor-return': 'error',
};

export default [
  { ignores: ['pwa/static/vendor/**', 'pwa/static/data/**', 'node_modules/**', '.venv/**',
              'instance/**'] },
  js.configs.recommended,
  { rules: bugRules },
  {
    files: ['pwa/static/js/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: { ...globals.browser, PouchDB: 'readonly' },
    },
  },
  {
    files: ['pwa/sw.js', 'pwa/static/push-handlers.js', 'pwa/family/sw.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.serviceworker } },
  },
  {
    files: ['tests/js/**/*.{js,mjs}', 'tests/node/**/*.{js,mjs}', 'bench/**/*.{js,mjs}',
            'eslint.config.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
];
