import { createHash } from 'node:crypto';

/** A short hash of a body, for its file name or its strong ETag: 96 bits, URL- and header-safe. */
export const fingerprint = (body: string): string => createHash('sha256').update(body).digest('base64url').slice(0, 16);
