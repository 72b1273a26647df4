import { describeErrorBody, fetchAllPages, parseErrorBody, summariseText, type PageOf } from "../src/wire";

describe("error bodies", () => {
  test("the service's body, field by field when each has its type", () => {
    const body = {
      statusCode: 400,
      error: "Bad Request",
      message: "bad row",
      where: { row: 3, column: "run" },
    };
    expect(parseErrorBody(JSON.stringify(body))).toEqual(body);
    expect(parseErrorBody('{"message": 5, "error": "Not Found"}')).toEqual({ error: "Not Found" });
    expect(parseErrorBody('{"where": [1]}')).toEqual({});
  });

  test("null for what is not a JSON object", () => {
    for (const text of ["", "oops", "<html>502</html>", "null", "[1]", '"text"', "42"])
      expect(parseErrorBody(text)).toBeNull();
  });

  test("describeErrorBody: the service's message, else a plain summary of the text", () => {
    expect(describeErrorBody('{"statusCode":404,"error":"Not Found","message":"no task x"}')).toEqual({
      message: "no task x",
      fromService: true,
    });
    expect(describeErrorBody("<html><body><h1>502 Bad   Gateway</h1></body></html>")).toEqual({
      message: "502 Bad Gateway",
      fromService: false,
    });
    expect(describeErrorBody("")).toEqual({ message: "", fromService: false });
    expect(summariseText("x".repeat(250))).toBe(`${"x".repeat(200)}…`);
    expect(summariseText("abc", 2)).toBe("ab…");
  });
});

describe("fetchAllPages", () => {
  const pages: Record<string, PageOf<number>> = {
    first: { items: [1, 2], next: "b" },
    b: { items: [3], next: "c" },
    c: { items: [], next: "d" },
    d: { items: [4], next: null },
  };

  test("follows the cursors to the page without next", async () => {
    const asked: Array<string | number | undefined> = [];
    const all = await fetchAllPages<number>(async (cursor) => {
      asked.push(cursor);
      return pages[cursor === undefined ? "first" : String(cursor)];
    });
    expect(all).toEqual([1, 2, 3, 4]);
    expect(asked).toEqual([undefined, "b", "c", "d"]);
  });

  test("a missing or empty next ends the list", async () => {
    expect(await fetchAllPages(async () => ({ items: ["a"] }))).toEqual(["a"]);
    expect(await fetchAllPages(async () => ({ items: ["a"], next: "" }))).toEqual(["a"]);
  });

  test("an error of a page is the loop's", async () => {
    await expect(fetchAllPages(async () => Promise.reject(new Error("503")))).rejects.toThrow("503");
  });
});
