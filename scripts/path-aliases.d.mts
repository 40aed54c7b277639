// Types for path-aliases.mjs (plain JS so scripts/build.mjs runs under plain Node).
export declare const pathAliases: Record<string, string>;
