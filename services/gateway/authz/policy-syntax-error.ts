// Raised inside the parser's modules on the first thing wrong with a policy; the parser's entry
// point turns it into a StoreError value with code MalformedPolicy and never lets it escape.
export class PolicySyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicySyntaxError';
  }
}
