/** JSON schemas shared by routes: they validate requests and document the API in OpenAPI. */

export const errorSchema = {
  type: "object",
  properties: {
    statusCode: { type: "integer" },
    error: { type: "string" },
    message: { type: "string", description: "What is wrong and where" },
    where: {
      type: "object",
      description:
        "Where in the input, when the message names a place: line (1-based, header included), row (1-based data row of an uploaded table), column",
      properties: { line: { type: "integer" }, row: { type: "integer" }, column: { type: "string" } },
    },
  },
  required: ["statusCode", "error", "message"],
} as const;

export const errorResponses = {
  400: errorSchema,
  404: errorSchema,
  409: errorSchema,
  500: errorSchema,
} as const;

export const pageQuery = {
  limit: { type: "integer", minimum: 1, maximum: 10000, default: 1000 },
  cursor: { type: "string", description: "The `next` value of the previous page" },
} as const;

export function pageSchema(item: object) {
  return {
    type: "object",
    properties: {
      items: { type: "array", items: item },
      total: { type: "integer" },
      next: { type: ["string", "null"] },
    },
    required: ["items", "total", "next"],
  } as const;
}

export const datasetParams = {
  type: "object",
  properties: { dataset: { type: "string", minLength: 1 } },
  required: ["dataset"],
} as const;

export const binningSchema = {
  type: "object",
  properties: {
    dim: { type: "integer", enum: [1, 2] },
    xmin: { type: "number" },
    xmax: { type: "number" },
    xbins: { type: "integer" },
    ymin: { type: "number" },
    ymax: { type: "number" },
    ybins: { type: "integer" },
  },
  required: ["dim", "xmin", "xmax", "xbins", "ymin", "ymax", "ybins"],
} as const;

export const labelEnum = ["good", "bad", "dcs-off"] as const;
