// Versioned schema of a project file. PRAGMA user_version holds how many
// migrations a file has had; opening a file applies the missing ones in order,
// each in its own transaction, so a crash mid-upgrade leaves the file at the
// last complete version. Append new migrations; never edit a released one.
import type Database from 'better-sqlite3';

/** Written into the SQLite header (PRAGMA application_id) so a project file can be told from other SQLite files: 'EGM1'. */
export const EGM_APPLICATION_ID = 0x45474d31;

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'images, categories, annotations',
    sql: `
      CREATE TABLE images (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        file_name TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        orientation INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in-progress', 'done')),
        missing INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE categories (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE
      );
      -- AUTOINCREMENT: a deleted annotation's id is never handed to a new one,
      -- so undo of a delete can always put it back under its original id.
      CREATE TABLE annotations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        category_id INTEGER REFERENCES categories(id) ON DELETE SET NULL,
        phrase TEXT NOT NULL DEFAULT '',
        x1 REAL NOT NULL, y1 REAL NOT NULL, x2 REAL NOT NULL, y2 REAL NOT NULL,
        ax1 REAL, ay1 REAL, ax2 REAL, ay2 REAL,
        occluded INTEGER NOT NULL DEFAULT 0,
        source TEXT NOT NULL CHECK (source IN ('manual', 'model')),
        model TEXT,
        score REAL,
        reviewed INTEGER NOT NULL DEFAULT 0,
        color TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX annotations_by_image ON annotations(image_id);
      CREATE INDEX annotations_by_category ON annotations(category_id);
    `,
  },
  {
    version: 2,
    description: 'covering index for per-image annotation and unreviewed counts',
    // listImages counts boxes and unreviewed boxes per image; with (image_id,
    // reviewed) the GROUP BY reads only this index, never the table rows.
    sql: `
      DROP INDEX annotations_by_image;
      CREATE INDEX annotations_by_image_reviewed ON annotations(image_id, reviewed);
    `,
  },
  {
    version: 3,
    description: 'model proposals and resumable batches (issue 4)',
    // AUTOINCREMENT on proposals for the same reason as annotations: undo of a
    // reject puts a proposal back under its id. A batch item is keyed by
    // (batch, image, phrase) and flips pending → done|failed in the same
    // transaction that stores its proposal, so a resumed batch neither loses
    // nor duplicates results.
    sql: `
      CREATE TABLE batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        phrases TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'cancelled', 'done')),
        concurrency INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE batch_items (
        batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        phrase TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
        reason TEXT,
        PRIMARY KEY (batch_id, image_id, phrase)
      ) WITHOUT ROWID;
      CREATE INDEX batch_items_by_state ON batch_items(batch_id, state);
      CREATE TABLE proposals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        phrase TEXT NOT NULL,
        x1 REAL, y1 REAL, x2 REAL, y2 REAL,
        ax1 REAL, ay1 REAL, ax2 REAL, ay2 REAL,
        reasoning_visible TEXT NOT NULL DEFAULT '',
        reasoning_amodal TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL,
        score REAL,
        px REAL, py REAL,
        point_hit INTEGER,
        reason TEXT,
        latency_ms REAL NOT NULL,
        batch_id INTEGER REFERENCES batches(id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX proposals_by_image ON proposals(image_id);
    `,
  },
  {
    version: 4,
    description: 'project settings: the images root (issue 9)',
    // Key/value: 'images_root' is the folder the project's images were imported
    // or added from (stored like images.path), the default base of an export's
    // file_name. COCO ids need no column: an import gives each image, category
    // and annotation its COCO id as project id wherever that id is free.
    sql: `
      CREATE TABLE project_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    description: 'several phrases per object (issue 9)',
    // The object's other referring phrases (RefCOCO has about three), a JSON
    // array of strings; \`phrase\` stays the first one.
    sql: `ALTER TABLE annotations ADD COLUMN more_phrases TEXT NOT NULL DEFAULT '[]';`,
  },
  {
    version: 6,
    description: '"object not in this image" negatives (issue 11)',
    // A reviewed negative: the user (or an accepted no-box answer) says this
    // phrase has no object in this image. One per image and phrase (the phrase
    // stored as core/negatives.ts negativePhraseKey has it). AUTOINCREMENT for
    // the same reason as annotations: undo of a remove puts it back under its id.
    sql: `
      CREATE TABLE negatives (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        phrase TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (image_id, phrase)
      );
    `,
  },
  {
    version: 7,
    description: 'batch "no box" answers kept as proposals (issue 18)',
    // A "no box" proposal is a proposal with neither box and reason 'no-box'
    // (the proposals table has always allowed it: a live query stored one).
    // Until now a batch recorded such an answer only in its item: it left no
    // proposal to review and no mark. Each such pair gets its "no box"
    // proposal back, in the newest batch that asked it, unless a proposal
    // waits for it or it is marked "not in this image" already. The model's
    // words were not kept then: the reasoning says so.
    sql: `
      INSERT INTO proposals (image_id, phrase, reasoning_visible, reasoning_amodal, model, score, reason, latency_ms, batch_id, created_at)
      SELECT i.image_id, i.phrase,
        'The model answered with no box (batch ' || MAX(i.batch_id) || '); its words were not kept by this older version.', '',
        '', NULL, 'no-box', 0, MAX(i.batch_id), MAX(b.updated_at)
      FROM batch_items i JOIN batches b ON b.id = i.batch_id
      WHERE i.state = 'done' AND i.reason = 'no-box'
        AND NOT EXISTS (SELECT 1 FROM proposals p WHERE p.image_id = i.image_id AND p.phrase = i.phrase)
        AND NOT EXISTS (SELECT 1 FROM negatives n WHERE n.image_id = i.image_id AND n.phrase = i.phrase)
      GROUP BY i.image_id, i.phrase
      ORDER BY MAX(b.updated_at), i.image_id, i.phrase;
    `,
  },
  {
    version: 8,
    description: 'truncated, difficult and free attributes of objects (issue 18)',
    // truncated NULL: the flag follows the amodal box (it passes the image
    // edge: core/attributes.ts); 0/1 once the user sets it. attributes: a JSON
    // object of the object's free key/value attributes ('{}' for none).
    sql: `
      ALTER TABLE annotations ADD COLUMN truncated INTEGER;
      ALTER TABLE annotations ADD COLUMN difficult INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE annotations ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the file up to `target` (default: the latest version). The caller has
 * checked the file is an EGM project (or empty). Returns the version reached.
 */
export function migrate(db: Database.Database, file: string, target = SCHEMA_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`${file}: project schema version ${current} is newer than this app supports (${SCHEMA_VERSION}); update EGM Annotator`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    const apply = db.transaction(() => {
      db.exec(migration.sql);
      if (migration.version === 1) db.pragma(`application_id = ${EGM_APPLICATION_ID}`);
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      // IMMEDIATE: another process opening the same old file waits for this upgrade (busy timeout) instead of failing.
      apply.immediate();
    } catch (err) {
      throw new Error(`${file}: schema migration to version ${migration.version} (${migration.description}) failed: ${(err as Error).message}`);
    }
  }
  return Math.max(current, Math.min(target, SCHEMA_VERSION));
}
