/**
 * GET /datasets/{dataset}/histograms: per-lumisection histograms of one monitor element, as an Arrow
 * IPC stream (bulk) or paged JSON rows. Like DIALS, `data` leaves out the under/overflow bins unless
 * `include_flow=true`.
 */
import { Type, type Static } from "@sinclair/typebox";
import { LabelSchema, ParametersSchema, StringEnum } from "./common";

/** One JSON row (DIALS-like; 2D data is data[y][x]). */
export const HistogramRowSchema = Type.Object({
  run: Type.Integer(),
  lumisection: Type.Integer(),
  me: Type.String(),
  entries: Type.Number(),
  x_min: Type.Number(),
  x_max: Type.Number(),
  x_bin: Type.Integer(),
  y_min: Type.Optional(Type.Number()),
  y_max: Type.Optional(Type.Number()),
  y_bin: Type.Optional(Type.Integer()),
  data: Type.Union([Type.Array(Type.Number()), Type.Array(Type.Array(Type.Number()))], {
    description: "Bin contents: a list for 1D, a list of rows data[y][x] for 2D",
  }),
});
export type HistogramRow = Static<typeof HistogramRowSchema>;

export const HistogramsQuerySchema = ParametersSchema({
  me: Type.String({ minLength: 1, description: "Monitor element name" }),
  run: Type.Optional(Type.Integer({ minimum: 0 })),
  run_min: Type.Optional(Type.Integer({ minimum: 0 })),
  run_max: Type.Optional(Type.Integer({ minimum: 0 })),
  min_entries: Type.Optional(Type.Number({ minimum: 0 })),
  label: Type.Optional(LabelSchema),
  include_flow: Type.Boolean({ default: false }),
  format: Type.Optional(StringEnum(["json", "arrow"])),
  limit: Type.Integer({ minimum: 1, maximum: 10000, default: 100 }),
  cursor: Type.Optional(Type.String({ description: "The `next` value of the previous page" })),
});
export type HistogramsQuery = Static<typeof HistogramsQuerySchema>;
