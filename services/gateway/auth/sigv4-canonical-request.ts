// Moved to services/common/sigv4/ so the client SDK (services/client/) signs with the same code.
export * from '../../common/sigv4/sigv4-canonical-request.ts';
