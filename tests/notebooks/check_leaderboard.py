"""After the example notebooks ran: their submissions must be on the leaderboards, and on the demo pixel
task the notebooks' best model must rank above every baseline by ROC AUC (issue: "their submissions
appear on the leaderboard with an AUC above the statistical baseline on the demo pixel task").

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
    for task in tasks:
        board = get(f"{api}/tasks/{task}/leaderboard?best_per_user=false", token)
        baselines = [r for r in board["rows"] if r["baseline"]]
        mine = [r for r in board["rows"] if r["mine"] and not r["baseline"]]
        best_baseline = max((r["rocAuc"] for r in baselines), default=0.5)
        for r in mine:
            print(f"[leaderboard] {task}: #{r['rank']} {r['method']!r} ROC AUC {r['rocAuc']:.3f}"
                  f" (best baseline {best_baseline:.3f})", file=sys.stderr)
        if task == REQUIRED_TASK:
            if not mine:
                print(f"[leaderboard] {task}: no submission from the notebooks", file=sys.stderr)
                ok = False
            elif max(r["rocAuc"] for r in mine) <= best_baseline:
                print(f"[leaderboard] {task}: no notebook submission beats the baselines", file=sys.stderr)
                ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
