/** GET /health: lets the CLI and the kernel library tell a playground server from anything else. */
import { Type, type Static } from "@sinclair/typebox";

export const HealthSchema = Type.Object({
  service: Type.String({ description: 'Always "dqm-playground"' }),
  version: Type.String(),
  engine: Type.String({ description: "The database: pglite or postgres" }),
  pid: Type.Integer(),
});
export type Health = Static<typeof HealthSchema>;
