import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataKey } from './key-store.js';

/**
 * The sealed form of one personal object (or secret) in stored event data: the subject stays
 * readable (it is an id, and it names the key), everything else is AES-256-GCM ciphertext.
 * `v` is the format: 1 = AES-256-GCM, 96-bit random IV, 128-bit tag, base64 fields.
 */
export interface SealedEnvelope {
  readonly subjectId: string;
  /** The data key's id in the key store (data-key-id.ts: stream and subject); absent in envelopes sealed before keys were qualified, which use the subject's. */
  readonly keyId?: string;
  readonly sealed: { readonly v: 1; readonly iv: string; readonly tag: string; readonly ct: string };
}

/**
 * What a sealed object opens as once its subject was erased: a defined marker, never empty
 * data. Readers show it as erased; the facts outside `personal` (ids, dates, statuses) remain.
 */
export interface ErasedPersonal {
  readonly subjectId: string;
  readonly erased: true;
}

export const erasedPersonal = (subjectId: string): ErasedPersonal => ({ subjectId, erased: true });

export const isErased = (value: unknown): value is ErasedPersonal =>
  typeof value === 'object' && value !== null && (value as { erased?: unknown }).erased === true && typeof (value as { subjectId?: unknown }).subjectId === 'string';

export const isSealedEnvelope = (value: unknown): value is SealedEnvelope => {
  if (typeof value !== 'object' || value === null) return false;
  const { subjectId, sealed } = value as { subjectId?: unknown; sealed?: unknown };
  return typeof subjectId === 'string' && typeof sealed === 'object' && sealed !== null && (sealed as { v?: unknown }).v === 1;
};

/**
 * Where a sealed value sits: associated data of the cipher, so a ciphertext opens only at the
 * stream, event, subject and field it was sealed for. Moved anywhere else it fails its tag.
 */
export interface SealedPlace {
  readonly stream: string;
  readonly eventId: string;
  readonly subjectId: string;
  /** The JSON path of the sealed field in the event data, e.g. `personal` or `children.0.personal`. */
  readonly path: string;
}

const associatedData = (place: SealedPlace): Buffer =>
  Buffer.from(JSON.stringify(['tracker-sealed-v1', place.stream, place.eventId, place.subjectId, place.path]), 'utf8');

/** A sealed value that does not open at its place: tampered with, or moved from elsewhere. */
export class SealedDataIntegrityError extends Error {
  override readonly name = 'SealedDataIntegrityError';
  constructor(readonly place: Omit<SealedPlace, 'subjectId'>) {
    super(`sealed data at ${place.path} of event ${place.eventId} in stream ${place.stream} fails its integrity check (tampered with or moved)`);
  }
}

export const sealBytes = (key: DataKey, place: SealedPlace, plaintext: Buffer): SealedEnvelope => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(place));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    subjectId: place.subjectId,
    sealed: { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') },
  };
};

/** The plaintext, or SealedDataIntegrityError when the tag does not verify at this place. */
export const openBytes = (key: DataKey, place: SealedPlace, envelope: SealedEnvelope): Buffer => {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.sealed.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(associatedData(place));
    decipher.setAuthTag(Buffer.from(envelope.sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(envelope.sealed.ct, 'base64')), decipher.final()]);
  } catch {
    throw new SealedDataIntegrityError({ stream: place.stream, eventId: place.eventId, path: place.path });
  }
};
