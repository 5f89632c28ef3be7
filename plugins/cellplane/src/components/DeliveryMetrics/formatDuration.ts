/** A duration as a reader says it: `45 s`, `12 min`, `6 h 20 min`, `3 d 4 h`. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** A rate as a percentage, or a dash when there is nothing to divide. */
export const formatRate = (rate: number | undefined) => (rate === undefined ? '—' : `${Math.round(rate * 100)} %`);

/** A time as the evidence lists show it, in the reader's locale. */
export const formatTime = (iso: string) => new Date(iso).toLocaleString();
