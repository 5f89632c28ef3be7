import { MetricsChart as MetricsChartData } from '@cellplane/backstage-plugin-common';

const trim = (value: number, digits: number) => Number(value.toFixed(digits)).toString();

/** A value in its chart's unit, as a person reads it: `1.25 req/s`, `10%`, `137.5 ms`, `200m cores`, `100 MiB`. */
export function formatMetric(value: number | null | undefined, unit: MetricsChartData['unit']): string {
  if (value === null || value === undefined) return 'no value';
  switch (unit) {
    case 'requests/s':
      return `${trim(value, value < 10 ? 2 : 1)} req/s`;
    case 'ratio':
      return `${trim(value * 100, 2)}%`;
    case 'seconds':
      return value < 1 ? `${trim(value * 1000, 1)} ms` : `${trim(value, 2)} s`;
    case 'cores':
      return value < 1 ? `${trim(value * 1000, 0)}m cores` : `${trim(value, 2)} cores`;
    case 'bytes': {
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let scaled = value;
      let index = 0;
      while (Math.abs(scaled) >= 1024 && index < units.length - 1) {
        scaled /= 1024;
        index++;
      }
      return `${trim(scaled, 1)} ${units[index]}`;
    }
    default:
      return String(value);
  }
}

/** A time on the x axis: the hour and minute, with the day for ranges longer than a day. */
export function formatTime(unixSeconds: number, withDay: boolean): string {
  const date = new Date(unixSeconds * 1000);
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return withDay ? `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}` : time;
}
