// Every limit of the HTTP front, named once (S3's published values where S3 has one).

/** Largest request header section; larger gets 400 RequestHeaderSectionTooLarge (S3: 8 KiB of user headers, 16 KiB total here). */
export const MAX_HEADER_BYTES = 16 * 1024;
/** Headers must arrive within this long of the connection opening (slowloris guard). */
export const HEADERS_TIMEOUT_MS = 30_000;
/** A connection with no bytes moving either way for this long is closed (uploads keep it busy). */
export const IDLE_SOCKET_TIMEOUT_MS = 120_000;
/** Kept-alive connections close after this long idle between requests. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Largest single PUT (S3: 5 GiB); bigger objects go multipart. */
export const MAX_PUT_OBJECT_BYTES = 5 * 1024 ** 3;
/** Largest object a multipart upload can complete to (S3: 5 TiB; part size × 10,000 parts bounds it too). */
export const MAX_PART_BYTES = 5 * 1024 ** 3;
/** Largest XML request body (a 1000-key multi-delete is ~100 KiB; CompleteMultipartUpload of 10,000 parts ~1 MiB). */
export const MAX_XML_BODY_BYTES = 2 * 1024 * 1024;
/** Keys deleted in parallel by one DeleteObjects request. */
export const MULTI_DELETE_CONCURRENCY = 16;
/** How long a bucket record read for an owner check is reused before asking meta again. */
export const BUCKET_CACHE_MS = 1_000;
