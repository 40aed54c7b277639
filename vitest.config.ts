import { defineConfig } from 'vitest/config';
import { pathAliases } from './scripts/path-aliases.mjs';

// Four projects: unit (pure logic and stores), renderer (renderer modules on a
// headless workbench), integration (real child
// processes, HTTP servers, the tiny ONNX model), e2e (built renderer in Chromium).
// Each project `extends: true` so it gets the root's import aliases (@core, @ipc).
export default defineConfig({
  resolve: { alias: pathAliases },
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      // Renderer modules on a fresh headless workbench per test (test/renderer/test-workbench.ts); typechecked by test/renderer/tsconfig.json.
      { extends: true, test: { name: 'renderer', include: ['test/renderer/**/*.test.ts'], environment: 'node' } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
