/** `dqm-playground ingest root FILES --dataset NAME [--me PATTERN ...]` in child processes. */
import fs from "node:fs";
import path from "node:path";
import { SERVER_DIR, blockFiles, requireBuiltCli, runCli, tempDir } from "../helpers/cli";
import { expectFailure, expectSuccess, inspectStore, tmpEntries } from "./cli-checks";

const fixture = (name: string) => path.join(SERVER_DIR, "test/fixtures/root", name);

describe("ingest root through the CLI", () => {
  let home: string;
  const opts = () => ({ home });

  beforeAll(() => {
    requireBuiltCli();
    home = tempDir();
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it("ingests a nanoDQMIO file with a --me selection, reporting what it skipped", async () => {
    const file = fixture("nanodqmio.root");
    const out = expectSuccess(
      await runCli(
        ["ingest", "root", file, "-d", "dqmio", "--me", "PixelPhase1/Tracks/", "SiStrip/**"],
        opts(),
      ),
    );
    expect(out).toBe(
      `ingested ${file} into dqmio: 20 records, 5 lumisections, 4 monitor elements; ` +
        "skipped 6 per-run, 15 scalar, 10 unsupported, 10 unselected\n",
    );
    const view = await inspectStore(home);
    expect(view.datasets.find((d) => d.name === "dqmio")).toMatchObject({
      monitorElements: 4,
      runs: 2,
      lumisections: 5,
    });
  });

  it("refuses a bad file in one line and stores nothing of it", async () => {
    const blocks = path.join(home, "blocks");
    const before = blockFiles(blocks);
    const file = fixture("nanodqmio-bad-range.root");
    expectFailure(
      await runCli(["ingest", "root", file, "-d", "bad"], opts()),
      `${file}: tree TH1Fs, entry 53: Indices entry 13, run 1001, lumisection 2 has entries 2..53, but the tree has 12 (0..11)`,
    );
    expect(blockFiles(blocks)).toEqual(before);
    expect(tmpEntries(blocks)).toEqual([]);
    const view = await inspectStore(home);
    expect(view.datasets.find((d) => d.name === "bad")?.monitorElements ?? 0).toBe(0);
  });
});
