// The utilityProcess adapter, driven by a fake UtilityProcess (no Electron
// binary here): events pass through filtered, the exit says why, a dead
// process gets no more messages.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { utilityPort } from '../../electron/engine/host/utility-port';
import type { HostEvent } from '../../electron/engine/host/protocol';

class FakeUtilityProcess extends EventEmitter {
  sent: unknown[] = [];
  killed = false;
  stderr = new PassThrough();
  postMessage(message: unknown) {
    this.sent.push(message);
  }
  kill() {
    this.killed = true;
    return true;
  }
}

describe('utilityPort', () => {
  it('forwards requests and host events, drops malformed ones, reports the exit with the last stderr line', async () => {
    const child = new FakeUtilityProcess();
    const port = utilityPort(child);
    const events: HostEvent[] = [];
    const exits: string[] = [];
    port.onMessage((e) => events.push(e));
    port.onExit((d) => exits.push(d));

    port.send({ type: 'dispose', id: 1 });
    expect(child.sent).toEqual([{ type: 'dispose', id: 1 }]);
    child.emit('message', { type: 'token', id: 1, text: 'a' });
    child.emit('message', { nonsense: true });
    expect(events).toEqual([{ type: 'token', id: 1, text: 'a' }]);

    child.stderr.write('first\nmodel host: out of memory\n');
    await new Promise((r) => setImmediate(r));
    child.emit('exit', 134);
    expect(exits).toEqual(['exited with code 134 (model host: out of memory)']);
    port.send({ type: 'dispose', id: 2 });
    expect(child.sent).toHaveLength(1);
    port.kill();
    expect(child.killed).toBe(true);
  });
});
