export { type Config, describeConfig, loadConfig, maskUrl } from './config.ts';
export { platformMigrations } from './platform.ts';
