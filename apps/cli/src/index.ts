export { type Config, describeConfig, loadConfig, maskUrl } from './config.ts';
