/** A positive number from the environment, or the fallback; a malformed value stops the run instead of being ignored. */
export function envSeconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number of seconds, got '${raw}'`);
  return value;
}
