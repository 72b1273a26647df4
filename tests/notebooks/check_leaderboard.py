"""After the example notebooks ran: their submissions must be on the leaderboards, and on every task a
notebook submitted to, the notebooks' best model must rank above every baseline by ROC AUC on the
public AND the private part (issue: "the example notebooks' models above the baselines", on both parts;
the home's admin may read the private part of an open task).

    python check_leaderboard.py SERVICE_URL HOME
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

REQUIRED_TASK = "pixel-2018-charge"


def get(url: str, token: str) -> dict:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)


def main(base: str, home: Path) -> int:
    token = (home / "token").read_text().strip()
    api = base.rstrip("/") + "/api/v1"
    tasks = [t["name"] for t in get(f"{api}/tasks", token)["items"]]
    ok = True
    submitted_to = []
    for task in tasks:
        for part in ("public", "private"):
            board = get(f"{api}/tasks/{task}/leaderboard?best_per_user=false&scores={part}", token)
            baselines = [r for r in board["rows"] if r["baseline"]]
            mine = [r for r in board["rows"] if r["mine"] and not r["baseline"]]
            if not mine:
                continue
            submitted_to.append(task)
            best_baseline = max((r["rocAuc"] for r in baselines), default=0.5)
            for r in mine:
                print(f"[leaderboard] {task} ({part}): #{r['rank']} {r['method']!r} ROC AUC {r['rocAuc']:.3f}"
                      f" (best baseline {best_baseline:.3f})", file=sys.stderr)
            if max(r["rocAuc"] for r in mine) <= best_baseline:
                print(f"[leaderboard] {task} ({part}): no notebook submission beats the baselines", file=sys.stderr)
                ok = False
    if REQUIRED_TASK not in submitted_to:
        print(f"[leaderboard] {REQUIRED_TASK}: no submission from the notebooks", file=sys.stderr)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
