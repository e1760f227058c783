import type { RootResolver } from '../context.ts';

/** Built-in Mutation root fields. Missing names answer NOT_IMPLEMENTED_IN_EMULATOR. */
export const MUTATION_RESOLVERS: Record<string, RootResolver> = {};
