// The pure parts of issue 11's image-list tools: the images:list request the
// filters make, whether anything is filtered, the negatives list after an
// edit step, the names map the review queue reads, and the removal question.
import { describe, expect, it } from 'vitest';
import type { Negative } from '@core/negatives';
import type { ImageRecord } from '@core/types';
import { isFiltering, listRequest, NO_FILTERS, sameRequest } from '../../renderer/src/lib/image-filters';
import { searchImages } from '../../renderer/src/lib/image-search';
import { withNames } from '../../renderer/src/state/image-names';
import { negativesAfter } from '../../renderer/src/lib/negative-list';
import { removalText } from '../../renderer/src/state/remove-image';

const image = (id: number, fileName: string, annotationCount = 0): ImageRecord => ({
  id, path: `images/${fileName}`, fileName, width: 10, height: 10, orientation: 1, status: 'todo', missing: false, annotationCount, unreviewedCount: 0, proposalCount: 0,
});
const negative = (id: number, imageId: number, phrase: string, createdAt = id): Negative => ({ id, imageId, phrase, createdAt });

describe('image filters', () => {
  it('ask the store only for what is chosen: no filter is an empty request, and the search is never in it (it runs in the page)', () => {
    expect(listRequest(NO_FILTERS, false)).toEqual({});
    expect(listRequest({ ...NO_FILTERS, search: 'cup' }, false)).toEqual({});
    expect(listRequest({ search: ' cup ', status: 'done', hasProposals: true, categoryId: 3 }, true)).toEqual({ unreviewed: true, status: 'done', hasProposals: true, categoryId: 3 });
    expect(isFiltering(NO_FILTERS, false)).toBe(false);
    expect(isFiltering({ ...NO_FILTERS, search: '   ' }, false)).toBe(false);
    expect(isFiltering({ ...NO_FILTERS, search: 'cup' }, false)).toBe(true);
    expect(isFiltering(NO_FILTERS, true)).toBe(true);
    expect(isFiltering({ ...NO_FILTERS, categoryId: 1 }, false)).toBe(true);
  });
  it('tell a list answered for an older request from the current one', () => {
    expect(sameRequest(listRequest({ ...NO_FILTERS, status: 'done' }, false), listRequest({ ...NO_FILTERS, status: 'done' }, false))).toBe(true);
    expect(sameRequest(listRequest({ ...NO_FILTERS, status: 'done' }, false), listRequest({ ...NO_FILTERS, status: 'todo' }, false))).toBe(false);
  });
});

describe('file-name search in the page', () => {
  const images = [image(1, 'Coffee.png'), image(2, 'messi5.jpg'), image(3, 'CAFÉ-à-Paris.jpg'), image(4, 'home.jpg')];
  it('keeps the names containing the text, case-insensitively (beyond ASCII too), in list order', () => {
    expect(searchImages(images, 'co').map((i) => i.id)).toEqual([1]);
    expect(searchImages(images, ' .JPG ').map((i) => i.id)).toEqual([2, 3, 4]);
    expect(searchImages(images, 'café-À').map((i) => i.id)).toEqual([3]);
    expect(searchImages(images, 'no such')).toEqual([]);
  });
  it('gives the list itself back for a blank search', () => {
    expect(searchImages(images, '')).toBe(images);
    expect(searchImages(images, '  ')).toBe(images);
  });
});

describe('negatives on screen', () => {
  it('add, drop and keep their order; a change on another image leaves the list alone', () => {
    const list = [negative(2, 7, 'a unicorn')];
    const added = negativesAfter(list, 7, [{ type: 'create', after: negative(1, 7, 'a giraffe') }]);
    expect(added.map((n) => n.phrase)).toEqual(['a giraffe', 'a unicorn']);
    expect(negativesAfter(added, 7, [{ type: 'delete', before: negative(2, 7, 'a unicorn') }]).map((n) => n.id)).toEqual([1]);
    expect(negativesAfter(list, 7, [{ type: 'create', after: negative(3, 8, 'elsewhere') }])).toEqual(list);
  });
});

describe('image names', () => {
  it('gain the names of every list read, and stay the same object when nothing is new', () => {
    const names = withNames({}, [image(1, 'a.jpg'), image(2, 'b.jpg')]);
    expect(names).toEqual({ 1: 'a.jpg', 2: 'b.jpg' });
    expect(withNames(names, [image(2, 'b.jpg')])).toBe(names);
    expect(withNames(names, [image(3, 'c.jpg')])).toEqual({ 1: 'a.jpg', 2: 'b.jpg', 3: 'c.jpg' });
  });
});

describe('the removal question', () => {
  it('names the file and what goes with it, in the right number', () => {
    const tail = 'The file on disk is not touched. This cannot be undone, and it empties the undo history.';
    expect(removalText(image(1, 'a.jpg', 2), 1, 0)).toBe(`Remove a.jpg from the project? Its 2 boxes and 1 proposal go with it. ${tail}`);
    expect(removalText(image(1, 'a.jpg', 1), 0, 0)).toBe(`Remove a.jpg from the project? Its 1 box goes with it. ${tail}`);
    expect(removalText(image(1, 'a.jpg', 0), 3, 0)).toBe(`Remove a.jpg from the project? Its 3 proposals go with it. ${tail}`);
    expect(removalText(image(1, 'a.jpg'), 0, 0)).toBe(`Remove a.jpg from the project? ${tail}`);
    expect(removalText(image(1, 'a.jpg', 2), 1, 2)).toBe(`Remove a.jpg from the project? Its 2 boxes, 1 proposal and 2 'not in this image' marks go with it. ${tail}`);
    expect(removalText(image(1, 'a.jpg'), 0, 1)).toBe(`Remove a.jpg from the project? Its 1 'not in this image' mark goes with it. ${tail}`);
  });
});
