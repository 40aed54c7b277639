// Where the app's files are, in development (`electron .`) and when packaged.
import { app } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/main, where main.mjs and preload.cjs are bundled. */
const mainDir = dirname(fileURLToPath(import.meta.url));

export const appPaths = {
  main: mainDir,
  preload: join(mainDir, 'preload.cjs'),
  renderer: join(mainDir, '..', 'renderer'),
  /** electron-builder copies assets/samples to resources/samples (extraResources); dev reads the repo's. */
  samples(): string {
    const packaged = join(process.resourcesPath, 'samples');
    return app.isPackaged && existsSync(packaged) ? packaged : join(app.getAppPath(), 'assets', 'samples');
  },
  icon: join(mainDir, '..', '..', 'assets', 'icon.png'),
};
