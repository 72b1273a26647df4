/** The extension's icons (they take the theme's icon colour through JupyterLab's jp-icon3 class). */
import { LabIcon } from "@jupyterlab/ui-components";

const histogramSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <rect x="2" y="14" width="3" height="8"/><rect x="6" y="8" width="3" height="14"/>
    <rect x="10" y="3" width="3" height="19"/><rect x="14" y="9" width="3" height="13"/>
    <rect x="18" y="16" width="3" height="6"/>
  </g>
</svg>`;

const podiumSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <rect x="8" y="8" width="8" height="14"/><rect x="1" y="13" width="7" height="9"/>
    <rect x="16" y="16" width="7" height="6"/><path d="M12 1l1.2 2.6 2.8.3-2.1 1.9.6 2.8L12 7.2 9.5 8.6l.6-2.8L8 3.9l2.8-.3z"/>
  </g>
</svg>`;

export const playgroundIcon = new LabIcon({ name: "dqm-playground:histogram", svgstr: histogramSvg });
export const leaderboardIcon = new LabIcon({ name: "dqm-playground:leaderboard", svgstr: podiumSvg });
