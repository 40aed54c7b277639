// The model host process (bundled to dist/host/model-host.mjs). Inference runs
// here because onnxruntime-node's run blocks its thread: never in Electron's
// main process or the CLI's own event loop. It speaks protocol.ts over
// whichever channel started it:
//   - Electron utilityProcess: process.parentPort (messages wrapped in {data});
//   - Node child_process.fork: process.send / process.on('message').
// It exits when its parent goes away, so a crashed app leaves no orphan.
import { HostCore } from './host-core';
import { isHostRequest, type HostEvent } from './protocol';

interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(event: HostEvent): void {
  if (parentPort) parentPort.postMessage(event);
  else if (process.send && process.connected) process.send(event);
}

// 'shutdown' ends the process once the model is unloaded: the client then sees
// the exit at once instead of waiting out its kill grace.
const core = new HostCore(send, (code) => process.exit(code));

function receive(message: unknown): void {
  if (!isHostRequest(message)) {
    process.stderr.write(`model host: dropped a malformed message ${JSON.stringify(message)?.slice(0, 200)}\n`);
    return;
  }
  core.handle(message);
}

if (parentPort) {
  parentPort.on('message', (event) => receive(event.data));
} else if (process.send) {
  process.on('message', receive);
  process.on('disconnect', () => process.exit(0));
} else {
  process.stderr.write('model host: no parent channel (start it with utilityProcess.fork or child_process.fork)\n');
  process.exit(2);
}

process.on('unhandledRejection', (err) => {
  // A bug, not an expected failure: say where, and let the client restart us.
  process.stderr.write(`model host: unhandled rejection: ${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(70);
});

send({ type: 'ready', pid: process.pid });
