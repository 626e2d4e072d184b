/**
 * Public surface of the pure ASL core. Consumers (server, runner, client, CLI) import from
 * here or from the module files directly. Additive only: each module adds its own line.
 */
export * from './types';
export * from './parse/index';
export * from './model';
export * from './resource';
export * from './integrations/index';
export * from './iam/index';
export * from './paths/index';
export * from './schemas/index';
export * from './jsonata/index';

// Names exported by two modules: the explicit re-export picks the canonical one.
export { STATE_TYPES } from './types';
export { isJsonataExpression } from './jsonata/index';
export * from './graph/index';
