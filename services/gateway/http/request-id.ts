// Request ids: 16 upper-case hex characters, like S3's x-amz-request-id, unique per gateway
// process (random prefix) and cheap (a counter, not a random draw per request).
import { randomBytes } from 'node:crypto';

const prefix = randomBytes(4).toString('hex').toUpperCase();
let counter = 0;

export function nextRequestId(): string {
  counter = (counter + 1) >>> 0;
  return prefix + counter.toString(16).toUpperCase().padStart(8, '0');
}
