// The Espruino globals the device runtime uses, reached through Espruino's `global` object so the bundler neither
// resolves nor shims them (esbuild rewrites a bare `require(...)` into a helper that needs Proxy). Only this file
// names Espruino's root object; the rest of boards/espruino uses G.
declare const global: any;

/** Espruino's root scope: G.require, G.E, G.USB, G.digitalRead, G.setTimeout… */
export const G: any = global;
