// Model settings, status and health, and the batch auto-label run. Settings
// persist on the main side (per user); the API key is sent once and never
// read back (only hasApiKey).
import type { BatchStatus, GroundingSettings, HealthReport, ModelBackendSettings } from '@core/types';
import { latestBatch } from '@core/grounding-ui';
import { egm } from '../egm';
import { notify } from '../state/store';
import { grounding } from './store';
import { guard } from '../state/guard';

/** Shows a batch status from main unless the one shown is a newer snapshot of the same batch (latestBatch). */
export function showBatch(batch: BatchStatus | null): void {
  grounding.set({ batch: latestBatch(grounding.get().batch, batch) });
}

export async function loadModelSettings(): Promise<void> {
  await guard('Reading the model settings', async () => {
    const [settings, status, batch] = await Promise.all([egm()['model:getSettings']({}), egm()['model:status']({}), egm()['batch:status']({})]);
    grounding.set({ settings, status, batch: latestBatch(grounding.get().batch, batch) });
    announceInterrupted(batch);
  });
}

/**
 * Issue 18: a batch an earlier session left running or paused (the app quit,
 * the project was switched) is announced when the project opens; the status
 * bar's batch chip keeps offering Resume. A batch the user cancelled is not
 * announced (the dialog still offers Resume).
 */
function announceInterrupted(batch: BatchStatus | null): void {
  if (!batch?.interrupted || batch.state !== 'paused') return;
  const left = batch.total - batch.done - batch.failed;
  notify(`Batch ${batch.id} (${batch.phrases.map((p) => `“${p}”`).join(', ')}) did not finish: ${left} of ${batch.total} items left. Resume it from the status bar.`);
}

/**
 * Saves a model choice and, for its server only, an API key or the name of
 * the variable that holds it ('' clears either); the main side reloads the model.
 */
export async function saveModel(model: ModelBackendSettings | null, keys: { apiKey?: string; apiKeyEnv?: string } = {}): Promise<boolean> {
  const status = await guard('Saving the model settings', () => egm()['model:setSettings']({ model, ...keys }));
  if (!status) return false;
  grounding.set({ status });
  const settings = await guard('Reading the model settings', () => egm()['model:getSettings']({}));
  if (settings) grounding.set({ settings });
  return true;
}

/** Reasoning budget, self-consistency N, which boxes: applied to the next query. */
export async function saveGroundingSettings(patch: Partial<GroundingSettings>): Promise<void> {
  const s = grounding.get().settings;
  if (s) grounding.set({ settings: { ...s, grounding: { ...s.grounding, ...patch } } }); // show it at once
  await guard('Saving the grounding settings', async () => {
    await egm()['model:setSettings']({ grounding: patch });
  });
}

export async function pickModelFolder(): Promise<string | null> {
  return (await guard('Choosing a model folder', () => egm()['dialog:pickModelFolder']({}))) ?? null;
}

export async function checkHealth(): Promise<HealthReport | null> {
  return (await guard('Health check', () => egm()['model:health']({}))) ?? null;
}

export async function startBatch(phrases: string[], imageIds: number[] | null, concurrency: number): Promise<void> {
  const batch = await guard('Starting the batch', () => egm()['batch:start']({ phrases, imageIds, concurrency }));
  if (batch) {
    showBatch(batch);
    notify(`Batch: ${batch.total} requests queued`);
  }
}

export async function cancelBatch(): Promise<void> {
  const batch = await guard('Cancelling the batch', () => egm()['batch:cancel']({}));
  if (batch !== undefined) showBatch(batch);
}

/** Asks again for the failed items of the last batch. */
export async function retryFailedBatch(): Promise<void> {
  const batch = await guard('Retrying the failed items', () => egm()['batch:retryFailed']({}));
  if (batch) {
    showBatch(batch);
    notify(`Batch: retrying ${batch.total - batch.done} items`);
  }
}

export async function resumeBatch(): Promise<void> {
  const batch = await guard('Resuming the batch', () => egm()['batch:resume']({}));
  if (batch === null) notify('No unfinished batch in this project');
  else if (batch) showBatch(batch);
}
