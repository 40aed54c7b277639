// A harness with a project file opened from the welcome page, as a user would
// open it: the Open dialog answers with `file`, the workbench is then ready.
import { startHarness, type Harness, type HarnessOptions } from '../harness';
import { WorkbenchPage } from './workbench.page';

export async function openProjectFromWelcome(file: string, options: HarnessOptions = {}): Promise<{ harness: Harness; wb: WorkbenchPage }> {
  const harness = await startHarness(options);
  try {
    const wb = new WorkbenchPage(harness.page);
    harness.dialogs.openProject = file;
    await harness.page.getByTestId('welcome-open').click();
    await wb.waitReady();
    return { harness, wb };
  } catch (err) {
    await harness.close();
    throw err;
  }
}
