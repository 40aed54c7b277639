// Starts a TypeScript worker_thread from source (tests, tsx, benches): registers
// tsx's loader inside the worker, then imports the entry named in workerData.
// The bundled app and CLI start their .mjs workers directly and never load this.
import { workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The tsconfig named outright: inside a worker tsx does not pick up the repo's
// tsconfig.json by itself, and without it the @core/@ipc aliases do not resolve.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import(workerData.entry);
