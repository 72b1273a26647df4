/**
 * A table that stays smooth with hundreds of thousands of rows: only the rows in view (plus a margin)
 * exist in the DOM, positioned inside a spacer as tall as all rows. Sortable column headers (buttons
 * with `aria-sort`), single or multiple selection, and the ARIA grid keyboard model: arrows, Page Up/Down,
 * Home/End move the active row, Space toggles selection, Enter (or a double click) activates.
 */
import { Widget } from "@lumino/widgets";
import { Signal, type ISignal } from "@lumino/signaling";
import type { Message } from "@lumino/messaging";
import type { SortKey, SortState } from "../models/table";

/** How a column is shown: heading, width, alignment, text, classes. */
export interface ColumnLook<T> {
  label: string;
  /** Text shown; defaults to the value. */
  format?: (row: T) => string;
  /** CSS grid track, for example `6em` or `minmax(8em, 1fr)`. */
  width?: string;
  align?: "start" | "end";
  /** Extra class of the cell (status colours, marks). */
  cellClass?: (row: T) => string | undefined;
  /** Tooltip of the cell; defaults to its text. */
  title?: (row: T) => string | undefined;
  sortable?: boolean;
}

/** A column of the table: what it sorts by (the value) and how it is shown. */
export interface Column<T> extends SortKey<T>, ColumnLook<T> {}

export interface VirtualTableOptions<T> {
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** Accessible name of the table. */
  label: string;
  /** `data-testid` of the table. */
  testId: string;
  /** single: selection follows the active row; multiple: Space or a click toggles a row. */
  selection?: "single" | "multiple";
  rowHeight?: number;
  rowClass?: (row: T) => string | undefined;
  emptyText?: string;
}

/** Rows drawn beyond each edge of the view. */
const OVERSCAN = 10;
/** Rows drawn when the table has no height yet (not laid out, or in tests). */
const UNMEASURED_ROWS = 40;

let nextId = 0;

export class VirtualTable<T> extends Widget {
  constructor(options: VirtualTableOptions<T>) {
    super();
    this.options = options;
    this.columns = options.columns;
    this.rowHeight = options.rowHeight ?? 24;
    this.mode = options.selection ?? "single";
    this.tableId = `dqm-table-${++nextId}`;
    this.addClass("dqm-table");
    if (this.mode === "multiple") this.addClass("dqm-mod-multiple");
    const node = this.node;
    node.setAttribute("role", "grid");
    node.setAttribute("aria-label", options.label);
    node.setAttribute("aria-multiselectable", String(this.mode === "multiple"));
    node.tabIndex = 0;
    node.dataset.testid = options.testId;
    node.style.setProperty("--dqm-table-columns", this.gridColumns());
    node.style.setProperty("--dqm-table-min-width", this.minWidth());
    node.style.setProperty("--dqm-table-row-height", `${this.rowHeight}px`);

    this.head = document.createElement("div");
    this.head.className = "dqm-table-head";
    this.header = document.createElement("div");
    this.header.className = "dqm-table-header";
    this.head.append(this.header);
    this.header.setAttribute("role", "row");
    this.header.setAttribute("aria-rowindex", "1");
    this.body = document.createElement("div");
    this.body.className = "dqm-table-body";
    this.body.setAttribute("role", "rowgroup");
    this.spacer = document.createElement("div");
    this.spacer.className = "dqm-table-spacer";
    this.empty = document.createElement("div");
    this.empty.className = "dqm-table-empty";
    this.empty.textContent = options.emptyText ?? "Nothing to show";
    this.body.append(this.spacer, this.empty);
    node.append(this.head, this.body);
    this.buildHeader();
    this.renderNow();
  }

  get rows(): readonly T[] {
    return this._rows;
  }

  /** A column header was clicked (or activated with the keyboard): the owner decides the order. */
  get sortRequested(): ISignal<this, string> {
    return this._sortRequested;
  }

  /** Enter or double click on a row. */
  get activated(): ISignal<this, T> {
    return this._activated;
  }

