// The S3 dialect: the internal names are S3's, so headers pass through unchanged.
import { authenticate, openRequestBody } from '../auth/index.ts';
import * as s3 from '../s3/index.ts';
import type { Dialect, ErrorRendering } from './dialect.ts';

export const S3_DIALECT: Dialect = {
  name: 's3',
  parse: (view, o) => s3.parseS3Request(view, { baseDomains: [...o.baseDomains] }),
  authenticate,
  openBody: (source, headers, auth) => openRequestBody(source, headers, auth),
  normalizeRequestHeaders: () => {},
  responseHeaders: (headers, o) => ({ ...headers, 'x-amz-request-id': o.requestId, 'x-amz-id-2': o.hostId }),
  xml: s3,
  renderError: (err, o): ErrorRendering => {
    const status = s3.s3ErrorStatus(err);
    if (!s3.s3ErrorHasBody(err, o.method)) return { status, headers: { 'x-amz-error-code': err.code } };
    return { status, headers: { 'content-type': 'application/xml' }, body: s3.renderS3Error(err, o) };
  },
};
