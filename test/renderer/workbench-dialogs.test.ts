// The confirm question and the dialog stack are the workbench's (issue 11:
// they were module state): a fresh workbench starts with no question and no
// dialog, and keys reach the workbench's commands again once its own dialog
// is closed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { askConfirm, dropQuestion } from '../../renderer/src/components/confirm';
import { dialogKey, pushDialog, topDialog } from '../../renderer/src/components/dialog-layer';
import { TestWorkbench } from './test-workbench';

let tw: TestWorkbench;
beforeEach(async () => {
  tw = await TestWorkbench.open({ images: ['coffee.png'] });
});
afterEach(() => tw.dispose());

const esc = { key: 'Escape', target: null, ctrlKey: false, metaKey: false, altKey: false };

describe('dialogs and the confirm question live in the workbench', () => {
  it("a question or dialog left open on one workbench is not another's", async () => {
    askConfirm({ text: 'Remove?', confirmLabel: 'Remove', onConfirm: () => {} });
    const closed: string[] = [];
    pushDialog({ element: () => null, close: () => closed.push('left open') });
    expect(tw.wb.confirm.getState().question?.text).toBe('Remove?');
    await tw.dispose();
    tw = await TestWorkbench.open({ images: ['coffee.png'] });
    expect(tw.wb.confirm.getState().question).toBeNull();
    expect(topDialog()).toBeNull();
    expect(dialogKey(esc)).toBe(false); // Esc is the workbench's again, not a dialog of the workbench before
    expect(closed).toEqual([]);
  });

  it('the installed workbench\'s stack takes Esc for its topmost dialog; dropQuestion clears its question', () => {
    const closed: string[] = [];
    const pop = pushDialog({ element: () => null, close: () => closed.push('top') });
    expect(dialogKey(esc)).toBe(true);
    expect(closed).toEqual(['top']);
    pop();
    expect(topDialog()).toBeNull();
    askConfirm({ text: 'Accept 3?', confirmLabel: 'Accept 3', onConfirm: () => {} });
    dropQuestion();
    expect(tw.wb.confirm.getState().question).toBeNull();
  });
});
