// Regions are real regions of the database's own cloud: the primary and every backup copy. The
// schema only says "looks like a region"; AWS (eu-west-1, us-gov-west-1) and GCP (europe-west1,
// northamerica-northeast1) spell them differently, and a copy in the other cloud's spelling is a
// mistake no stack can build. Whether a region is allowed for the team is a guardrail
// (region-allowed, copy-region-allowed), judged from the base branch's rules.
import { problem, type Problem } from '../errors.js';
import type { ResolvedDatabase } from '../model/resolved.js';
import { ERR } from '../error-codes.js';

/** Region names by cloud: AWS partition-area-number (eu-west-1), GCP area-directionN (europe-west1). */
export const REGION_FORMAT: Record<ResolvedDatabase['cloud'], { readonly test: RegExp; readonly example: string; readonly expected: string }> = {
  aws: { test: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/, example: 'eu-central-1', expected: 'an AWS region such as eu-west-1 or us-east-2' },
  gcp: { test: /^[a-z]+-[a-z]+\d+$/, example: 'europe-west4', expected: 'a GCP region such as europe-west1 or us-central1' },
};

/** An example region for a hint: one the team may use other than `besides`, else the cloud's example. */
export function exampleRegion(db: Pick<ResolvedDatabase, 'cloud' | 'allowed'>, besides?: string): string {
  return db.allowed.regions.find((r) => r !== besides && REGION_FORMAT[db.cloud].test.test(r)) ?? REGION_FORMAT[db.cloud].example;
}

/** Region problems of one resolved database, each with the resolved path it is about. */
export function regionProblems(db: ResolvedDatabase): { path: (string | number)[]; problem: Problem }[] {
  const format = REGION_FORMAT[db.cloud];
  const out: { path: (string | number)[]; problem: Problem }[] = [];
  if (!format.test.test(db.region)) {
    out.push({
      path: ['region'],
      problem: problem({
        code: ERR.REGION_CLOUD,
        message: `region ${JSON.stringify(db.region)} is not a ${db.cloud} region; expected ${format.expected}`,
        value: db.region,
        expected: format.expected,
        suggestion: `use a region of ${db.cloud} allowed for team ${db.team}, e.g. ${exampleRegion(db)}`,
      }),
    });
  }
  db.backup.copies.forEach((copy, i) => {
    if (copy.region === undefined || format.test.test(copy.region)) return;
    out.push({
      path: ['backup', 'copies', i, 'region'],
      problem: problem({
        code: ERR.COPY_REGION_CLOUD,
        message:
          `copy ${i + 1} of ${db.name} (${db.cloud}) goes to ${JSON.stringify(copy.region)}, which is not a ` +
          `${db.cloud} region; expected ${format.expected}`,
        value: copy.region,
        expected: format.expected,
        suggestion: `copy to another ${db.cloud} region allowed for team ${db.team}, e.g. ${exampleRegion(db, db.region)}`,
      }),
    });
  });
  return out;
}
