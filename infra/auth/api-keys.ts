import { randomBytes } from 'node:crypto';
import { sha256 } from '../../services/shared/hash-chain.js';

/** A new API key: 256 random bits, shown once; only its SHA-256 is ever stored. */
export const generateApiKey = (): string => `trk_${randomBytes(32).toString('base64url')}`;

export const hashApiKey = (key: string): string => sha256(key);
