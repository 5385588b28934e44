import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `bytes` bytes from the OS CSPRNG, base64url without padding (32 bytes → 43 characters, 256 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 in hex. Enough for session, CSRF and API tokens: they carry 256 random bits, so unlike
 * passwords they cannot be guessed from a stolen hash, and a fast hash keeps every request cheap.
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Compares two strings in time that depends only on their lengths (hashes: always equal lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Still spend a comparison so a length mismatch does not answer faster than a content mismatch.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
