export { createDeviation } from './commands/create-deviation.js';
export { transitionDeviation } from './commands/transition-deviation.js';
export { updateDeviation } from './commands/update-deviation.js';
export { canRead as canReadDeviation } from './policy.js';
export { presentDeviation } from './present.js';
export { deviationWorkflow } from './workflow.js';
