// Starts a TypeScript worker_thread from source (tests, tsx, benches): registers
// tsx's loader inside the worker, then imports the entry named in workerData.
// The bundled app and CLI start their .mjs workers directly and never load this.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
