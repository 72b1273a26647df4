/**
 * Schemas every resource uses: error bodies, pages, binning, labels, and the helpers that write
 * nullable values and string enums the way the OpenAPI document (3.0) shows them best
 * (`type: ["string", "null"]`, `type: "string", enum`).
 */
import {
  Type,
  type ObjectOptions,
  type SchemaOptions,
  type Static,
  type TObject,
  type TProperties,
  type TSchema,
  type TUnsafe,
} from "@sinclair/typebox";

/** `schema` or null, as one JSON Schema type list (`type: [t, "null"]`). Only for single-type schemas. */
export function Nullable<T extends TSchema>(
  schema: T,
  options: SchemaOptions = {},
): TUnsafe<Static<T> | null> {
  const s = schema as TSchema & { type?: unknown; enum?: unknown[] };
  if (typeof s.type !== "string")
    throw new Error(`Nullable: expected a schema with one type, got ${String(s.type)}`);
  // Object.entries leaves out TypeBox's symbol keys: the result is an Unsafe schema, not a String one.
  return Type.Unsafe<Static<T> | null>({
    ...Object.fromEntries(Object.entries(s)),
    ...options,
    type: [s.type, "null"],
    ...(s.enum ? { enum: [...s.enum, null] } : {}),
  });
}

/** One of `values` (a string `enum`, the form the OpenAPI document and the Ajv validator expect). */
export function StringEnum<const V extends readonly string[]>(
  values: V,
  options: SchemaOptions = {},
): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ ...options, type: "string", enum: [...values] });
}

/** An object with any keys, every value of `value`'s type (JSON Schema `additionalProperties`). */
export function Dictionary<T extends TSchema>(
  value: T,
  options: SchemaOptions = {},
): TUnsafe<Record<string, Static<T>>> {
  return Type.Unsafe<Record<string, Static<T>>>({
    ...options,
    type: "object",
    additionalProperties: value,
  });
}

/** A number that is null on the wire when undefined for the labels at hand (NaN on the server). */
export const NullableNumberSchema = Nullable(Type.Number());

/** The error body of every 4xx and 5xx response. */
export const ApiErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String({ description: "What is wrong and where" }),
    where: Type.Optional(
      Type.Object(
        {
          line: Type.Optional(Type.Integer()),
          row: Type.Optional(Type.Integer()),
          column: Type.Optional(Type.String()),
        },
        {
          description:
            "Where in the input, when the message names a place: line (1-based, header included), row (1-based data row of an uploaded table), column",
        },
      ),
    ),
  },
  { description: "An error: the HTTP status, its text, and what is wrong" },
);
export type ApiError = Static<typeof ApiErrorSchema>;

export const LABELS = ["good", "bad", "dcs-off"] as const;
/** A lumisection's certification: good, bad, or DCS off (detector not ready). */
export const LabelSchema = StringEnum(LABELS);
export type Label = Static<typeof LabelSchema>;

/** A page of a list: `next` is the cursor of the following page, null on the last one. */
export function PageSchema<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer({ description: "Items in the whole list" }),
    next: Nullable(Type.String(), { description: "The cursor of the next page; null on the last page" }),
  });
}
/** The generic form of `Static<ReturnType<typeof PageSchema<X>>>` (checked below). */
export interface Page<T> {
  items: T[];
  total: number;
  next: string | null;
}

/**
 * An object of request parameters (query string, headers) where a parameter with a `default` is
 * optional for the client (left out of `required`, so the OpenAPI document shows it optional) but
 * always there for the handler (the validator fills the default in), as its static type says.
 */
export function ParametersSchema<T extends TProperties>(
  properties: T,
  options: ObjectOptions = {},
): TObject<T> {
  const schema = Type.Object(properties, options);
  const plain = schema as { required?: string[] };
  const required = (plain.required ?? []).filter(
    (key) => (properties[key] as { default?: unknown }).default === undefined,
  );
  if (required.length > 0) plain.required = required;
  else delete plain.required;
  return schema;
}

/** The paging query parameters of a paged list. */
export const PageQueryProperties = {
  limit: Type.Integer({ minimum: 1, maximum: 10000, default: 1000 }),
  cursor: Type.Optional(Type.String({ description: "The `next` value of the previous page" })),
};
export const PageQuerySchema = ParametersSchema(PageQueryProperties);
export type PageQuery = Static<typeof PageQuerySchema>;

/** Binning of a monitor element (interior bins; 1D histograms have ymin 0, ymax 1, ybins 1). */
export const BinningSchema = Type.Object({
  dim: Type.Unsafe<1 | 2>(Type.Integer({ enum: [1, 2] })),
  xmin: Type.Number(),
  xmax: Type.Number(),
  xbins: Type.Integer(),
  ymin: Type.Number(),
  ymax: Type.Number(),
  ybins: Type.Integer(),
});
export type Binning = Static<typeof BinningSchema>;

/** true when A and B are the same type: ties a generic type written by hand to its schema. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only when T is true. */
export type Assert<T extends true> = T;

/** Compile-time: the generic Page is the schema's type. */
export type PageChecks = [
  Assert<Same<Page<Binning>, Static<ReturnType<typeof PageSchema<typeof BinningSchema>>>>>,
];
