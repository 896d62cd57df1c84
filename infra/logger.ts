import { pino, stdTimeFunctions, type Logger } from 'pino';
import { boundedLogObject } from './log-bounds.js';

export type { Logger };

/**
 * Structured JSON logs. Log lines carry ids, types, counts and positions only: never names,
 * birth dates, locations, narratives or API keys (the redaction paths are a second guard).
 */
export const createLogger = (level: string, destination?: NodeJS.WritableStream): Logger =>
  pino(
    {
      level,
      base: { service: 'family-reunification-tracker' },
      // ISO 8601 UTC times ("time":"2026-12-01T14:03:07.123Z"), readable without a converter.
      timestamp: stdTimeFunctions.isoTime,
      redact: { paths: ['req.headers.authorization', 'authorization', 'apiKey', '*.apiKey'], censor: '[redacted]' },
      // Every line has a bounded size (log-bounds.ts).
      formatters: { log: (object) => boundedLogObject(object) },
    },
    destination ?? process.stdout,
  );
