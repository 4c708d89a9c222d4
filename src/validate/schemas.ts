// The JSON Schemas under schemas/ are the source of truth. Valid documents (nearly all of them) are
// checked by validators the build precompiled from those schemas (scripts/gen-validators.mjs:
// compiling them at run time slowed every command: bench/README.md); a document that fails is checked again by
// ajv compiled here, on first need, whose verbose errors name the field, the value and a fix.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2020, type AnySchemaObject, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import { DIST_DIR, packageDir, RUNNING_BUILT } from '../paths.js';

const SCHEMA_DIR = packageDir('schemas');
export const SCHEMA_FILES = ['common', 'backup-policy', 'notification-channel', 'database', 'config', 'guardrail'] as const;
export const SPEC_KINDS = ['Database', 'BackupPolicy', 'NotificationChannel'] as const;
export type SpecKind = (typeof SPEC_KINDS)[number];

export type SchemaKind = SpecKind | 'Config' | 'Guardrail';

export const SCHEMA_ID_BY_KIND: Readonly<Record<SchemaKind, string>> = {
  Database: 'https://dbaas.dev/schemas/v1/database.schema.json',
  BackupPolicy: 'https://dbaas.dev/schemas/v1/backup-policy.schema.json',
  NotificationChannel: 'https://dbaas.dev/schemas/v1/notification-channel.schema.json',
  Config: 'https://dbaas.dev/schemas/v1/config.schema.json',
  Guardrail: 'https://dbaas.dev/schemas/v1/guardrail.schema.json',
};

/** What makes a document valid; the precompiled validators use the same (errors aside). */
export const SCHEMA_OPTIONS: Readonly<Options> = { strict: true, strictRequired: false, allowUnionTypes: true };

/** The schema files, parsed, in the order they are registered. */
export function readSchemaFiles(): AnySchemaObject[] {
  return SCHEMA_FILES.map((name) => JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')) as AnySchemaObject);
}

type Check = (value: unknown) => boolean;
let precompiled: Partial<Record<SchemaKind, Check>> | null | undefined;

/** The build's validators, or null where there are none (running from src/, as the unit tests do). */
function precompiledChecks(): Partial<Record<SchemaKind, Check>> | null {
  if (precompiled === undefined) {
    precompiled = RUNNING_BUILT ? (createRequire(import.meta.url)(join(DIST_DIR, 'validate', 'precompiled.cjs')) as Record<SchemaKind, Check>) : null;
  }
  return precompiled;
}

/** True when `value` is a valid `kind` document. Cheap; on false, validator(kind) says why. */
export function isValid(kind: SchemaKind, value: unknown): boolean {
  const check = precompiledChecks()?.[kind];
  return check ? check(value) : loadSchemas().validator(kind)(value);
}

export interface SchemaSet {
  readonly ajv: Ajv2020;
  readonly byId: ReadonlyMap<string, AnySchemaObject>;
  /** The $id of the schema file each schema node belongs to. */
  readonly homeOf: WeakMap<object, string>;
  validator(kind: SchemaKind): ValidateFunction;
}

let cached: SchemaSet | undefined;

export function loadSchemas(): SchemaSet {
  if (cached) return cached;
  const ajv = new Ajv2020({ ...SCHEMA_OPTIONS, allErrors: true, verbose: true });
  const byId = new Map<string, AnySchemaObject>();
  const homeOf = new WeakMap<object, string>();
  const register = (node: unknown, id: string): void => {
    if (!node || typeof node !== 'object') return;
    homeOf.set(node, id);
    for (const child of Object.values(node)) register(child, id);
  };
  for (const schema of readSchemaFiles()) {
    byId.set(schema.$id as string, schema);
    register(schema, schema.$id as string);
    ajv.addSchema(schema);
  }
  const validators = new Map<string, ValidateFunction>();
  cached = {
    ajv,
    byId,
    homeOf,
    validator(kind) {
      const id = SCHEMA_ID_BY_KIND[kind];
      let fn = validators.get(id);
      if (!fn) {
        fn = ajv.getSchema(id);
        if (!fn) throw new Error(`schema ${id} is not loaded`);
        validators.set(id, fn);
      }
      return fn;
    },
  };
  return cached;
}

/** Resolves a $ref against a base $id within the loaded schema set. */
export function resolveRef(set: SchemaSet, ref: string, baseId: string): { schema: AnySchemaObject; baseId: string } | undefined {
  const url = new URL(ref, baseId);
  const docId = `${url.origin}${url.pathname}`;
  let node: unknown = set.byId.get(docId);
  for (const segment of url.hash.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    node = (node as Record<string, unknown> | undefined)?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node && typeof node === 'object' ? { schema: node as AnySchemaObject, baseId: docId } : undefined;
}

/** Every property name a schema allows, following allOf and $ref (for did-you-mean hints). */
export function knownProperties(set: SchemaSet, schema: AnySchemaObject, baseId: string, depth = 0): string[] {
  if (depth > 8) return [];
  const names = Object.keys((schema.properties as object | undefined) ?? {});
  for (const part of (schema.allOf as AnySchemaObject[] | undefined) ?? []) names.push(...knownProperties(set, part, baseId, depth + 1));
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(set, schema.$ref, baseId);
    if (target) names.push(...knownProperties(set, target.schema, target.baseId, depth + 1));
  }
  return [...new Set(names)];
}
