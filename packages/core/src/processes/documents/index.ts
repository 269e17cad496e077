export * from './commands.js';
export * from './present.js';
export * from './types.js';
export * from './workflow.js';
