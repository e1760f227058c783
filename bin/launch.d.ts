// Types for launch.js (plain JavaScript: it runs before any TypeScript can).
export declare const ROOT: string;
export declare const NODE_FLAGS: readonly string[];
export declare function tuneHeap(): void;
export declare function compile(entry: string, cache?: string): Promise<string>;
