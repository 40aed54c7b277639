// Per-user grounding settings: which model backend to use and how to ask it
// (GroundingSettings), in <userData>/grounding.json. The server API key is
// never written here: it goes to a SecretStore (secrets.ts; the OS keychain
// through Electron safeStorage in the app).
import { join } from 'node:path';
import { firstIssue } from '@core/errors';
import { serverOrigin } from '@core/grounding-ui';
import { apiKeyEnvProblem, groundingSchema, keyEnvsSchema, modelSchema } from '@core/settings-schemas';
import type { GroundingPrefs, GroundingSettings, ModelBackendSettings } from '@core/types';
import { readJsonObject, writeJsonFile } from '../settings/json-file';

export type { GroundingPrefs };

/**
 * EGM.md defaults: both boxes, 4096 new tokens, one greedy answer; the pixel
 * cap is images/model-input.ts DEFAULT_MAX_PIXELS; 10 minutes per answer
 * (engine/server/limits.ts, host-client.ts).
 */
export const DEFAULT_GROUNDING: GroundingSettings = { kinds: 'both', maxNewTokens: 4096, samples: 1, maxPixels: 1_003_520, timeoutSeconds: 600 };

export function groundingSettingsPath(userDataDir: string): string {
  return join(userDataDir, 'grounding.json');
}

/**
 * Missing file → defaults. A file that is not valid JSON or fails the schema is
 * reported through onProblem and replaced by defaults field by field (a bad
 * grounding field does not throw away a good model choice).
 */
export async function loadGroundingPrefs(userDataDir: string, onProblem: (message: string) => void = console.error): Promise<GroundingPrefs> {
  const file = groundingSettingsPath(userDataDir);
  const parsed = await readJsonObject(file, 'grounding settings', (reason) =>
    onProblem(`${file}: unreadable, using default grounding settings (${reason})`),
  );
  if (!parsed) return { model: null, grounding: { ...DEFAULT_GROUNDING }, keyEnvs: {} };
  const legacy = withoutUrlCredentials(parsed.model, (m) => onProblem(`${file}: ${m}`));
  const model = legacy.model === null || legacy.model === undefined ? null : modelSchema.safeParse(legacy.model);
  if (model && !model.success) onProblem(`${file}: model setting ignored (${firstIssue(model.error)})`);
  const grounding = groundingSchema.partial().safeParse(parsed.grounding ?? {});
  if (!grounding.success) onProblem(`${file}: grounding settings ignored (${firstIssue(grounding.error)})`);
  const prefs: GroundingPrefs = {
    model: model?.success ? (model.data as ModelBackendSettings) : null,
    grounding: { ...DEFAULT_GROUNDING, ...(grounding.success ? stripUndefined(grounding.data) : {}) },
    keyEnvs: loadKeyEnvs(parsed, model?.success && model.data.backend === 'server' ? serverOrigin(model.data.baseUrl) : null, (m) => onProblem(`${file}: ${m}`)),
  };
  // A user:password found in the file is removed from disk now, not at the next save.
  if (legacy.stripped) await saveGroundingPrefs(userDataDir, prefs);
  return prefs;
}

/**
 * The server variables of a file: `keyEnvs` (origin → name), each name
 * checked again; a file from before they had origins names one `apiKeyEnv`
 * inside its model, which belongs to that model's server only.
 */
function loadKeyEnvs(parsed: Record<string, unknown>, legacyOrigin: string | null, onProblem: (message: string) => void): Record<string, string> {
  const keyEnvs: Record<string, string> = {};
  const entries = parsed.keyEnvs && typeof parsed.keyEnvs === 'object' ? Object.entries(parsed.keyEnvs) : [];
  const legacyName = (parsed.model as { apiKeyEnv?: unknown } | null | undefined)?.apiKeyEnv;
  if (legacyOrigin && typeof legacyName === 'string') entries.push([legacyOrigin, legacyName]);
  for (const [origin, name] of entries) {
    const problem = typeof name === 'string' ? apiKeyEnvProblem(name) : 'not a name';
    if (problem) onProblem(`the API key variable for ${origin} is ignored (${problem})`);
    else keyEnvs[origin] ??= name as string;
  }
  return keyEnvs;
}

/** A saved server URL with user:password (refused since issue 16) keeps its server but loses them. */
function withoutUrlCredentials(model: unknown, onProblem: (message: string) => void): { model: unknown; stripped: boolean } {
  const baseUrl = (model as { baseUrl?: unknown } | null | undefined)?.baseUrl;
  if (typeof baseUrl !== 'string') return { model, stripped: false };
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { model, stripped: false };
  }
  if (!url.username && !url.password) return { model, stripped: false };
  url.username = '';
  url.password = '';
  onProblem(`the user name and password in the saved server URL were removed (a URL keeps them in plain text); give the key in the API key field`);
  return { model: { ...(model as object), baseUrl: url.href }, stripped: true };
}

/**
 * Validates and writes the whole file atomically; throws a one-line error naming
 * the bad field. What is written is the schemas' output, which drops keys they
 * do not know, so a secret slipped into a settings object never reaches the file.
 */
export async function saveGroundingPrefs(userDataDir: string, prefs: GroundingPrefs): Promise<void> {
  const grounding = groundingSchema.safeParse(prefs.grounding);
  if (!grounding.success) throw new Error(`grounding settings: ${firstIssue(grounding.error)}`);
  const model = prefs.model === null ? null : modelSchema.safeParse(prefs.model);
  if (model && !model.success) throw new Error(`model settings: ${firstIssue(model.error)}`);
  const keyEnvs = keyEnvsSchema.safeParse(prefs.keyEnvs ?? {});
  if (!keyEnvs.success) throw new Error(`API key variables: ${firstIssue(keyEnvs.error)}`);
  await writeJsonFile(groundingSettingsPath(userDataDir), { model: model ? model.data : null, grounding: grounding.data, keyEnvs: keyEnvs.data });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
