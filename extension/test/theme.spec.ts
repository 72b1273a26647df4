import { DEFAULT_PALETTE } from "../src/charts/specs";
import { themePalette } from "../src/charts/theme";

describe("themePalette", () => {
  afterEach(() => {
    document.body.removeAttribute("style");
    delete document.body.dataset.jpThemeLight;
  });

  it("falls back to the default colours without JupyterLab's CSS variables", () => {
    expect(themePalette(document.body)).toEqual(DEFAULT_PALETTE);
  });

  it("takes the theme's colours and a darker-background scheme in dark themes", () => {
    document.body.style.setProperty("--jp-ui-font-color1", "rgba(255, 255, 255, 0.87)");
    document.body.style.setProperty("--jp-error-color1", "#f44336");
    document.body.dataset.jpThemeLight = "false";
    const p = themePalette(document.body);
    expect(p.text).toBe("rgba(255, 255, 255, 0.87)");
    expect(p.labels.bad).toBe("#f44336");
    expect(p.labels.good).toBe(DEFAULT_PALETTE.labels.good);
    expect(p.scheme).toBe("plasma");
  });
});
