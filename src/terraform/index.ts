// Terraform edge: discovery, CLI config, the process runner and offline checks.
export * from './mirror.js';
export * from './cli-config.js';
export * from './runner.js';
export * from './offline.js';
export type * from './types.js';
