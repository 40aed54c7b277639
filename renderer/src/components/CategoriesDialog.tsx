// The Categories dialog (issue 9, item 7): every category with its box count;
// rename in place (Enter or leaving the field), merge into another (its boxes
// move there), delete keeping its boxes without a category, or with its boxes
// after a confirmation. Unused categories are not exported.
import { useEffect, useState } from 'react';
import type { Category } from '@core/types';
import { egm } from '../egm';
import { deleteCategory, mergeCategory, renameCategory } from '../state/categories';
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
          {usage.map((c) => <CategoryRow key={c.id} c={c} others={usage.filter((o) => o.id !== c.id)} />)}
        </tbody>
      </table>
      <p className="muted">Merging or deleting cannot be undone with Ctrl+Z. Categories without boxes are not exported.</p>
      <div className="row"><span className="grow" /><button onClick={close}>Close</button></div>
    </Modal>
  );
}

function CategoryRow({ c, others }: { c: Usage; others: Usage[] }) {
  const [name, setName] = useState(c.name);
  useEffect(() => setName(c.name), [c.name]);
  const commit = () => {
    if (name.trim() && name.trim() !== c.name) void renameCategory(c.id, name.trim());
  };
  const remove = (boxes: 'keep' | 'delete') => {
    if (boxes === 'delete' && c.boxes > 0 && !window.confirm(`Delete '${c.name}' and its ${c.boxes} box${c.boxes === 1 ? '' : 'es'}? This cannot be undone.`)) return;
    void deleteCategory(c.id, boxes);
  };
  return (
    <tr data-testid="category-row" data-name={c.name}>
      <td>
        <input data-testid="category-name" value={name} onChange={(e) => setName(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
      </td>
      <td data-testid="category-boxes">{c.boxes} box{c.boxes === 1 ? '' : 'es'}</td>
      <td>
        <select data-testid="category-merge" value="" disabled={others.length === 0} onChange={(e) => e.target.value && void mergeCategory(c.id, Number(e.target.value))}>
          <option value="">Merge into…</option>
          {others.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
      </td>
      <td>
        <button data-testid="category-delete-keep" title="Delete the category; its boxes stay, without a category" onClick={() => remove('keep')}>Delete</button>
        <button data-testid="category-delete-boxes" className="danger" title="Delete the category and its boxes" disabled={c.boxes === 0} onClick={() => remove('delete')}>Delete with boxes</button>
      </td>
    </tr>
  );
}
