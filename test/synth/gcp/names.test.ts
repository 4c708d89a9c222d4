import { describe, expect, it } from 'vitest';
import { customRoleId, gcpName, serviceAccountId } from '../../../src/synth/gcp/names.js';

describe('GCP names', () => {
  it('keep short names readable', () => {
    expect(gcpName('orders', 'export', 30)).toBe('orders-export');
    expect(serviceAccountId('warehouse-meta', 'export-start')).toBe('warehouse-meta-export-start');
    expect(customRoleId('warehouse-meta', 'export')).toBe('warehouse_meta_export');
  });

  it('cut long names to the limit with a stable hash, keeping the suffix', () => {
    const long = 'a-very-long-database-name-for-reporting';
    const id = serviceAccountId(long, 'export-start');
    expect(id.length).toBeLessThanOrEqual(30);
    expect(id).toMatch(/^[a-z][a-z0-9-]*-[0-9a-f]{6}-export-start$/);
    expect(serviceAccountId(long, 'export-start')).toBe(id);
    expect(serviceAccountId(`${long}-2`, 'export-start')).not.toBe(id);
  });

  it('start with a letter and use only lower-case letters, digits and hyphens', () => {
    expect(gcpName('9Data_Base', 'x', 63)).toBe('d-9data-base-x');
  });
});
