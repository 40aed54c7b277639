// Child of the read-only store tests, run as a user who cannot write the
// project (root can write anything, so the test drops to `nobody` there):
// opens the project and prints what the store says as one JSON line.
// Usage: node --import tsx test/helpers/store-readonly-child.ts <project.egm>
import { openProjectStore } from '../../electron/store/project-store';
import { annotationInput } from './store-temp';

const file = process.argv[2];
if (!file) throw new Error('usage: store-readonly-child.ts <project.egm>');
let out: Record<string, unknown>;
try {
  const store = openProjectStore(file);
  const image = store.listImages()[0]!;
  let editError: string | null = null;
  try {
    store.createAnnotation(annotationInput(image.id));
  } catch (err) {
    editError = (err as Error).message;
  }
  out = { info: store.info(), images: store.listImages().length, annotations: store.allAnnotations().length, missing: image.missing, editError };
  store.close();
} catch (err) {
  out = { openError: (err as Error).message };
}
process.stdout.write(`${JSON.stringify(out)}\n`);
