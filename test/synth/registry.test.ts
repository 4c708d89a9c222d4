// Its own file so the module registry starts empty: an AWS-only repo must never load the GCP builder.
import { describe, expect, it } from 'vitest';
import { synthAll } from '../helpers/synth.js';
import { loadedClouds } from '../../src/synth/index.js';
import { awsEntries, context } from './helpers.js';

describe('builder registry', () => {
  it('loads only the builders of the clouds in use', async () => {
    expect(loadedClouds()).toEqual([]);
    const { stacks } = await synthAll(awsEntries(), context());
    expect(stacks.length).toBe(8); // audit, audit-restore, carts, ledger, orders, payouts, sessions, users
    expect(loadedClouds()).toEqual(['aws']);
  });
});
