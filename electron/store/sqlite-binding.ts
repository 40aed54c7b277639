// Which better-sqlite3 native binary the Electron app loads. In development
// scripts/start.mjs builds one for Electron's ABI and names it in
// EGM_SQLITE_BINDING; a packaged app has its own, unpacked beside the asar, and
// never takes a native module from the environment: a variable set by anyone
// who can start the app would otherwise load their code into it (issue 16).

/** The binding to load: EGM_SQLITE_BINDING in development only; undefined (the package's own) when packaged. */
export function sqliteBinding(env: NodeJS.ProcessEnv, packaged: boolean): string | undefined {
  if (packaged) return undefined;
  return env.EGM_SQLITE_BINDING || undefined;
}
