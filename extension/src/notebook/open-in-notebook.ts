/**
 * "Open in notebook": puts a cell into the active notebook (below its active cell), or into a new
 * notebook on the tslab kernel when no notebook is open, and shows it.
 */
import type { CommandRegistry } from "@lumino/commands";
import {
  NotebookActions,
  type INotebookTracker,
  type Notebook,
  type NotebookPanel,
} from "@jupyterlab/notebook";

/** The kernel of new notebooks: tslab (TypeScript), where the kernel library runs. */
export const KERNEL_NAME = "tslab";

/**
 * Adds a code cell holding `source` below the active cell and makes it active; a notebook whose only
 * cell is empty gets `source` in that cell instead.
 */
export function insertCell(notebook: Notebook, source: string): void {
  const model = notebook.model;
  if (!model) throw new Error("the notebook has no model yet");
  const cells = model.sharedModel.cells;
  if (cells.length === 1 && cells[0].cell_type === "code" && cells[0].getSource().trim() === "") {
    cells[0].setSource(source);
    notebook.activeCellIndex = 0;
    return;
  }
  NotebookActions.insertBelow(notebook);
  const cell = notebook.activeCell;
  if (!cell) throw new Error("could not insert a cell");
  if (cell.model.type !== "code") NotebookActions.changeCellType(notebook, "code");
  notebook.activeCell?.model.sharedModel.setSource(source);
}

export async function openInNotebook(
  commands: CommandRegistry,
  tracker: INotebookTracker | null,
  source: string,
  activate: (id: string) => void,
): Promise<NotebookPanel> {
  let panel: NotebookPanel | null = tracker?.currentWidget ?? null;
  if (!panel) {
    panel = (await commands.execute("notebook:create-new", { kernelName: KERNEL_NAME })) as NotebookPanel;
  }
  await panel.context.ready;
  insertCell(panel.content, source);
  activate(panel.id);
  return panel;
}
