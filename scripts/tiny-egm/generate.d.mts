// Types for generate.mjs (plain JS so `npm run fixtures` needs no TypeScript loader).
export declare const TINY_EGM_VERSION: number;
export declare const SCRIPTED_BOX: [number, number, number, number];
export declare const SCRIPTED_LABEL: string;
export declare const SCRIPTED_REASONING: string;
export declare const SCRIPTED_ANSWER: string;
export declare function makeTinyEgm(outDir: string): Promise<{ dir: string; tokens: number[] }>;
