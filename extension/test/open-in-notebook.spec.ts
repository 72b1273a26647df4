import { NotebookModel } from "@jupyterlab/notebook";
import { NBTestUtils } from "@jupyterlab/testutils";
import { CommandRegistry } from "@lumino/commands";
import type { INotebookTracker, NotebookPanel } from "@jupyterlab/notebook";
import { insertCell, KERNEL_NAME, openInNotebook } from "../src/notebook/open-in-notebook";

// yjs 13.6 (what npm resolves; JupyterLab 4.5 itself ships 13.5) warns about reads that @jupyter/ydoc
// makes while building cells outside a document. Harmless here; kept out of the test output.
let warn: jest.SpyInstance;
beforeAll(() => {
  const original = console.warn;
  warn = jest.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
    if (String(args[0]).startsWith("Invalid access: Add Yjs type to a document")) return;
    original(...args);
  });
});
afterAll(() => warn.mockRestore());

function notebook(sources: string[]) {
  const nb = NBTestUtils.createNotebook();
  const model = new NotebookModel();
  model.fromJSON({
    cells: sources.map((source) => ({
      cell_type: "code",
      source,
      metadata: {},
      outputs: [],
      execution_count: null,
    })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });
  nb.model = model;
  return nb;
}

describe("insertCell", () => {
  it("fills the only, empty cell of a new notebook", () => {
    const nb = notebook([""]);
    insertCell(nb, "const x = 1;");
    expect(nb.model!.sharedModel.cells.map((c) => c.getSource())).toEqual(["const x = 1;"]);
    expect(nb.activeCellIndex).toBe(0);
    nb.dispose();
  });

  it("adds a code cell below the active cell otherwise", () => {
    const nb = notebook(["a", "b", "c"]);
    nb.activeCellIndex = 1;
    insertCell(nb, "const x = 1;");
    const cells = nb.model!.sharedModel.cells;
    expect(cells.map((c) => c.getSource())).toEqual(["a", "b", "const x = 1;", "c"]);
    expect(cells[2].cell_type).toBe("code");
    expect(nb.activeCellIndex).toBe(2);
    nb.dispose();
  });

  it("refuses a notebook without a model", () => {
    const nb = NBTestUtils.createNotebook();
    expect(() => insertCell(nb, "x")).toThrow("the notebook has no model yet");
    nb.dispose();
  });
});

describe("openInNotebook", () => {
  function fakePanel(nb: ReturnType<typeof notebook>): NotebookPanel {
    return { id: "nb-1", content: nb, context: { ready: Promise.resolve() } } as unknown as NotebookPanel;
  }

  it("inserts into the current notebook and shows it", async () => {
    const nb = notebook(["a"]);
    const tracker = { currentWidget: fakePanel(nb) } as unknown as INotebookTracker;
    const shown: string[] = [];
    await openInNotebook(new CommandRegistry(), tracker, "x", (id) => shown.push(id));
    expect(nb.model!.sharedModel.cells.map((c) => c.getSource())).toEqual(["a", "x"]);
    expect(shown).toEqual(["nb-1"]);
    nb.dispose();
  });

  it("creates a TypeScript notebook when none is open", async () => {
    const nb = notebook([""]);
    const commands = new CommandRegistry();
    const created: unknown[] = [];
    commands.addCommand("notebook:create-new", {
      execute: (args) => {
        created.push(args);
        return fakePanel(nb);
      },
    });
    await openInNotebook(
      commands,
      { currentWidget: null } as unknown as INotebookTracker,
      "y",
      () => undefined,
    );
    expect(created).toEqual([{ kernelName: KERNEL_NAME }]);
    expect(KERNEL_NAME).toBe("tslab");
    expect(nb.model!.sharedModel.cells.map((c) => c.getSource())).toEqual(["y"]);
    nb.dispose();
  });
});
