/** The chart palette from JupyterLab's CSS variables, so charts follow the light or dark theme. */
import { DEFAULT_PALETTE, type Palette } from "./specs";

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value || fallback;
}

/** Reads the theme's colours at the time of the call (call again after a theme change). */
export function themePalette(element: Element = document.body): Palette {
  if (typeof getComputedStyle !== "function") return DEFAULT_PALETTE;
  const style = getComputedStyle(element);
  const dark = element.ownerDocument?.body?.dataset?.jpThemeLight === "false";
  return {
    ...DEFAULT_PALETTE,
    text: cssVar(style, "--jp-ui-font-color1", DEFAULT_PALETTE.text),
    grid: cssVar(style, "--jp-border-color2", DEFAULT_PALETTE.grid),
    font: cssVar(style, "--jp-ui-font-family", DEFAULT_PALETTE.font),
    labels: {
      good: cssVar(style, "--jp-success-color1", DEFAULT_PALETTE.labels.good),
      bad: cssVar(style, "--jp-error-color1", DEFAULT_PALETTE.labels.bad),
      "dcs-off": cssVar(style, "--jp-layout-color4", DEFAULT_PALETTE.labels["dcs-off"]),
      withheld: cssVar(style, "--jp-brand-color4", DEFAULT_PALETTE.labels.withheld),
      unknown: cssVar(style, "--jp-layout-color3", DEFAULT_PALETTE.labels.unknown),
    },
    highlight: cssVar(style, "--jp-warn-color1", DEFAULT_PALETTE.highlight),
    scheme: dark ? "plasma" : DEFAULT_PALETTE.scheme,
  };
}
