// Page sizes asked by clients, clamped to the service's limits (0 means "the default").
export function pageSize(asked: number, max: number): number {
  return asked === 0 || asked > max ? max : asked;
}
