// The image list's filters (issue 11), all applied in SQL so a 20,000-image
// project answers in milliseconds: one WHERE clause per filter given, the
// statement prepared once per connection and combination of filters.
import type Database from 'better-sqlite3';
import { IMAGE_STATUSES } from '@core/schemas';
import type { ImageFilter } from './api';
import type { ImageRow } from './rows';
import { IMAGE_LIST } from './statements';

/** SQL function folding case beyond ASCII (SQLite's LIKE folds A-Z only). */
const FOLD = 'egm_fold';

/**
 * "Waiting for review": an unreviewed box, or a proposal not yet accepted or
 * rejected, unless the reviewer has already marked that phrase absent from the
 * image (a negative counts as reviewed for its phrase).
 */
const UNREVIEWED = `(c.u > 0 OR EXISTS (SELECT 1 FROM proposals q WHERE q.image_id = i.id
  AND NOT EXISTS (SELECT 1 FROM negatives n WHERE n.image_id = q.image_id AND n.phrase = q.phrase)))`;

const ASCII = /^[\x00-\x7f]*$/;

interface Clause {
  sql: string;
  params: (string | number)[];
}

/** The WHERE clauses of a filter, in a fixed order (their SQL is the statement's cache key). */
function filterClauses(filter: ImageFilter): Clause[] {
  const clauses: Clause[] = [];
  if (filter.unreviewed) clauses.push({ sql: UNREVIEWED, params: [] });
  if (filter.search !== undefined && filter.search !== '') {
    // ASCII needles use LIKE (no JS call per row); others fold both sides in JS.
    if (ASCII.test(filter.search)) {
      const escaped = filter.search.replace(/[\\%_]/g, (c) => `\\${c}`);
      clauses.push({ sql: `i.file_name LIKE ? ESCAPE '\\'`, params: [`%${escaped}%`] });
    } else {
      clauses.push({ sql: `instr(${FOLD}(i.file_name), ?) > 0`, params: [filter.search.toLowerCase()] });
    }
  }
  if (filter.status !== undefined) {
    if (!IMAGE_STATUSES.includes(filter.status)) throw new Error(`image status filter must be one of ${IMAGE_STATUSES.join(', ')}, got '${String(filter.status)}'`);
    clauses.push({ sql: 'i.status = ?', params: [filter.status] });
  }
  if (filter.hasProposals !== undefined) clauses.push({ sql: filter.hasProposals ? 'p.n > 0' : 'p.n IS NULL', params: [] });
  if (filter.categoryId !== undefined) {
    clauses.push({ sql: 'i.id IN (SELECT image_id FROM annotations WHERE category_id = ?)', params: [filter.categoryId] });
  }
  return clauses;
}

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The rows of the images the filter keeps, by id. */
export function filteredImageRows(db: Database.Database, filter: ImageFilter): ImageRow[] {
  const clauses = filterClauses(filter);
  const where = clauses.length === 0 ? '' : ` WHERE ${clauses.map((c) => c.sql).join(' AND ')}`;
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
    db.function(FOLD, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : text));
  }
  let statement = statements.get(where);
  if (!statement) {
    statement = db.prepare(`${IMAGE_LIST}${where} ORDER BY i.id`);
    statements.set(where, statement);
  }
  return statement.all(...clauses.flatMap((c) => c.params)) as ImageRow[];
}
