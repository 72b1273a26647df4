/** The certification label of a lumisection as the panels show it. */
import type { Lumisection } from "../api/types";

/** good, bad or DCS-off as certified; withheld in an open task's test split; unknown without labels. */
export type LumiLabel = "good" | "bad" | "dcs-off" | "withheld" | "unknown";
export const LUMI_LABELS: readonly LumiLabel[] = ["good", "bad", "dcs-off", "withheld", "unknown"];

export function lumiLabel(ls: Lumisection): LumiLabel {
  if (ls.labelsWithheld) return "withheld";
  return ls.label ?? "unknown";
}
