// core/ is the language and must not reach the platform: no imports from boards/ or flasher/, no Node modules,
// no process/console/timers/fs/Espruino globals. The platform reaches core only through core/hal.ts.
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(__dirname, "..");

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

// Globals that would tie core to one platform. (`console` is allowed nowhere either: output goes through the HAL.)
const FORBIDDEN = /\b(process|require|console|setTimeout|setInterval|setImmediate|clearTimeout|Buffer|globalThis|window|document|E\.|Storage|digitalWrite|digitalRead|analogRead|analogWrite|setWatch|LoopbackA|USB\.|Serial1|getTime)\b/;

describe("layering", () => {
  const coreFiles = files(join(root, "core"));
  it("finds the core sources", () => {
    expect(coreFiles.length).toBeGreaterThan(20);
  });
  for (const f of coreFiles) {
    it(relative(root, f), () => {
      const src = readFileSync(f, "utf8");
      for (const m of src.matchAll(/^\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']/gm)) {
        const spec = m[1];
        expect(spec.startsWith("."), `${spec}: core imports only core files`).toBe(true);
        const target = resolve(f, "..", spec);
        expect(relative(join(root, "core"), target).startsWith(".."), `${spec} leaves core/`).toBe(false);
      }
      // strip comments and strings before looking for platform globals
      const code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "").replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
      // method signatures in interfaces (the HAL names its methods after what they do) are not uses
      const uses = code.replace(/^\s*\w+\??\(.*\):.*;\s*$/gm, "");
      const hit = FORBIDDEN.exec(uses);
      expect(hit ? hit[0] : null, "platform API in core").toBeNull();
    });
  }
});
