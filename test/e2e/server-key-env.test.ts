// A server's API key from an environment variable, and credentials in a
// server URL, through the model panel (issue 16, security second round),
// built renderer in Chromium over the real handler table and two real HTTP
// servers that record the Authorization header they see:
//   - the variable named for one server is not sent when only the URL changes
//     (it went to whatever URL was set next), and comes back with its server;
//   - only API-key variable names are accepted (HF_TOKEN was sent elsewhere);
//   - a URL with user:pass@ is refused in one line, never saved or shown.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../helpers/fake-openai-server';
import type { Harness } from './harness';
import type { GroundingPage } from './pages/grounding.page';
import { sampleWithTwoServers, type TwoServers } from './pages/two-servers';

const SHOTS = 'test-results/screenshots';
const VARIABLE = 'EGM_E2E_SERVER_API_KEY';

let setup: TwoServers;
let first: FakeServer;
let second: FakeServer;
let harness: Harness;
let g: GroundingPage;

beforeAll(async () => {
  // The app reads the variable from its own environment: the handlers run in this process.
  process.env[VARIABLE] = 'sk-env-for-first';
  process.env.HF_TOKEN = 'hf_not_for_servers';
  setup = await sampleWithTwoServers();
  ({ first, second, harness, g } = setup);
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  delete process.env[VARIABLE];
  delete process.env.HF_TOKEN;
  await setup?.close();
});

const auths = (server: FakeServer) => server.requests.map((r) => r.headers.authorization);

async function saveAndGround(phrase: string): Promise<void> {
  await g.page.getByTestId('btn-save-model').click();
  await g.waitModelReady();
  await g.closeModelPanel();
  await g.ground(phrase);
  await g.page.getByTestId('proposal-phrase').getByText(phrase).waitFor();
  await g.waitProposal();
}

describe('server keys from the environment in the model panel (issue 16)', () => {
  it('a key variable goes only to the server it was named for', async () => {
    await g.wb.selectImage('messi5.jpg');
    await g.openModelPanel();
    await g.page.getByTestId('backend-server').check();
    await g.page.getByTestId('server-url').fill(first.baseUrl);
    await g.page.getByTestId('api-key-env').fill(VARIABLE);
    await saveAndGround('the man');
    expect(auths(first).at(-1)).toBe('Bearer sk-env-for-first');

    // Only the URL changes: the field now shows the new server's variable (none), and nothing goes there.
    await g.openModelPanel();
    await g.page.getByTestId('server-url').fill(second.baseUrl);
    await g.page.screenshot({ path: `${SHOTS}/server-key-env-new-url.png` });
    const field = await g.page.getByTestId('api-key-env').inputValue();
    await saveAndGround('the ball');
    expect(second.requests.length).toBeGreaterThan(0);
    expect(auths(second)).not.toContain('Bearer sk-env-for-first');
    expect(auths(second).every((a) => a === undefined)).toBe(true);
    expect(field).toBe('');

    // Back to the first server: its own variable again.
    await g.openModelPanel();
    await g.page.getByTestId('server-url').fill(first.baseUrl);
    await expect(g.page.getByTestId('api-key-env').inputValue()).resolves.toBe(VARIABLE);
    await saveAndGround('the player');
    expect(auths(first).at(-1)).toBe('Bearer sk-env-for-first');
    expect(harness.errors).toEqual([]);
  });

  it('HF_TOKEN is refused in one line and never sent', async () => {
    await g.openModelPanel();
    await g.page.getByTestId('server-url').fill(second.baseUrl);
    await g.page.getByTestId('api-key-env').fill('HF_TOKEN');
    await g.page.getByTestId('btn-save-model').click();
    await g.wb.errorBanner.getByText(/^Saving the model settings failed: .*'HF_TOKEN' is not an API-key variable name/).waitFor();
    await g.page.screenshot({ path: `${SHOTS}/server-key-env-refused.png` });
    await g.closeModelPanel();
    await g.ground('the ball again');
    await g.waitProposal();
    expect(auths(second).some((a) => a?.includes('hf_not_for_servers'))).toBe(false);
    expect(auths(first).some((a) => a?.includes('hf_not_for_servers'))).toBe(false);
  });

  it('a server URL with user:pass@ is refused in one line, and not saved or shown', async () => {
    const withCredentials = second.baseUrl.replace('http://', 'http://alice:s3cret@');
    await g.openModelPanel();
    await g.page.getByTestId('server-url').fill(withCredentials);
    await g.page.getByTestId('btn-save-model').click();
    await g.wb.errorBanner.getByText(/^Saving the model settings failed: .*may not hold a user name or password \(user:pass@\): give the key in the API key field/).waitFor();
    const saved = await readFile(join(harness.userDataDir, 'grounding.json'), 'utf8');
    expect(saved).not.toContain('s3cret');
    await expect(g.page.getByTestId('model-status').textContent()).resolves.not.toContain('s3cret');
    await g.closeModelPanel();
  });
});
