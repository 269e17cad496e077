import './messages.js';
export * from './auth.js';
export * from './common.js';
export * from './deviations.js';
export * from './errors.js';
export * from './records.js';
export * from './documents.js';
export * from './training.js';
export * from './capa.js';
