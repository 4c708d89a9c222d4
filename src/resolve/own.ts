// Lookups of keys a spec or the config chooses (team, size, environment, engine...). A plain
// `record[key]` finds Object.prototype members: team "constructor" would get a function for rules
// and size "toString" an instance class. Only own properties count.
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && record !== null && Object.hasOwn(record, key) ? record[key] : undefined;
}
