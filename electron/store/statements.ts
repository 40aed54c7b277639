// Every SQL statement the store runs, prepared once per open project (SQLite
// parses and plans each only once; an edit then costs a bind and a step).
import type Database from 'better-sqlite3';

const ANNOTATION_COLUMNS = `image_id, category_id, phrase, more_phrases, x1, y1, x2, y2, ax1, ay1, ax2, ay2,
  occluded, source, model, score, reviewed, color, created_at, updated_at, truncated, difficult, attributes`;
const ANNOTATION_VALUES = `@image_id, @category_id, @phrase, @more_phrases, @x1, @y1, @x2, @y2, @ax1, @ay1, @ax2, @ay2,
  @occluded, @source, @model, @score, @reviewed, @color, @created_at, @updated_at, @truncated, @difficult, @attributes`;

// The columns of an AnnotationExportRow (electron/core/coco/types.ts), in its order.
const EXPORT_ANNOTATION_COLUMNS = 'id, image_id, category_id, phrase, x1, y1, x2, y2, ax1, ay1, ax2, ay2, occluded, source, model, score, reviewed, more_phrases, truncated, difficult, attributes';

// Counts come from one GROUP BY over the (image_id, reviewed) covering index
// joined to images. Two correlated COUNTs per image measured the same (~65 ms
// for 20k images / 100k boxes; bench/store.bench.ts prints both): the index,
// not the query shape, is what keeps the list fast — never drop it.
export const IMAGE_LIST = `
  SELECT i.id, i.path, i.file_name, i.width, i.height, i.orientation, i.status, i.missing,
         COALESCE(c.n, 0) AS annotation_count, COALESCE(c.u, 0) AS unreviewed_count,
         COALESCE(p.n, 0) AS proposal_count
  FROM images i
  LEFT JOIN (SELECT image_id, COUNT(*) AS n, SUM(reviewed = 0) AS u FROM annotations GROUP BY image_id) c
    ON c.image_id = i.id
  LEFT JOIN (SELECT image_id, COUNT(*) AS n FROM proposals GROUP BY image_id) p
    ON p.image_id = i.id`;

export function prepareStatements(db: Database.Database) {
  return {
    getImage: db.prepare(`
      SELECT i.id, i.path, i.file_name, i.width, i.height, i.orientation, i.status, i.missing,
             (SELECT COUNT(*) FROM annotations WHERE image_id = i.id) AS annotation_count,
             (SELECT COUNT(*) FROM annotations WHERE image_id = i.id AND reviewed = 0) AS unreviewed_count,
             (SELECT COUNT(*) FROM proposals WHERE image_id = i.id) AS proposal_count
      FROM images i WHERE i.id = ?`),
    imageExists: db.prepare('SELECT 1 FROM images WHERE id = ?').pluck(),
    maxImageId: db.prepare('SELECT MAX(id) FROM images').pluck(),
    imagePath: db.prepare('SELECT path FROM images WHERE id = ?').pluck(),
    imageIdByPath: db.prepare('SELECT id FROM images WHERE path = ?').pluck(),
    // OR IGNORE: an image whose path is already stored inserts nothing (changes 0), which addImages reports.
    insertImage: db.prepare(`INSERT OR IGNORE INTO images (id, path, file_name, width, height, orientation, missing)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    setImageStatus: db.prepare('UPDATE images SET status = ? WHERE id = ?'),
    imagePathsAndMissing: db.prepare('SELECT id, path, missing FROM images ORDER BY id'),
    setImageMissing: db.prepare('UPDATE images SET missing = ? WHERE id = ?'),
    counts: db.prepare(`SELECT (SELECT COUNT(*) FROM images) AS images,
      (SELECT COUNT(*) FROM annotations) AS annotations,
      (SELECT COUNT(*) FROM images WHERE missing = 1) AS missing`),

    annotationsOfImage: db.prepare('SELECT * FROM annotations WHERE image_id = ? ORDER BY id'),
    allAnnotations: db.prepare('SELECT * FROM annotations ORDER BY image_id, id'),
    getAnnotation: db.prepare('SELECT * FROM annotations WHERE id = ?'),
    annotationExists: db.prepare('SELECT 1 FROM annotations WHERE id = ?').pluck(),
    maxAnnotationId: db.prepare('SELECT MAX(id) FROM annotations').pluck(),
    // Export reads: raw arrays of only the columns the COCO writer uses (one
    // object per row with every column measured ~3x the CPU of these arrays).
    exportAnnotations: db.prepare(`SELECT ${EXPORT_ANNOTATION_COLUMNS} FROM annotations ORDER BY image_id, id`).raw(true),
    exportImages: db.prepare('SELECT id, path, width, height FROM images ORDER BY id').raw(true),
    insertAnnotation: db.prepare(`INSERT INTO annotations (${ANNOTATION_COLUMNS}) VALUES (${ANNOTATION_VALUES})`),
    // Positional: an import binds 100,000 rows, and named parameters cost a lookup each.
    importAnnotation: db.prepare(`INSERT INTO annotations (id, ${ANNOTATION_COLUMNS}) VALUES (${Array(24).fill('?').join(', ')})`),
    insertAnnotationWithId: db.prepare(`INSERT INTO annotations (id, ${ANNOTATION_COLUMNS}) VALUES (@id, ${ANNOTATION_VALUES})`),
    updateAnnotation: db.prepare(`UPDATE annotations SET category_id = @category_id, phrase = @phrase, more_phrases = @more_phrases,
      x1 = @x1, y1 = @y1, x2 = @x2, y2 = @y2, ax1 = @ax1, ay1 = @ay1, ax2 = @ax2, ay2 = @ay2,
      occluded = @occluded, source = @source, model = @model, score = @score, reviewed = @reviewed,
      color = @color, updated_at = @updated_at, truncated = @truncated, difficult = @difficult, attributes = @attributes WHERE id = @id`),
    deleteAnnotation: db.prepare('DELETE FROM annotations WHERE id = ?'),
    colorsOfImage: db.prepare('SELECT color, COUNT(*) AS n FROM annotations WHERE image_id = ? GROUP BY color'),

    listCategories: db.prepare('SELECT id, name FROM categories ORDER BY id'),
    categoryByName: db.prepare('SELECT id, name FROM categories WHERE name = ?'),
    categoryById: db.prepare('SELECT id, name FROM categories WHERE id = ?'),
    insertCategory: db.prepare('INSERT INTO categories (id, name) VALUES (?, ?)'),
    getMeta: db.prepare('SELECT value FROM project_meta WHERE key = ?').pluck(),
    setMeta: db.prepare('INSERT INTO project_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    renameCategory: db.prepare('UPDATE categories SET name = ? WHERE id = ?'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
