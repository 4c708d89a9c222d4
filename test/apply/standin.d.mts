export interface Behaviour {
  readonly fail?: boolean;
  readonly sleepSeconds?: number;
  readonly version?: string;
}
export function standinJson(name: string, behaviour?: Behaviour): string;
export function behaviours(): Record<string, Behaviour>;
