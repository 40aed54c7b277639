// Per-user grounding settings: which model backend to use and how to ask it
// (GroundingSettings), in <userData>/grounding.json. The server API key is
// never written here: it goes to a SecretStore (secrets.ts; the OS keychain
// through Electron safeStorage in the app).
import { join } from 'node:path';
import { firstIssue } from '@core/errors';
import { groundingSchema, modelSchema } from '@core/settings-schemas';
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
  if (!parsed) return { model: null, grounding: { ...DEFAULT_GROUNDING } };
  const model = parsed.model === null || parsed.model === undefined ? null : modelSchema.safeParse(parsed.model);
  if (model && !model.success) onProblem(`${file}: model setting ignored (${firstIssue(model.error)})`);
  const grounding = groundingSchema.partial().safeParse(parsed.grounding ?? {});
  if (!grounding.success) onProblem(`${file}: grounding settings ignored (${firstIssue(grounding.error)})`);
  return {
    model: model?.success ? (model.data as ModelBackendSettings) : null,
    grounding: { ...DEFAULT_GROUNDING, ...(grounding.success ? stripUndefined(grounding.data) : {}) },
  };
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
  await writeJsonFile(groundingSettingsPath(userDataDir), { model: model ? model.data : null, grounding: grounding.data });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
