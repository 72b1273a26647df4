import { Widget } from "@lumino/widgets";
import { failed, loading, READY } from "../src/models/status";
import { PlaygroundError } from "../src/request";
import { StatusView } from "../src/widgets/status-view";

describe("StatusView", () => {
  it("shows loading, then an error with its message and a working Retry, then nothing", () => {
    const retry = jest.fn();
    const view = new StatusView(retry);
    Widget.attach(view, document.body);
    expect(view.isHidden).toBe(true);

    view.render(loading("the data sets"));
    expect(view.isHidden).toBe(false);
    expect(view.node.textContent).toBe("Loading the data sets…");
    expect(view.node.getAttribute("aria-live")).toBe("polite");

    view.render(
      failed("the data sets", new PlaygroundError("Cannot reach the Jupyter server.", "network", 0, "u")),
    );
    expect(view.node.getAttribute("role")).toBe("alert");
    expect(view.node.querySelector('[data-testid="dqm-error"]')!.textContent).toBe(
      "Could not load the data sets. Cannot reach the Jupyter server.",
    );
    (view.node.querySelector('[data-testid="dqm-retry"]') as HTMLButtonElement).click();
    expect(retry).toHaveBeenCalledTimes(1);

    view.render(READY);
    expect(view.isHidden).toBe(true);
    expect(view.node.getAttribute("role")).toBeNull();
    view.dispose();
  });

  it("names errors that are not PlaygroundErrors", () => {
    expect(failed("x", new TypeError(""))).toMatchObject({ message: "Could not load x. TypeError" });
    expect(failed("x", "plain")).toMatchObject({ message: "Could not load x. plain" });
  });
});
