import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { Fragment, ReactNode } from 'react';
import { MAX_LINES, ViewLine } from './useLogStream';

/** The text with every match of `search` marked (not case-sensitive). */
export function highlight(text: string, search: string): ReactNode {
  if (!search) return text;
  const lower = text.toLowerCase();
  const needle = search.toLowerCase();
  const parts: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, from)) {
    parts.push(text.slice(from, at), <mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  parts.push(text.slice(from));
  return parts.map((part, i) => <Fragment key={i}>{part}</Fragment>);
}

/** The time of a line as a person reads it: local time of day, to the millisecond. */
function shortTime(time?: string): string {
  if (!time) return '';
  const date = new Date(time);
  // Every field named: with fractionalSecondDigits alone, the others are left out.
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString(undefined, {
        hour12: false,
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        fractionalSecondDigits: 3,
      } as Intl.DateTimeFormatOptions);
}

/**
 * The lines, newest last, filtered by the search and with its matches marked. Capped at
 * MAX_LINES (the view says so when older lines were dropped); the pod is named on each line when
 * several pods are read.
 */
export function LogLines(props: { lines: ViewLine[]; dropped: number; search: string; showPod: boolean }) {
  const { lines, dropped, search, showPod } = props;
  const needle = search.trim().toLowerCase();
  const shown = needle ? lines.filter(l => l.text.toLowerCase().includes(needle)) : lines;
  return (
    <Box>
      <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>
        {needle ? `${shown.length} of ${lines.length} lines match "${search.trim()}"` : `${lines.length} lines`}
        {dropped > 0 ? ` · showing the last ${MAX_LINES.toLocaleString('en')} lines (${dropped.toLocaleString('en')} older lines dropped)` : ''}
      </Typography>
      <Box
        component="ol"
        aria-label="Log lines"
        tabIndex={0}
        sx={{
          listStyle: 'none',
          m: 0,
          p: 1,
          maxHeight: 560,
          overflow: 'auto',
          fontFamily: 'monospace',
          fontSize: 12,
          bgcolor: 'action.hover',
          borderRadius: 1,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
        }}
      >
        {shown.map(line => (
          <li key={line.id} data-testid="log-line" data-time={line.time}>
            <Box component="span" sx={{ color: 'text.secondary', mr: 1 }}>
              {shortTime(line.time)}
            </Box>
            {showPod && (
              <Box component="span" sx={{ color: 'info.main', mr: 1 }}>
                {line.pod}
              </Box>
            )}
            {highlight(line.text, search.trim())}
          </li>
        ))}
      </Box>
    </Box>
  );
}
