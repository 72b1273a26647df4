/**
 * What a participant writes (method names, links) cannot drive the terminal of whoever runs
 * `dqm-playground leaderboard`, nor run as a formula in the spreadsheet that opens `--csv` (issue 13,
 * item 9). The formatting functions are the CLI's and the server's own.
 */
import { formatLeaderboard } from "../../src/cli/commands/leaderboard";
import { formatTable, printable, printableLine } from "../../src/cli/format";
import { leaderboardCsv, type Leaderboard } from "../../src/tasks/leaderboard";

const ESC = "\u001b";

function board(method: string, link: string | null): Leaderboard {
  return {
    task: "t",
    status: "open",
    scores: "public",
    bestPerUser: false,
    precision: 3,
    rows: [
      {
        rank: 1,
        submission: 7,
        user: "mallory",
        method,
        description: null,
        link,
        baseline: false,
        mine: false,
        submittedAt: "2026-12-02T10:00:00Z",
        rocAuc: 0.9,
        averagePrecision: -0.5,
        savedEffort: 0.1,
        recallAtFpr: {},
        curves: null,
      },
    ],
  } as unknown as Leaderboard;
}

test("escape sequences and newlines in a method name are shown, not obeyed", () => {
  const evil = `x${ESC}[2J${ESC}[H\n2  admin  forged  0.9999\u202e`;
  const out = formatLeaderboard(board(evil, null));
  // eslint-disable-next-line no-control-regex -- none may be left
  expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  expect(out).toContain("x\\u001b[2J\\u001b[H\\u000a2  admin  forged  0.9999\\u202e");
  // One header, one rule, one row: the newline forged no second row.
  expect(out.split("\n")).toHaveLength(4);
});

test("printable keeps newlines and tabs out of lines; formatTable escapes every cell", () => {
  expect(printable(`a\nb${ESC}c\u0007`)).toBe("a\nb\\u001bc\\u0007");
  expect(printableLine("a\nb\tc")).toBe("a\\u000ab\\u0009c");
  const cell = "\\u001b]0;title\\u0007";
  expect(formatTable(["h"], [[`${ESC}]0;title\u0007`]])).toBe(`h\n${"-".repeat(cell.length)}\n${cell}`);
});

test.each(['=HYPERLINK("http://x","click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1"])(
  "CSV neutralises the formula %j with a leading apostrophe",
  (method) => {
    const csv = leaderboardCsv(board(method, method));
    const row = csv.trim().split("\n")[1];
    const fields = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, ""));
    const method_ = fields[3].replace(/^"|"$/g, "").replace(/""/g, '"');
    expect(method_.startsWith("'")).toBe(true);
    expect(method_.slice(1)).toBe(method);
    // Numbers stay numbers, negative ones included.
    expect(fields[6]).toBe("-0.5");
  },
);
