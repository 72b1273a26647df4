import path from "node:path";
import { readOmsJson } from "../../src/ingest/oms";
import { CMS_DATA, inputError, tempDir, writeFile } from "./ingest-helpers";

const dir = tempDir();

const COLUMNAR = {
  run_number: [378144, 378144],
  lumisection_number: [1, 2],
  fill_number: [9388, null],
  delivered_lumi_per_lumisection: [4.0585e-8, -2.5e-9],
  recorded_lumi_per_lumisection: [4.0e-8, 0],
  pileup: [0, 31.5],
  physics_flag: [false, true],
  beams_stable: [false, true],
  cms_active: [true, null],
  ebm_ready: [true, false],
  esp_ready: [null, true],
  comment: "ignored",
};

const EXPECTED = [
  {
    run: 378144,
    lumisection: 1,
    fill: 9388,
    deliveredLumi: 4.0585e-8,
    recordedLumi: 4.0e-8,
    pileup: 0,
    physicsFlag: false,
    beamsStable: false,
    cmsActive: true,
    readyBits: { ebm_ready: true },
  },
  {
    run: 378144,
    lumisection: 2,
    fill: null,
    deliveredLumi: -2.5e-9,
    recordedLumi: 0,
    pileup: 31.5,
    physicsFlag: true,
    beamsStable: true,
    cmsActive: null,
    readyBits: { ebm_ready: false, esp_ready: true },
  },
];

describe("readOmsJson", () => {
  test("reads the real 2024A file: 8,627 lumisections with ECAL ready bits", async () => {
    const rows = await readOmsJson(path.join(CMS_DATA, "omsdata_Run2024A-v1.json"));
    expect(rows).toHaveLength(8627);
    expect(rows[0]).toEqual({
      run: 378144,
      lumisection: 1,
      fill: 9388,
      deliveredLumi: 4.0585e-8,
      recordedLumi: 4.0585e-8,
      pileup: 0,
      physicsFlag: false,
      beamsStable: false,
      cmsActive: true,
      readyBits: {
        ebm_ready: true,
        ebp_ready: true,
        eem_ready: true,
        eep_ready: true,
        esm_ready: true,
        esp_ready: true,
      },
    });
  });

  test("reads the columnar form, nulls and unknown keys", async () => {
    const file = writeFile(dir(), "oms.json", JSON.stringify(COLUMNAR));
    expect(await readOmsJson(file)).toEqual(EXPECTED);
  });

  test("reads a list of row objects, a missing key reading as null", async () => {
    const rows = [0, 1].map((i) =>
      Object.fromEntries(
        Object.entries(COLUMNAR).flatMap(([k, v]) => (Array.isArray(v) && v[i] !== null ? [[k, v[i]]] : [])),
      ),
    );
    const file = writeFile(dir(), "rows.json", JSON.stringify(rows));
    expect(await readOmsJson(file)).toEqual(EXPECTED);
  });

  test("only run and lumisection are needed", async () => {
    const file = writeFile(dir(), "min.json", '{"run_number": [5], "lumisection_number": [7]}');
    expect(await readOmsJson(file)).toEqual([
      {
        run: 5,
        lumisection: 7,
        fill: null,
        deliveredLumi: null,
        recordedLumi: null,
        pileup: null,
        physicsFlag: null,
        beamsStable: null,
        cmsActive: null,
      },
    ]);
  });

  test.each<[string, unknown, string]>([
    [
      "missing run and lumisection columns",
      { pileup: [1] },
      ": missing columns run_number, lumisection_number",
    ],
    ["a missing lumisection column", { run_number: [1] }, ": missing column lumisection_number"],
    [
      "columns of different lengths",
      { ...COLUMNAR, pileup: [1, 2, 3] },
      ", column 'pileup': column pileup has 3 values, but run_number has 2",
    ],
    [
      "a column that is not a list",
      { ...COLUMNAR, cms_active: true },
      ", column 'cms_active': expected a list of values, got true",
    ],
    [
      "a text run number",
      { ...COLUMNAR, run_number: [1, "2"] },
      ", column 'run_number': index 1: expected a non-negative integer, got \"2\"",
    ],
    [
      "a null lumisection",
      { ...COLUMNAR, lumisection_number: [null, 2] },
      ", column 'lumisection_number': index 0: expected a non-negative integer, got null",
    ],
    [
      "a fractional fill",
      { ...COLUMNAR, fill_number: [1, 2.5] },
      ", column 'fill_number': index 1: expected a non-negative integer or null, got 2.5",
    ],
    [
      "a text pileup",
      { ...COLUMNAR, pileup: ["high", 1] },
      ", column 'pileup': index 0: expected a finite number or null, got \"high\"",
    ],
    [
      "a numeric flag",
      { ...COLUMNAR, physics_flag: [1, 0] },
      ", column 'physics_flag': index 0: expected true or false or null, got 1",
    ],
    [
      "a text ready bit",
      { ...COLUMNAR, ebm_ready: [true, "yes"] },
      ", column 'ebm_ready': index 1: expected true or false or null, got \"yes\"",
    ],
    [
      "a row list with a non-object",
      [{ run_number: 1, lumisection_number: 1 }, 5],
      ": index 1: expected a row object, got 5",
    ],
    [
      "a row without its run",
      [{ run_number: 1, lumisection_number: 1 }, { lumisection_number: 2 }],
      ", column 'run_number': index 1: expected a non-negative integer, got missing",
    ],
    [
      "a document that is a number",
      5,
      ", line 1: expected an object of equal-length columns or a list of row objects, got 5",
    ],
  ])("rejects %s", async (_what, doc, message) => {
    const file = writeFile(dir(), "bad.json", JSON.stringify(doc));
    expect((await inputError(readOmsJson(file))).message).toBe(`${file}${message}`);
  });

  test("a JSON syntax error names the line", async () => {
    const file = writeFile(dir(), "syntax.json", '{"run_number": [1,\n 2,,]}');
    expect((await inputError(readOmsJson(file))).message).toBe(
      `${file}, line 2: invalid JSON at character 4: Unexpected token ','`,
    );
  });
});
