// The store call that saves one change of an edit step (edits.ts queues them
// in order). An update sends only the fields it changes (issue 16): a box
// whose other fields the store would refuse now (a phrase over the limit,
// imported long ago) can still be moved, and a field the store refused and
// the screen took back is never sent again with the next edit.
import type { AnnotationPatch, Annotation, Proposal } from '@core/types';
import type { Change } from '@core/history';
import type { EgmApi } from '@ipc/contract';
import type { Negative } from '@core/negatives';
import type { IdMap } from './ids';

type Fields = Omit<Annotation, 'id' | 'imageId' | 'createdAt' | 'updatedAt'>;
export function fieldsOf(a: Annotation): Fields {
  const { categoryId, phrase, morePhrases, visible, amodal, occluded, source, model, score, reviewed, color, truncated, difficult, attributes } = a;
  return { categoryId, phrase, morePhrases, visible, amodal, occluded, source, model, score, reviewed, color, truncated, difficult, attributes };
}

/** The fields `after` has that `before` does not (compared by value). */
export function changedFields(before: Annotation, after: Annotation): AnnotationPatch {
  const was = fieldsOf(before) as Record<string, unknown>;
  const now = fieldsOf(after) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(now).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(was[key]))) as AnnotationPatch;
}

/** The store call for one change of an annotation, on image `imageId`; `api` is tagged for the project (egm.ts projectApi). */
export function annotationCall(api: EgmApi, ids: IdMap, imageId: number, c: Change<Annotation>): () => Promise<unknown> {
  if (c.type === 'create') {
    const a = c.after;
    return async () => {
      if (ids.isNew(a.id)) {
        const stored = await api['annotations:create']({ imageId, ...fieldsOf(a) });
        ids.bind(a.id, stored.id);
      } else {
        // Re-creating a deleted record (undo of delete, redo of create): same id as before.
        await api['annotations:restore']({ annotations: [{ ...a, id: ids.remote(a.id), imageId }] });
      }
    };
  }
  if (c.type === 'delete') return () => api['annotations:delete']({ ids: [ids.remote(c.before.id)] });
  const patch = changedFields(c.before, c.after);
  return () => api['annotations:update']({ id: ids.remote(c.after.id), patch });
}

/** A proposal change: delete = reject, create = restore under its id. */
export function proposalCall(api: EgmApi, c: Change<Proposal>): () => Promise<unknown> {
  if (c.type === 'delete') return () => api['proposals:reject']({ id: c.before.id });
  if (c.type === 'create') return () => api['proposals:restore']({ proposal: { ...c.after } as Proposal & Record<string, unknown> });
  return async () => undefined; // proposals are never edited in place
}

/** A "not in this image" change: delete = remove, create = restore under its id. */
export function negativeCall(api: EgmApi, c: Change<Negative>): () => Promise<unknown> {
  if (c.type === 'delete') return () => api['negatives:remove']({ id: c.before.id });
  if (c.type === 'create') return () => api['negatives:restore']({ negative: c.after });
  return async () => undefined; // marks are never edited in place
}
