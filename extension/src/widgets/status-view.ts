/**
 * A panel's status line: "Loading …" while a request runs, the error with a Retry button when one
 * failed (never a blank panel), nothing otherwise.
 */
import { Widget } from "@lumino/widgets";
import type { LoadStatus } from "../models/status";

export class StatusView extends Widget {
  constructor(private readonly retry: () => void) {
    super();
    this.addClass("dqm-status");
    this.node.dataset.testid = "dqm-status";
    this.render({ state: "idle" });
  }

  get status(): LoadStatus {
    return this._status;
  }

  render(status: LoadStatus): void {
    this._status = status;
    const node = this.node;
    node.replaceChildren();
    node.classList.toggle("dqm-mod-error", status.state === "error");
    node.classList.toggle("dqm-mod-loading", status.state === "loading");
    node.removeAttribute("role");
    node.removeAttribute("aria-live");
    if (status.state === "loading") {
      node.setAttribute("aria-live", "polite");
      const text = document.createElement("span");
      text.className = "dqm-status-message";
      text.textContent = `Loading ${status.what}…`;
      node.append(text);
      this.show();
    } else if (status.state === "error") {
      node.setAttribute("role", "alert");
      const text = document.createElement("span");
      text.className = "dqm-status-message";
      text.dataset.testid = "dqm-error";
      text.textContent = status.message;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "jp-Button jp-mod-styled jp-mod-accept dqm-retry";
      button.dataset.testid = "dqm-retry";
      button.textContent = "Retry";
      button.addEventListener("click", () => this.retry());
      node.append(text, button);
      this.show();
    } else {
      this.hide();
    }
  }

  private _status: LoadStatus = { state: "idle" };
}
