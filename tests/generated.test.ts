// Generated files must match what `npm run gen` makes from their sources (the opcode table, the Q.name uses).
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

it("core/generated is up to date", () => {
  const r = spawnSync(process.execPath, [join(__dirname, "../scripts/gen.mjs"), "--check"], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
});
