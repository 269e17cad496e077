export * from './commands.js';
export * from './workflow.js';
