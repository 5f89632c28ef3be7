import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { parsePatch } from 'diff';

/** One file of a unified diff, as the dialog shows it. */
export interface DiffFile {
  path: string;
  change: 'added' | 'deleted' | 'modified';
  additions: number;
  deletions: number;
  /** Hunk headers and lines, each with its `+`, `-` or ` ` prefix. */
  lines: string[];
}

const stripPrefix = (name: string | undefined) => (name && name !== '/dev/null' ? name.replace(/^[ab]\//, '') : undefined);

function changeOf(before: string | undefined, after: string | undefined): DiffFile['change'] {
  if (!before) return 'added';
  return after ? 'modified' : 'deleted';
}

/** The files of a unified diff (as the write actions' dry runs output it), in its order. */
export function parseDiffFiles(patch: string): DiffFile[] {
  if (!patch.trim()) return [];
  return parsePatch(patch).map(file => {
    const before = stripPrefix(file.oldFileName);
    const after = stripPrefix(file.newFileName);
    const lines = file.hunks.flatMap(hunk => [
      `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
      ...hunk.lines.filter(line => !line.startsWith('\\')),
    ]);
    return {
      path: after ?? before ?? '(unnamed file)',
      change: changeOf(before, after),
      additions: lines.filter(line => line.startsWith('+')).length,
      deletions: lines.filter(line => line.startsWith('-')).length,
      lines,
    };
  });
}

const LINE_STYLES: Record<string, object> = {
  '+': { bgcolor: 'rgba(46, 125, 50, 0.15)' },
  '-': { bgcolor: 'rgba(198, 40, 40, 0.15)' },
  '@': { color: 'text.secondary' },
};

function FileDiff(props: { file: DiffFile }) {
  const { file } = props;
  return (
    <Box component="section" aria-label={`${file.path}: +${file.additions} −${file.deletions}`} sx={{ mb: 2 }}>
      <Typography variant="subtitle2" component="h4" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
        {file.path}{' '}
        <Typography component="span" variant="caption" color="text.secondary">
          {file.change}, <Box component="span" sx={{ color: 'success.main' }}>+{file.additions}</Box>{' '}
          <Box component="span" sx={{ color: 'error.main' }}>−{file.deletions}</Box>
        </Typography>
      </Typography>
      <Box
        component="pre"
        tabIndex={0}
        aria-label={`Diff of ${file.path}`}
        sx={{ m: 0, maxHeight: 320, overflow: 'auto', fontSize: 12, border: 1, borderColor: 'divider', borderRadius: 1 }}
      >
        {file.lines.map((line, i) => (
          <Box component="div" key={i} sx={{ px: 1, whiteSpace: 'pre', ...LINE_STYLES[line[0]] }}>
            {line || ' '}
          </Box>
        ))}
      </Box>
    </Box>
  );
}

/**
 * A dry run's diff: the spec files first (what a reviewer reads), then the rendered manifests
 * Argo CD or Flux will apply, each file with its added and removed lines.
 */
export function DiffView(props: { patch: string }) {
  const files = parseDiffFiles(props.patch);
  if (files.length === 0) {
    return <Typography>Nothing would change: the repository already holds this.</Typography>;
  }
  const rendered = files.filter(file => file.path.startsWith('rendered/'));
  const spec = files.filter(file => !file.path.startsWith('rendered/'));
  return (
    <>
      {[
        { title: 'Spec', files: spec },
        { title: 'Rendered manifests', files: rendered },
      ]
        .filter(group => group.files.length > 0)
        .map(group => (
          <Box key={group.title} component="section" aria-label={group.title}>
            <Typography variant="h6" component="h3" gutterBottom>
              {group.title} ({group.files.length} {group.files.length === 1 ? 'file' : 'files'})
            </Typography>
            {group.files.map(file => (
              <FileDiff key={file.path} file={file} />
            ))}
          </Box>
        ))}
    </>
  );
}
