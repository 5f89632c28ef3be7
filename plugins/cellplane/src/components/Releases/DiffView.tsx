import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { alpha, styled } from '@mui/material/styles';
import { structuredPatch } from 'diff';
import { useMemo } from 'react';

/** How a diff is laid out: both sides in columns, or one column of - and + lines. */
export type DiffMode = 'split' | 'unified';

/** Lines of context around each change, as `git diff` shows. */
const CONTEXT = 3;

type Line = { kind: 'context' | 'removed' | 'added' | 'hunk'; text: string };
type Row = { left?: Line; right?: Line; hunk?: string };

const LINE_KINDS: Record<string, Line['kind']> = { '+': 'added', '-': 'removed' };

/** What happened to a file between the releases. */
function fileStatus(from: string | null, to: string | null, changedLines: number): string {
  if (from === null) return 'added';
  if (to === null) return 'removed';
  return changedLines === 0 ? 'unchanged' : 'changed';
}

/** The hunks of the change from one text to the other, as lines (`diff`'s structured patch). */
function diffLinesOf(from: string, to: string): Line[] {
  const patch = structuredPatch('from', 'to', from, to, '', '', { context: CONTEXT });
  return patch.hunks.flatMap(hunk => [
    { kind: 'hunk' as const, text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` },
    ...hunk.lines
      .filter(line => !line.startsWith('\\'))
      .map(line => ({ kind: LINE_KINDS[line[0]] ?? 'context', text: line.slice(1) })),
  ]);
}

/** Side by side: a run of removed lines faces the run of added lines that follows it. */
function rowsOf(lines: Line[]): Row[] {
  const rows: Row[] = [];
  let removed: Line[] = [];
  let added: Line[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i += 1) rows.push({ left: removed[i], right: added[i] });
    removed = [];
    added = [];
  };
  for (const line of lines) {
    if (line.kind === 'removed') removed.push(line);
    else if (line.kind === 'added') added.push(line);
    else {
      flush();
      rows.push(line.kind === 'hunk' ? { hunk: line.text } : { left: line, right: line });
    }
  }
  flush();
  return rows;
}

const Code = styled('pre')(({ theme }) => ({
  fontFamily: 'monospace',
  fontSize: '0.8rem',
  margin: 0,
  padding: theme.spacing(1),
  overflowX: 'auto',
  background: theme.palette.background.default,
  '& .line': { display: 'block', whiteSpace: 'pre' },
  '& .added': { background: alpha(theme.palette.success.main, 0.15) },
  '& .removed': { background: alpha(theme.palette.error.main, 0.15) },
  '& .hunk': { color: theme.palette.text.secondary },
}));

const Split = styled('table')(({ theme }) => ({
  width: '100%',
  tableLayout: 'fixed',
  borderCollapse: 'collapse',
  fontFamily: 'monospace',
  fontSize: '0.8rem',
  background: theme.palette.background.default,
  '& th': { textAlign: 'left', fontFamily: theme.typography.fontFamily, padding: theme.spacing(0.5, 1) },
  '& td': { whiteSpace: 'pre', overflow: 'hidden', textOverflow: 'ellipsis', padding: theme.spacing(0, 1), verticalAlign: 'top' },
  '& td.added': { background: alpha(theme.palette.success.main, 0.15) },
  '& td.removed': { background: alpha(theme.palette.error.main, 0.15) },
  '& td.hunk': { color: theme.palette.text.secondary },
}));

const PREFIX: Record<Line['kind'], string> = { context: ' ', removed: '-', added: '+', hunk: '' };

export interface DiffViewProps {
  path: string;
  /** The text on each side; null where that side has no such file. */
  from: string | null;
  to: string | null;
  fromLabel: string;
  toLabel: string;
  mode: DiffMode;
}

/** One file's difference between two releases, side by side or unified, as a labelled region. */
export function DiffView(props: DiffViewProps) {
  const { path, from, to, fromLabel, toLabel, mode } = props;
  const lines = useMemo(() => diffLinesOf(from ?? '', to ?? ''), [from, to]);
  const status = fileStatus(from, to, lines.length);
  return (
    <Box component="section" aria-label={path} mt={2}>
      <Box display="flex" alignItems="center" gap={1} mb={0.5} flexWrap="wrap">
        <Typography component="h4" variant="subtitle2" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
          {path}
        </Typography>
        <Chip size="small" label={status} variant="outlined" />
      </Box>
      {lines.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          The same in both releases.
        </Typography>
      ) : null}
      {lines.length > 0 && mode === 'unified' ? (
        <Code aria-label={`Diff of ${path}`}>
          {lines.map((line, index) => (
            <span key={index} className={`line ${line.kind}`}>
              {`${PREFIX[line.kind]}${line.text}`}
            </span>
          ))}
        </Code>
      ) : null}
      {lines.length > 0 && mode === 'split' ? (
        <Split aria-label={`Diff of ${path}`}>
          <thead>
            <tr>
              <th scope="col">{fromLabel}</th>
              <th scope="col">{toLabel}</th>
            </tr>
          </thead>
          <tbody>
            {rowsOf(lines).map((row, index) =>
              row.hunk ? (
                <tr key={index}>
                  <td className="hunk" colSpan={2}>
                    {row.hunk}
                  </td>
                </tr>
              ) : (
                <tr key={index}>
                  <td className={row.left?.kind}>{row.left?.text ?? ''}</td>
                  <td className={row.right?.kind}>{row.right?.text ?? ''}</td>
                </tr>
              ),
            )}
          </tbody>
        </Split>
      ) : null}
    </Box>
  );
}