  get selectionChanged(): ISignal<this, string[]> {
    return this._selectionChanged;
  }

  get sort(): SortState | null {
    return this._sort;
  }

  set sort(sort: SortState | null) {
    this._sort = sort;
    for (const cell of Array.from(this.header.children) as HTMLElement[]) {
      const key = cell.dataset.key;
      cell.setAttribute("aria-sort", sort && sort.key === key ? sort.direction : "none");
    }
  }

  get selectedKeys(): string[] {
    return [...this.selection];
  }

  get activeIndex(): number {
    return this._active;
  }

  /** Replaces the rows; the scroll position, selection and active row (by key) stay. */
  setRows(rows: readonly T[]): void {
    const activeKey =
      this._active >= 0 && this._active < this._rows.length ? this.key(this._rows[this._active]) : null;
    this._rows = rows;
    this.keyIndex = null;
    this._active = activeKey === null ? -1 : this.indexOfKey(activeKey);
    this.node.setAttribute("aria-rowcount", String(rows.length + 1));
    this.version++;
    this.renderNow();
  }

  /** Sets the selected rows without emitting `selectionChanged`. */
  setSelection(keys: Iterable<string>): void {
    this.selection = new Set(keys);
    this.version++;
    this.renderNow();
  }

  indexOfKey(key: string): number {
    if (!this.keyIndex) {
      this.keyIndex = new Map();
      this._rows.forEach((row, i) => this.keyIndex!.set(this.key(row), i));
    }
    return this.keyIndex.get(key) ?? -1;
  }

  /** Makes row `index` the active row, scrolled into view; in single mode it is also selected. */
  setActive(index: number, options: { select?: boolean } = {}): void {
    if (this._rows.length === 0) return;
    const i = Math.max(0, Math.min(this._rows.length - 1, index));
    this._active = i;
    this.scrollIntoView(i);
    if (this.mode === "single" && options.select !== false) this.selectOnly(this.key(this._rows[i]));
    this.version++;
    this.renderNow();
  }

