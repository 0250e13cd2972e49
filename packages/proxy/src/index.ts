export * from './types.js';
export * from './config/index.js';
export * from './keys/index.js';
export * from './auth/index.js';
export * from './meter/index.js';
export * from './server/index.js';
