// End-to-end harness: the built renderer in Debian's Chromium (playwright-core),
// with window.egm bridged to the REAL main-side handler table running in the
// test's Node process: real project files, real image serving, canned dialogs.
//
//   const h = await startHarness();
//   await h.page.locator('[data-app-state="ready"]').waitFor();
//   h.dialogs.openProject = '/tmp/x.egm';   // what the next "Open…" dialog answers
//   await h.close();
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createHandlers, disposeHandlers, invokeHandler, PathGrants, ProjectSession, type DialogAnswers, type Dialogs } from '../../../electron/handlers';
import type { EventMap, IpcEvent, IpcHandlers } from '@ipc/contract';
import { openStartupProject, rememberLastProject } from '../../../electron/settings/startup';
import { answerForPage, bridgeInitScript, EMIT_FUNCTION, INVOKE_BINDING, type PageAnswer } from './bridge';
import { startServer } from './server';

export const CHROMIUM_PATH = process.env.EGM_CHROMIUM ?? '/usr/bin/chromium';
const REPO = resolve(import.meta.dirname, '..', '..', '..');

/** What each dialog answers next; tests set these before clicking. */
export type { DialogAnswers };

export interface HarnessOptions {
  /** The app's user-data folder (sample project, settings); a fresh temp folder when absent (removed on close). */
  userDataDir?: string;
  dialogs?: Partial<DialogAnswers>;
  rendererDir?: string;
  samplesDir?: string;
  /**
   * true: start like the app does, opening the last project remembered in
   * <userDataDir>/settings.json, else the sample project. Default false: no
   * project open, so the page starts on its empty (welcome) state.
   */
  startup?: boolean;
  /** Navigate the page to the app (default true). */
  open?: boolean;
  viewport?: { width: number; height: number };
  /** Environment of the main-side handlers (model downloads: HF_ENDPOINT, EGM_MODELS_DIR, EGM_CATALOG); default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface Harness {
  page: Page;
  browser: Browser;
  context: BrowserContext;
  /** The app's URL (index.html) on the harness server. */
  url: string;
  userDataDir: string;
  /** Mutable: the answers the next dialogs give. */
  dialogs: DialogAnswers;
  handlers: IpcHandlers;
  session: ProjectSession;
  /**
   * The path grants the handlers enforce, as in the app: only paths a dialog
   * answered (or main otherwise handed out) are accepted. A test that calls a
   * path-taking method with a path of its own grants it here first.
   */
  grants: PathGrants;
  /** Every event pushed to the page, in order. */
  events: { event: IpcEvent; payload: unknown }[];
  /** Uncaught page errors and server-side failures; a passing e2e test usually expects this empty. */
  errors: string[];
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  // EGM_RENDERER_DIR: a renderer built elsewhere (a private `vite build --outDir`), so a run does not race another build of dist/.
  const rendererDir = options.rendererDir ?? process.env.EGM_RENDERER_DIR ?? join(REPO, 'dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`harness: ${rendererDir}/index.html is missing; run \`npm run build\` first`);
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`harness: no Chromium at ${CHROMIUM_PATH}; install it with \`apt-get install -y chromium\` (or set EGM_CHROMIUM)`);
  const ownUserData = !options.userDataDir;
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'egm-e2e-userdata-')));
  const dialogs: DialogAnswers = {
    openProject: null,
    createProject: null,
    pickImages: [],
    saveCoco: null,
    openCoco: null,
    pickModelFolder: null,
    confirmOutsideImages: false,
    saveExport: null,
    pickImagesRoot: null,
    ...options.dialogs,
  };
  const answer: Dialogs = {
    openProject: async () => dialogs.openProject,
    createProject: async () => dialogs.createProject,
    pickImages: async () => [...dialogs.pickImages],
    saveCoco: async () => dialogs.saveCoco,
    openCoco: async () => dialogs.openCoco,
    pickModelFolder: async () => dialogs.pickModelFolder,
    saveExport: async () => dialogs.saveExport,
    pickImagesRoot: async () => dialogs.pickImagesRoot,
    confirmOutsideImages: async () => dialogs.confirmOutsideImages,
  };
  const events: Harness['events'] = [];
  const errors: string[] = [];
  const pending = new Set<Promise<unknown>>();
  const session = new ProjectSession();
  let page: Page | null = null;

  const emit = <E extends IpcEvent>(event: E, payload: EventMap[E]) => {
    events.push({ event, payload });
    if (!page || page.isClosed()) return;
    const delivery = page
      .evaluate(`window[${JSON.stringify(EMIT_FUNCTION)}](${JSON.stringify(event)}, ${JSON.stringify(payload)})`)
      .catch((err: Error) => {
        if (!page?.isClosed()) errors.push(`emit ${event}: ${err.message.split('\n')[0]}`);
      })
      .finally(() => pending.delete(delivery));
    pending.add(delivery);
  };

  const samplesDir = options.samplesDir ?? join(REPO, 'assets', 'samples');
  const grants = new PathGrants();
  const handlers = createHandlers({ dialogs: answer, emit, samplesDir, userDataDir, session, pathGrants: grants, ...(options.env ? { env: options.env } : {}) });
  const remembered = rememberLastProject(session, userDataDir, (message) => errors.push(message));
  const server = await startServer(rendererDir, () => session.current, errors);
  const url = `${server.origin}/index.html`;
  let browser: Browser | undefined;
  try {
    if (options.startup ?? false) await openStartupProject(session, samplesDir, userDataDir, (message) => errors.push(message));
    // chromium.launch gives every run a fresh temporary profile, removed on close.
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    // Like the app's IPC sender check: only our own origin's main frame may call.
    await context.exposeBinding(INVOKE_BINDING, async (source, method: unknown, request: unknown): Promise<PageAnswer> => {
      const frameUrl = source.frame.url();
      if (source.frame !== source.page.mainFrame() || !frameUrl.startsWith(`${server.origin}/`)) {
        return { ok: false, error: `${String(method)}: refused: the request did not come from the app's page` };
      }
      return answerForPage(await invokeHandler(handlers, String(method), request));
    });
    await context.addInitScript({ content: bridgeInitScript() });
    page = await context.newPage();
    page.on('pageerror', (err) => errors.push(`page error: ${err.message.split('\n')[0]}`));
    if (options.open ?? true) await page.goto(url);
    const openedPage = page;
    const openedBrowser = browser;
    return {
      page: openedPage,
      browser: openedBrowser,
      context,
      url,
      userDataDir,
      dialogs,
      handlers,
      session,
      grants,
      events,
      errors,
      close: async () => {
        await Promise.allSettled([...pending]);
        await openedBrowser.close();
        await server.close();
        await disposeHandlers(handlers); // ends the model host and closes the project, as the app does on quit
        await remembered.flush();
        if (ownUserData) await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server.close();
    await disposeHandlers(handlers);
    await remembered.flush();
    if (ownUserData) await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
}
