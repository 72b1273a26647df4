import { Widget } from "@lumino/widgets";
import { VirtualTable, type Column } from "../src/widgets/virtual-table";

interface Row {
  id: number;
  name: string;
}

const columns: Column<Row>[] = [
  { key: "id", label: "Id", value: (r) => r.id, align: "end" },
  { key: "name", label: "Name", value: (r) => r.name, cellClass: (r) => (r.id % 2 ? "odd-id" : undefined) },
  { key: "fixed", label: "Fixed", value: () => null, sortable: false },
];

function rows(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({ id: i, name: `row ${i}` }));
}

function table(selection: "single" | "multiple" = "single"): VirtualTable<Row> {
  const t = new VirtualTable<Row>({
    columns,
    rowKey: (r) => String(r.id),
    label: "Test rows",
    testId: "test-table",
    selection,
    rowClass: (r) => (r.id === 0 ? "first" : undefined),
  });
  Widget.attach(t, document.body);
  return t;
}

function key(t: VirtualTable<Row>, k: string): void {
  t.node.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
}

function rowEl(t: VirtualTable<Row>, id: number): HTMLElement | null {
  return t.node.querySelector(`.dqm-table-row[data-key="${id}"]`);
}

describe("VirtualTable", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("is an accessible grid with a header of sort buttons", () => {
    const t = table();
    expect(t.node.getAttribute("role")).toBe("grid");
    expect(t.node.getAttribute("aria-label")).toBe("Test rows");
    expect(t.node.dataset.testid).toBe("test-table");
    expect(t.node.tabIndex).toBe(0);
    const heads = t.node.querySelectorAll('[role="columnheader"]');
    expect(Array.from(heads).map((h) => h.textContent)).toEqual(["Id", "Name", "Fixed"]);
    expect(heads[2].querySelector("button")).toBeNull();
    expect(t.node.style.getPropertyValue("--dqm-table-columns")).toBe(
      "minmax(4em, 1fr) minmax(4em, 1fr) minmax(4em, 1fr)",
    );
    expect(t.node.style.getPropertyValue("--dqm-table-min-width")).toBe("calc(4em + 4em + 4em)");
    t.dispose();
  });

  it("draws only the rows in view of a very long list", () => {
    const t = table();
    t.setRows(rows(200000));
    const drawn = t.node.querySelectorAll(".dqm-table-row");
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.length).toBeLessThan(100);
    expect(t.node.getAttribute("aria-rowcount")).toBe("200001");
    expect((t.node.querySelector(".dqm-table-spacer") as HTMLElement).style.height).toBe(`${200000 * 24}px`);
    const first = rowEl(t, 0)!;
    expect(first.getAttribute("aria-rowindex")).toBe("2");
    expect(first.classList.contains("first")).toBe(true);
    expect(Array.from(first.querySelectorAll('[role="gridcell"]')).map((c) => c.textContent)).toEqual([
      "0",
      "row 0",
      "—",
    ]);
    expect(rowEl(t, 1)!.querySelector('[data-column="name"]')!.classList.contains("odd-id")).toBe(true);
    t.dispose();
  });

  it("draws the rows scrolled to", () => {
    const t = table();
    t.setRows(rows(100000));
    const body = t.node.querySelector(".dqm-table-body") as HTMLElement;
    body.scrollTop = 24 * 50000;
    t.renderNow();
    expect(rowEl(t, 50000)).not.toBeNull();
    expect(rowEl(t, 0)).toBeNull();
    expect(rowEl(t, 50000)!.style.transform).toBe(`translateY(${24 * 50000}px)`);
    t.dispose();
  });

  it("asks its owner to sort when a header is clicked and shows the order", () => {
    const t = table();
    const requested: string[] = [];
    t.sortRequested.connect((_, k) => requested.push(k));
    (t.node.querySelector('[data-key="name"] button') as HTMLButtonElement).click();
    expect(requested).toEqual(["name"]);
    t.sort = { key: "name", direction: "descending" };
    expect(t.node.querySelector('[data-key="name"]')!.getAttribute("aria-sort")).toBe("descending");
    expect(t.node.querySelector('[data-key="id"]')!.getAttribute("aria-sort")).toBe("none");
    t.dispose();
  });

  it("moves the active row with the keyboard; the selection follows in single mode", () => {
    const t = table();
    t.setRows(rows(50));
    const selections: string[][] = [];
    t.selectionChanged.connect((_, keys) => selections.push(keys));
    const activated: number[] = [];
    t.activated.connect((_, r) => activated.push(r.id));
    key(t, "ArrowDown");
    key(t, "ArrowDown");
    expect(t.activeIndex).toBe(1);
    expect(selections).toEqual([["0"], ["1"]]);
    expect(t.node.getAttribute("aria-activedescendant")).toBe(rowEl(t, 1)!.id);
    expect(rowEl(t, 1)!.getAttribute("aria-selected")).toBe("true");
    key(t, "End");
    expect(t.activeIndex).toBe(49);
    key(t, "Home");
    expect(t.activeIndex).toBe(0);
    key(t, "ArrowUp");
    expect(t.activeIndex).toBe(0);
    key(t, "PageDown");
    expect(t.activeIndex).toBeGreaterThan(1);
    key(t, "Enter");
    expect(activated).toEqual([t.activeIndex]);
    t.dispose();
  });

  it("selects with a click and activates with a double click", () => {
    const t = table();
    t.setRows(rows(10));
    const activated: number[] = [];
    t.activated.connect((_, r) => activated.push(r.id));
    const cell = rowEl(t, 3)!.querySelector(".dqm-table-cell") as HTMLElement;
    cell.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect(t.selectedKeys).toEqual(["3"]);
    cell.dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
    expect(activated).toEqual([3]);
    t.dispose();
  });

  it("toggles rows with Space and clicks in multiple mode", () => {
    const t = table("multiple");
    t.setRows(rows(10));
    expect(t.node.getAttribute("aria-multiselectable")).toBe("true");
    key(t, "ArrowDown");
    expect(t.selectedKeys).toEqual([]);
    key(t, " ");
    expect(t.selectedKeys).toEqual(["0"]);
    rowEl(t, 2)!.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect(t.selectedKeys).toEqual(["0", "2"]);
    expect(rowEl(t, 2)!.querySelector(".dqm-table-check")!.textContent).toBe("☑");
    rowEl(t, 0)!.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect(t.selectedKeys).toEqual(["2"]);
    t.dispose();
  });

  it("keeps selection, active row and scroll position when the rows are replaced", () => {
    const t = table();
    t.setRows(rows(1000));
    t.setActive(500);
    const body = t.node.querySelector(".dqm-table-body") as HTMLElement;
    body.scrollTop = 24 * 480;
    const reordered = rows(1000).reverse();
    t.setRows(reordered);
    expect(t.selectedKeys).toEqual(["500"]);
    expect(t.activeIndex).toBe(499);
    expect(body.scrollTop).toBe(24 * 480);
    t.setSelection(["7", "8"]);
    expect(t.selectedKeys).toEqual(["7", "8"]);
    expect(t.indexOfKey("8")).toBe(991);
    t.dispose();
  });

  it("says so when there is nothing to show", () => {
    const t = table();
    t.setRows([]);
    expect((t.node.querySelector(".dqm-table-empty") as HTMLElement).hidden).toBe(false);
    t.setRows(rows(1));
    expect((t.node.querySelector(".dqm-table-empty") as HTMLElement).hidden).toBe(true);
    t.dispose();
  });
});