  /** Draws the rows in view now (otherwise drawing waits for the next animation frame). */
  renderNow(): void {
    const n = this._rows.length;
    this.spacer.style.height = `${n * this.rowHeight}px`;
    this.empty.hidden = n > 0;
    const viewport = this.body.clientHeight || UNMEASURED_ROWS * this.rowHeight;
    const top = this.body.scrollTop;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - OVERSCAN);
    const last = Math.min(n, Math.ceil((top + viewport) / this.rowHeight) + OVERSCAN);
    const count = Math.max(0, last - first);
    while (this.rowElements.length > count) this.rowElements.pop()!.remove();
    while (this.rowElements.length < count) {
      const el = this.createRow();
      this.spacer.append(el);
      this.rowElements.push(el);
    }
    for (let k = 0; k < count; k++) this.fillRow(this.rowElements[k], first + k);
    // The header spans the body's width without its vertical scroll bar, so columns line up.
    const scrollbar = this.body.offsetWidth - this.body.clientWidth;
    this.head.style.paddingRight = scrollbar > 0 ? `${scrollbar}px` : "";
    this.head.scrollLeft = this.body.scrollLeft;
    const active = this._active >= 0 && this._active < n ? `${this.tableId}-row-${this._active}` : "";
    if (active) this.node.setAttribute("aria-activedescendant", active);
    else this.node.removeAttribute("aria-activedescendant");
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.body.addEventListener("scroll", this);
    this.node.addEventListener("keydown", this);
    this.node.addEventListener("click", this);
    this.node.addEventListener("dblclick", this);
    this.update();
  }

  protected override onBeforeDetach(msg: Message): void {
    this.body.removeEventListener("scroll", this);
    this.node.removeEventListener("keydown", this);
    this.node.removeEventListener("click", this);
    this.node.removeEventListener("dblclick", this);
    super.onBeforeDetach(msg);
  }

  protected override onUpdateRequest(msg: Message): void {
    super.onUpdateRequest(msg);
    this.renderNow();
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.update();
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.update();
  }

  handleEvent(event: Event): void {
    switch (event.type) {
      case "scroll":
        this.head.scrollLeft = this.body.scrollLeft;
        this.update();
        break;
      case "keydown":
        this.onKeyDown(event as KeyboardEvent);
        break;
      case "click":
        this.onClick(event as MouseEvent);
        break;
      case "dblclick":
        this.onDoubleClick(event as MouseEvent);
        break;
    }
  }

  private key(row: T): string {
    return this.options.rowKey(row);
  }

  private tracks(): string[] {
    const tracks = this.columns.map((c) => c.width ?? "minmax(4em, 1fr)");
    if (this.mode === "multiple") tracks.unshift("1.6em");
    return tracks;
  }

  private gridColumns(): string {
    return this.tracks().join(" ");
  }

  /** The narrowest the columns get; below it the table scrolls sideways, header and rows together. */
  private minWidth(): string {
    const mins = this.tracks().map((t) => {
      const m = /^minmax\(\s*([^,]+),/.exec(t);
      return m ? m[1].trim() : t;
    });
    return `calc(${mins.join(" + ")})`;
  }

  private buildHeader(): void {
    if (this.mode === "multiple") {
      const check = document.createElement("div");
      check.className = "dqm-table-headcell dqm-table-check";
      check.setAttribute("role", "columnheader");
      check.setAttribute("aria-label", "selected");
      this.header.append(check);
    }
    for (const column of this.columns) {
      const cell = document.createElement("div");
      cell.className = "dqm-table-headcell";
      if (column.align === "end") cell.classList.add("dqm-mod-end");
      cell.setAttribute("role", "columnheader");
      cell.dataset.key = column.key;
      cell.setAttribute("aria-sort", "none");
      if (column.sortable !== false) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "dqm-table-sort";
        button.textContent = column.label;
        button.title = `Sort by ${column.label}`;
        button.addEventListener("click", (event) => {
          event.stopPropagation();
          this._sortRequested.emit(column.key);
        });
        cell.append(button);
      } else {
        cell.textContent = column.label;
      }
      this.header.append(cell);
    }
  }

  private createRow(): HTMLElement {
    const el = document.createElement("div");
    el.className = "dqm-table-row";
    el.setAttribute("role", "row");
    const cells = this.columns.length + (this.mode === "multiple" ? 1 : 0);
    for (let c = 0; c < cells; c++) {
      const cell = document.createElement("div");
      cell.setAttribute("role", "gridcell");
      el.append(cell);
    }
    return el;
  }

  private fillRow(el: HTMLElement, index: number): void {
    const stamp = `${this.version}:${index}`;
    if (el.dataset.stamp === stamp) return;
    el.dataset.stamp = stamp;
    const row = this._rows[index];
    const key = this.key(row);
    const selected = this.selection.has(key);
    el.id = `${this.tableId}-row-${index}`;
    el.dataset.key = key;
    el.dataset.index = String(index);
    el.setAttribute("aria-rowindex", String(index + 2));
    el.setAttribute("aria-selected", String(selected));
    el.style.transform = `translateY(${index * this.rowHeight}px)`;
    let cls = "dqm-table-row";
    if (selected) cls += " dqm-mod-selected";
    if (index === this._active) cls += " dqm-mod-active";
    if (index % 2 === 1) cls += " dqm-mod-odd";
    const extra = this.options.rowClass?.(row);
    if (extra) cls += ` ${extra}`;
    el.className = cls;
    const cells = el.children;
    let c = 0;
    if (this.mode === "multiple") {
      const check = cells[c++] as HTMLElement;
      check.className = "dqm-table-cell dqm-table-check";
      check.textContent = selected ? "☑" : "☐";
      check.setAttribute("aria-hidden", "true");
    }
    for (const column of this.columns) {
      const cell = cells[c++] as HTMLElement;
      const text = column.format ? column.format(row) : formatValue(column.value(row));
      cell.textContent = text;
      cell.title = column.title?.(row) ?? text;
      cell.dataset.column = column.key;
      let cellCls = "dqm-table-cell";
      if (column.align === "end") cellCls += " dqm-mod-end";
      const extraCell = column.cellClass?.(row);
      if (extraCell) cellCls += ` ${extraCell}`;
      cell.className = cellCls;
    }
  }

  private scrollIntoView(index: number): void {
    const viewport = this.body.clientHeight;
    if (!viewport) return;
    const top = index * this.rowHeight;
    if (top < this.body.scrollTop) this.body.scrollTop = top;
    else if (top + this.rowHeight > this.body.scrollTop + viewport)
      this.body.scrollTop = top + this.rowHeight - viewport;
  }

  private selectOnly(key: string): void {
    if (this.selection.size === 1 && this.selection.has(key)) return;
    this.selection = new Set([key]);
    this._selectionChanged.emit(this.selectedKeys);
  }

  private toggle(key: string): void {
    if (this.selection.has(key)) this.selection.delete(key);
    else this.selection.add(key);
    this.version++;
    this.renderNow();
    this._selectionChanged.emit(this.selectedKeys);
  }

  private rowIndexOf(target: EventTarget | null): number {
    const el = (target as HTMLElement | null)?.closest?.(".dqm-table-row") as HTMLElement | null;
    if (!el || !this.spacer.contains(el)) return -1;
    return Number(el.dataset.index ?? -1);
  }

  private onClick(event: MouseEvent): void {
    const index = this.rowIndexOf(event.target);
    if (index < 0) return;
    this.node.focus();
    if (this.mode === "multiple") {
      this.setActive(index, { select: false });
      this.toggle(this.key(this._rows[index]));
    } else {
      this.setActive(index);
    }
  }

  private onDoubleClick(event: MouseEvent): void {
    const index = this.rowIndexOf(event.target);
    if (index >= 0) this._activated.emit(this._rows[index]);
  }

  private onKeyDown(event: KeyboardEvent): void {
    if ((event.target as HTMLElement).closest?.(".dqm-table-head")) return;
    const n = this._rows.length;
    if (n === 0) return;
    const page = Math.max(
      1,
      Math.floor((this.body.clientHeight || 10 * this.rowHeight) / this.rowHeight) - 1,
    );
    const current = this._active;
    let next: number | null = null;
    switch (event.key) {
      case "ArrowDown":
        next = current < 0 ? 0 : current + 1;
        break;
      case "ArrowUp":
        next = current < 0 ? 0 : current - 1;
        break;
      case "PageDown":
        next = Math.max(0, current) + page;
        break;
      case "PageUp":
        next = Math.max(0, current) - page;
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = n - 1;
        break;
      case " ":
        if (current >= 0) {
          if (this.mode === "multiple") this.toggle(this.key(this._rows[current]));
          else this.setActive(current);
        }
        event.preventDefault();
        return;
      case "Enter":
        if (current >= 0) this._activated.emit(this._rows[current]);
        event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    this.setActive(next, { select: this.mode === "single" });
  }

  private readonly options: VirtualTableOptions<T>;
  private readonly columns: Column<T>[];
  private readonly rowHeight: number;
  private readonly mode: "single" | "multiple";
  private readonly tableId: string;
  private readonly head: HTMLElement;
  private readonly header: HTMLElement;
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly empty: HTMLElement;
  private rowElements: HTMLElement[] = [];
  private _rows: readonly T[] = [];
  private keyIndex: Map<string, number> | null = null;
  private selection = new Set<string>();
  private _active = -1;
  private version = 0;
  private _sort: SortState | null = null;
  private _sortRequested = new Signal<this, string>(this);
  private _activated = new Signal<this, T>(this);
  private _selectionChanged = new Signal<this, string[]>(this);
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number" && Number.isNaN(value)) return "—";
  return String(value);
}
