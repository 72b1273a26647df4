/** Small DOM helpers for the panels' controls. */

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; testId?: string; attrs?: Record<string, string> } = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.text !== undefined) el.textContent = props.text;
  if (props.testId) el.dataset.testid = props.testId;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/** A labelled `<select>`; `options` are [value, text] pairs. */
export function labelledSelect(
  label: string,
  testId: string,
  onChange: (value: string) => void,
): {
  wrapper: HTMLLabelElement;
  select: HTMLSelectElement;
  setOptions(options: Array<[string, string]>, value: string | null): void;
} {
  const select = element("select", { className: "jp-mod-styled dqm-select", testId });
  const wrapper = element(
    "label",
    { className: "dqm-field" },
    element("span", { className: "dqm-field-label", text: label }),
    select,
  );
  select.addEventListener("change", () => onChange(select.value));
  return {
    wrapper,
    select,
    setOptions(options, value) {
      const same =
        select.options.length === options.length &&
        options.every(([v, t], i) => select.options[i].value === v && select.options[i].text === t);
      if (!same) select.replaceChildren(...options.map(([v, t]) => new Option(t, v)));
      if (value !== null && select.value !== value) select.value = value;
      select.disabled = options.length === 0;
    },
  };
}

/** A search box that reports each change. */
export function searchInput(
  label: string,
  placeholder: string,
  testId: string,
  onInput: (text: string) => void,
): HTMLInputElement {
  const input = element("input", {
    className: "jp-mod-styled dqm-search",
    testId,
    attrs: { type: "search", placeholder, "aria-label": label, spellcheck: "false" },
  });
  input.addEventListener("input", () => onInput(input.value));
  return input;
}

export function button(text: string, testId: string, onClick: () => void, title?: string): HTMLButtonElement {
  const b = element("button", {
    className: "jp-Button jp-mod-styled dqm-button",
    text,
    testId,
    attrs: { type: "button" },
  });
  if (title) b.title = title;
  b.addEventListener("click", onClick);
  return b;
}

/** Saves `text` as a file through the browser's download. */
export function downloadText(filename: string, text: string, type = "text/csv"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = element("a", { attrs: { href: url, download: filename } });
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
