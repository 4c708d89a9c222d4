import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { getInYaml, renderFlow, renderScalar, setInYaml } from '../../src/guard/yaml-edit.js';

const FILE = `# head comment
apiVersion: dbaas.dev/v1
kind: Database
metadata:
  name: orders
  labels: { cost-center: cc-1234 }   # billing
spec:
  region: eu-west-1
  backup:
    policy: prod-standard      # the shared policy
    retentionDays: 7           # why so short?
    pointInTimeRecovery: { enabled: false }
    copies:
      - region: eu-central-1
        retentionDays: 90

  # notify goes last
  notify: [payments-oncall]
---
kind: BackupPolicy
spec:
  schedule: "0 3 * * *"   # nightly
`;

const valueOf = (text: string, index: number) => (parseAllDocuments(text)[index] as { toJS(): unknown }).toJS();

describe('setInYaml changes only the bytes of the value it sets', () => {
  it('replaces a scalar in place, keeping the comment and its alignment', () => {
    const out = setInYaml(FILE, 0, ['spec', 'backup', 'retentionDays'], 35);
    expect(out).toBe(FILE.replace('retentionDays: 7           # why so short?', 'retentionDays: 35           # why so short?'));
  });

  it('keeps the quote style of a replaced string', () => {
    const out = setInYaml(FILE, 1, ['spec', 'schedule'], '0 4 * * *');
    expect(out).toBe(FILE.replace('schedule: "0 3 * * *"   # nightly', 'schedule: "0 4 * * *"   # nightly'));
  });

  it('adds a key to a flow map inside the braces', () => {
    expect(setInYaml(FILE, 0, ['spec', 'backup', 'pointInTimeRecovery', 'retentionDays'], 7)).toContain(
      'pointInTimeRecovery: { enabled: false, retentionDays: 7 }\n',
    );
    expect(setInYaml(FILE, 0, ['metadata', 'labels', 'owner'], 'jdoe')).toContain('labels: { cost-center: cc-1234, owner: jdoe }   # billing\n');
  });

  it('adds a key to a block map at its indentation, after its last entry and before what follows', () => {
    const out = setInYaml(FILE, 0, ['spec', 'backup', 'vaultLock'], { mode: 'governance', minRetentionDays: 7 });
    expect(out).toBe(FILE.replace('        retentionDays: 90\n', '        retentionDays: 90\n    vaultLock: { mode: governance, minRetentionDays: 7 }\n'));
  });

  it('creates the missing parents of a nested key', () => {
    const out = setInYaml(FILE, 0, ['spec', 'backup', 'alerts', 'onFailure'], true);
    expect(valueOf(out, 0)).toMatchObject({ spec: { backup: { alerts: { onFailure: true } } } });
    expect(out).toContain('    alerts: { onFailure: true }\n');
  });

  it('replaces a block list with a new list, and a flow list in place', () => {
    const out = setInYaml(FILE, 0, ['spec', 'backup', 'copies'], [{ region: 'eu-north-1', retentionDays: 35 }]);
    expect(out).toContain('    copies: [{ region: eu-north-1, retentionDays: 35 }]\n\n  # notify goes last\n');
    expect(setInYaml(FILE, 0, ['spec', 'notify'], ['a', 'b'])).toContain('  notify: [a, b]\n');
  });

  it('writes long values in block style', () => {
    const long = { mode: 'compliance', minRetentionDays: 35, maxRetentionDays: 365, changeableForDays: 3, extra: 'x'.repeat(30) };
    const out = setInYaml(FILE, 0, ['spec', 'backup', 'vaultLock'], long);
    expect(out).toContain('    vaultLock:\n      mode: compliance\n      minRetentionDays: 35\n');
    expect(valueOf(out, 0)).toMatchObject({ spec: { backup: { vaultLock: long } } });
  });

  it('removes a key (merge patch null) with its whole line', () => {
    const out = setInYaml(FILE, 0, ['spec', 'backup', 'retentionDays'], undefined);
    expect(out).toBe(FILE.replace('    retentionDays: 7           # why so short?\n', ''));
    expect(setInYaml(FILE, 0, ['spec', 'nothing'], undefined)).toBe(FILE);
  });

  it('edits the right document of a multi-document file and leaves the others byte for byte', () => {
    const out = setInYaml(FILE, 1, ['spec', 'retentionDays'], 35);
    expect(out.startsWith(FILE)).toBe(true);
    expect(out).toBe(`${FILE}  retentionDays: 35\n`);
    expect(valueOf(out, 1)).toEqual({ kind: 'BackupPolicy', spec: { schedule: '0 3 * * *', retentionDays: 35 } });
  });

  it('falls back to the Document API for shapes it does not splice, still keeping comments', () => {
    const text = 'base: &b { x: 1 }\n# keep me\nspec:\n  copy: *b\n';
    const out = setInYaml(text, 0, ['spec', 'copy', 'y'], 2);
    expect(out).toContain('# keep me');
    expect(valueOf(out, 0)).toMatchObject({ spec: { copy: { y: 2 } } });
  });

  it('reads values back', () => {
    expect(getInYaml(FILE, 0, ['spec', 'backup', 'copies'])).toEqual([{ region: 'eu-central-1', retentionDays: 90 }]);
    expect(getInYaml(FILE, 0, ['spec', 'backup', 'vaultLock'])).toBeUndefined();
  });
});

describe('rendering keeps YAML types', () => {
  it.each([
    ['eu-west-1', 'eu-west-1'],
    ['999999999999', '"999999999999"'],
    ['16.4', '"16.4"'],
    ['true', '"true"'],
    ['2027-05-15', '"2027-05-15"'],
    ['0 3 * * *', '"0 3 * * *"'],
    ['a: b', '"a: b"'],
    ['alias/backups', 'alias/backups'],
  ])('%s → %s', (value, yaml) => {
    expect(renderScalar(value)).toBe(yaml);
    expect(valueOf(`v: ${renderScalar(value)}\n`, 0)).toEqual({ v: value });
  });
  it('renders flow collections the example repo way', () => {
    expect(renderFlow({ backup: { copies: [{ region: 'eu-central-1', retentionDays: 90 }], enabled: true } })).toBe(
      '{ backup: { copies: [{ region: eu-central-1, retentionDays: 90 }], enabled: true } }',
    );
  });
});
