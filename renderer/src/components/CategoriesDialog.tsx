// The Categories dialog (issue 9, item 7; issue 16, item 5): every category
// with its colour, its key (1–9 give the selection that category), its box
// count; rename in place (Enter or leaving the field; a name in use offers a
// merge), merge into another (pick it, then Merge…), delete keeping its boxes
// without a category, or with its boxes. Merge and delete ask first, naming
// the boxes, and Ctrl+Z undoes each. Choosing in a list never acts by itself:
// its arrow keys only choose. Unused categories are not exported.
import { useEffect, useState } from 'react';
import type { Category } from '@core/types';
import { categoryColor, categoryKeyOf } from '@core/category-colors';
import { CATEGORY_NAME_MAX } from '@core/schemas';
import { egm } from '../egm';
import { confirmDelete, confirmMerge, renameCategory } from '../state/categories';
import { app, useApp } from '../state/store';
import { Modal } from './Modal';

type Usage = Category & { boxes: number };

export function CategoriesDialog() {
  const open = useApp((s) => s.categoriesOpen);
  const categories = useApp((s) => s.categories);
  const [usage, setUsage] = useState<Usage[]>([]);
  useEffect(() => {
    if (open) void egm()['categories:usage']({}).then(setUsage, () => setUsage([]));
  }, [open, categories]);
  if (!open) return null;
  const close = () => app.set({ categoriesOpen: false });
  return (
    <Modal testId="categories-dialog" title="Categories" onClose={close}>
      <h2>Categories</h2>
      {usage.length === 0 && <p className="muted">No categories yet: type one in a box's inspector.</p>}
      <table className="eval-table categories-table">
        <tbody>
          {usage.map((c) => <CategoryRow key={c.id} c={c} rank={categoryKeyOf(categories, c.id)} others={usage.filter((o) => o.id !== c.id)} />)}
        </tbody>
      </table>
      <p className="muted">Merging and deleting ask first; Ctrl+Z undoes them. Keys 1–9 give the selected boxes the category of that number. Categories without boxes are not exported.</p>
      <div className="row"><span className="grow" /><button onClick={close}>Close</button></div>
    </Modal>
  );
}

function CategoryRow({ c, rank, others }: { c: Usage; rank: number | null; others: Usage[] }) {
  const [name, setName] = useState(c.name);
  const [target, setTarget] = useState<number | ''>('');
  useEffect(() => setName(c.name), [c.name]);
  // A target that merged or was deleted meanwhile is no target.
  const into = target !== '' && others.some((o) => o.id === target) ? target : '';
  const commit = () => {
    if (name.trim() === c.name) return;
    void renameCategory(c, name, () => setName(c.name));
  };
  return (
    <tr data-testid="category-row" data-name={c.name}>
      <td className="cat-key" title={rank !== null ? `Key ${rank} gives the selected boxes this category` : 'Only the first nine categories have a key'}>
        <i className="swatch" style={{ background: categoryColor(c.id) }} />
        <kbd data-testid="category-key">{rank ?? ''}</kbd>
      </td>
      <td>
        <input
          data-testid="category-name"
          aria-label={`Name of ${c.name}`}
          value={name}
          maxLength={CATEGORY_NAME_MAX}
          onChange={(e) => setName(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
        />
      </td>
      <td data-testid="category-boxes">{c.boxes} box{c.boxes === 1 ? '' : 'es'}</td>
      <td>
        <select data-testid="category-merge" aria-label={`Merge ${c.name} into`} value={into} disabled={others.length === 0} onChange={(e) => setTarget(e.target.value === '' ? '' : Number(e.target.value))}>
          <option value="">Merge into…</option>
          {others.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
        <button data-testid="category-merge-run" disabled={into === ''} title="Asks first, naming the boxes that move" onClick={() => into !== '' && void confirmMerge(c, into)}>Merge…</button>
      </td>
      <td>
        <button data-testid="category-delete-keep" title="Delete the category; its boxes stay, without a category (asks first)" onClick={() => void confirmDelete(c, 'keep')}>Delete…</button>
        <button data-testid="category-delete-boxes" className="danger" title="Delete the category and its boxes (asks first)" disabled={c.boxes === 0} onClick={() => void confirmDelete(c, 'delete')}>Delete with boxes…</button>
      </td>
    </tr>
  );
}
