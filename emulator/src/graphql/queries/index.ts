import type { RootResolver } from '../context.ts';

/** Built-in Query root fields. Missing names answer NOT_IMPLEMENTED_IN_EMULATOR. */
export const QUERY_RESOLVERS: Record<string, RootResolver> = {};
