/** Opening a panel in JupyterLab's main area, the same way for every panel of the extension. */
import type { JupyterFrontEnd } from "@jupyterlab/application";
import { MainAreaWidget, type WidgetTracker } from "@jupyterlab/apputils";
import type { LabIcon } from "@jupyterlab/ui-components";
import type { Widget } from "@lumino/widgets";

/**
 * Wraps `content` in a closable main-area widget with `id` (made safe for the DOM) and `icon`, lets
 * `beforeAdd` hook it up (for example to save the layout when the panel changes), adds it to its
 * tracker (layout restore) and to the main area, and shows it.
 */
export async function openInMainArea<T extends Widget>(
  shell: JupyterFrontEnd.IShell,
  tracker: WidgetTracker<MainAreaWidget<T>>,
  content: T,
  id: string,
  icon: LabIcon,
  beforeAdd?: (widget: MainAreaWidget<T>) => void,
): Promise<MainAreaWidget<T>> {
  const widget = new MainAreaWidget({ content });
  widget.id = id.replace(/[^A-Za-z0-9_-]/g, "_");
  widget.title.icon = icon;
  widget.title.closable = true;
  beforeAdd?.(widget);
  await tracker.add(widget);
  shell.add(widget, "main");
  shell.activateById(widget.id);
  return widget;
}
