/**
 * Request validation. Query strings and path parameters arrive as text, so their validator coerces
 * types ("5" -> 5); bodies are JSON and are validated strictly, so that a null or "1" score is an error
 * rather than silently becoming a number.
 */
import Ajv from "ajv";
import type { FastifySchema, FastifySchemaCompiler } from "fastify";

const coercing = new Ajv({ coerceTypes: "array", useDefaults: true, removeAdditional: false, strict: false });
const strict = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, strict: false });

export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  const ajv = httpPart === "body" ? strict : coercing;
  return ajv.compile(schema as object);
};
