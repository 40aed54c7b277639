// The COCO reader's worker_thread (started by read-structure.ts): reads,
// parses and checks one COCO file off the thread that serves the app.
import { workerData } from 'node:worker_threads';
import { workerAnswer } from '../workers/run-once';
import { readCocoStructure } from './read-structure';

workerAnswer(readCocoStructure((workerData as { file: string }).file));
