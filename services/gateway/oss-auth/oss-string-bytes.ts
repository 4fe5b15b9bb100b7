// OSS signs bytes, and the parts of a string to sign arrive in two forms: header values as
// Node decodes them (latin1, one character per byte on the wire) and decoded keys and query
// values (UTF-8 text). Strings to sign are therefore built as "byte strings" (one character
// per byte, every character ≤ U+00FF) and hashed as latin1, so a UTF-8 metadata value is signed
// byte for byte as the client sent it, whichever way the SDK encoded it.

/** Text as the byte string of its UTF-8 encoding. */
export function utf8ByteString(text: string): string {
  return Buffer.byteLength(text, 'utf8') === text.length ? text : Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * A header value as the byte string it was on the wire. Node hands header values over as
 * latin1; a character above U+00FF can only come from a JavaScript caller and is taken as UTF-8.
 */
export function headerByteString(value: string): string {
  return /[\u0100-\uffff]/.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
}

export function byteStringBytes(byteString: string): Buffer {
  return Buffer.from(byteString, 'latin1');
}

/** A byte string shown as text (UTF-8), for error documents. */
export function byteStringText(byteString: string): string {
  return byteStringBytes(byteString).toString('utf8');
}

/** The bytes as OSS lists them in StringToSignBytes: two hex digits each, space separated. */
export function byteStringHex(byteString: string): string {
  return byteStringBytes(byteString).toString('hex').replace(/(..)(?!$)/g, '$1 ');
}
