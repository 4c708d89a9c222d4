// A Database lives in its team's folder, stacks/<team>/: CODEOWNERS routes each folder to its team,
// so a spec elsewhere (or naming another team) would be reviewed by the wrong people.
import { problem, showValue, type Problem } from '../errors.js';
import { STACKS_DIR } from '../load/repo.js';
import type { SourceDocument } from '../load/yaml.js';
import { ERR } from '../error-codes.js';

export function checkTeamFolder(doc: SourceDocument): Problem[] {
  const team = (doc.value as { metadata?: { team?: unknown } }).metadata?.team;
  if (typeof team !== 'string') return []; // the schema reports it
  const [top, folder, ...rest] = doc.file.split('/');
  if (top !== STACKS_DIR || folder === undefined || rest.length === 0) {
    return [
      problem({
        code: ERR.TEAM_FOLDER,
        message:
          `Database is ${top === STACKS_DIR ? `directly in ${STACKS_DIR}/` : `in ${doc.file}`}; expected it ` +
          `under its team's folder, ${STACKS_DIR}/${team}/`,
        location: doc.locate(['metadata', 'team']),
        field: 'metadata.team',
        value: team,
      }),
    ];
  }
  if (folder === team) return [];
  return [
    problem({
      code: ERR.TEAM_FOLDER,
      message:
        `team ${showValue(team)} does not match the folder ${STACKS_DIR}/${folder}/; expected the spec under ` +
        `${STACKS_DIR}/${team}/ (or metadata.team: ${folder})`,
      location: doc.locate(['metadata', 'team']),
      field: 'metadata.team',
      value: team,
    }),
  ];
}
