// Child of the write-lock tests: opens a project as `who`, makes one edit inside
// a transaction, says `locked`, keeps the transaction (and so SQLite's write
// lock) open for holdMs, then commits and exits.
// Usage: node --import tsx test/helpers/store-lock-holder.ts <project.egm> <holdMs> <who>
import { openProjectStore } from '../../electron/store/project-store';
import { annotationInput } from './store-temp';

const [file, holdArg, who] = process.argv.slice(2);
if (!file || !holdArg || !who) throw new Error('usage: store-lock-holder.ts <project.egm> <holdMs> <who>');
const store = openProjectStore(file, { who });
const imageId = store.listImages()[0]!.id;
store.transaction(() => {
  store.createAnnotation(annotationInput(imageId, { phrase: 'held' }));
  process.stdout.write('locked\n');
  // A synchronous sleep: the transaction must stay open, so the event loop may not run.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(holdArg));
});
store.close();
process.stdout.write('released\n');
