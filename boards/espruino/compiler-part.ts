// Entry of the compiler part espy-cc.js (see parts.ts).
import { exportPart } from "./parts";
import { compileSource } from "./compiler";

exportPart([compileSource]);
