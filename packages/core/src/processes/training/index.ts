export * from './assign.js';
export * from './commands.js';
export * from './queries.js';
export * from './reminders.js';
