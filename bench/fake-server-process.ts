// Starts test/helpers/fake-openai-server.ts in its own process, so the
// simulated server's CPU does not share an event loop with the client being
// measured. The server prints `LISTENING <url>` once it accepts connections.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

export async function startFakeServerProcess(behaviour: Record<string, unknown>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'test/helpers/fake-openai-server.ts'), JSON.stringify(behaviour)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (m) ok(m[1]!);
    });
    child.on('exit', (code) => fail(new Error(`fake OpenAI server exited with ${code} before listening`)));
  });
  return { url, child };
}
