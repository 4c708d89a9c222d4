// A workflow command dbaas prints is one line whose spec text cannot end it, add a property or start
// another command (escaping as @actions/core's escapeData / escapeProperty, which the runner undoes).
import { describe, expect, it } from 'vitest';
import { annotation } from '../../src/render/annotations.js';
import { ANNOTATION, workflowCommandLines } from '../helpers/workflow-commands.js';

describe('annotation', () => {
  it('escapes spec text in the data and the properties', () => {
    const line = annotation({
      severity: 'error',
      code: 'DBAAS_X',
      message: 'got "a"\r\n::add-mask::secret 100%',
      field: 'spec.x\n::error::forged',
      location: { file: 'stacks/a,b:c.yaml', line: 3, column: 4 },
    });
    expect(line).toBe('::error file=stacks/a%2Cb%3Ac.yaml,line=3,col=4,title=DBAAS_X::spec.x%0A::error::forged: got "a"%0D%0A::add-mask::secret 100%25');
    expect(line).toMatch(ANNOTATION);
    expect(workflowCommandLines(line)).toEqual([line]);
  });

  it('prints a warning for a warning', () => {
    expect(annotation({ severity: 'warning', code: 'w', message: 'm' })).toBe('::warning title=w::m');
  });
});
