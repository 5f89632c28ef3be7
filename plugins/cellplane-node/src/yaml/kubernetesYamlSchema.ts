import yaml from 'js-yaml';

/**
 * The scalars of a manifest as Kubernetes reads them. kubectl, Argo CD and Flux turn YAML into
 * JSON with `sigs.k8s.io/yaml`, which reads YAML 1.1 through go-yaml v2 (OpenChoreo builds on
 * the same library), not YAML 1.2: `defaultMode: 0755` is the octal 493 there, and `yes`, `on`
 * and `y` are `true`. A repository is written for those readers, so Cellplane reads it as they
 * do; a YAML 1.2 reader would render `0755` as the invalid file mode 755.
 *
 * Plain (unquoted) scalars resolve as go-yaml v2's `resolve` does (resolve.go):
 * - `y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE` and their `n`/`no`/`off`/`false` forms are
 *   booleans; `~`, `null`, `Null`, `NULL` and nothing are null;
 * - a scalar starting with a digit or a sign is, underscores removed, an integer in Go's
 *   syntax (`0755` and `0o755` octal, `0x1F`, `0b101`, `1_000`), else a decimal float
 *   (`1.5`, `1e3`, `08`), else a string;
 * - `.5` is a float; `.inf`, `-.inf`, `.nan` and their spellings as go-yaml lists them;
 * - anything else, timestamps (`2024-01-02`) included, is a string: go-yaml v2 gives
 *   timestamps to an untyped reader as the text they were written as.
 *
 * Quoted scalars are always strings, and explicit tags (`!!str 0755`, `!!int "0755"`) resolve
 * by the same rules. Merge keys (`<<: *base`) are kept, as go-yaml v2 reads them.
 */

const BOOLEANS = new Map<string, boolean>(
  [
    ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map(word => [word, true] as const),
    ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(word => [word, false] as const),
  ].flat(),
);

const SPECIAL_FLOATS = new Map<string, number>([
  ...['.nan', '.NaN', '.NAN'].map(word => [word, NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map(word => [word, Infinity] as const),
  ...['-.inf', '-.Inf', '-.INF'].map(word => [word, -Infinity] as const),
]);

/** go-yaml v2's `yamlStyleFloat`: the decimal floats it accepts after integers fail. */
const DECIMAL_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's `strconv.ParseFloat` on a scalar that starts with `.` (underscores only between digits). */
const LEADING_DOT_FLOAT = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;

const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

type Resolved = { tag: 'int' | 'float'; value: number } | undefined;

/**
 * Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint`: an optional sign, then a `0x`, `0o` or
 * `0b` prefix or a leading `0` (octal), then digits of that base. Whether the value fits is
 * said apart, as go-yaml v2 tries a float before a big integer.
 */
function parseGoInteger(text: string): { value: bigint; fits: boolean; signed: boolean } | undefined {
  let digits = text;
  const signed = digits.startsWith('+') || digits.startsWith('-');
  const negative = digits.startsWith('-');
  if (signed) digits = digits.slice(1);
  if (digits === '') return undefined;
  let base = 10;
  if (digits.startsWith('0')) {
    const prefix = digits.length >= 3 ? digits[1].toLowerCase() : '';
    base = prefix === 'x' ? 16 : prefix === 'b' ? 2 : 8;
    digits = prefix === 'x' || prefix === 'b' || prefix === 'o' ? digits.slice(2) : digits.slice(1);
  }
  let value = 0n;
  const bigBase = BigInt(base);
  for (const char of digits) {
    const digit = parseInt(char, 36);
    if (Number.isNaN(digit) || digit >= base) return undefined;
    value = value * bigBase + BigInt(digit);
  }
  // ParseUint takes no sign, so only an unsigned value may go past int64.
  const fits = value <= (negative ? INT64_MAX + 1n : signed ? INT64_MAX : UINT64_MAX);
  return { value: negative ? -value : value, fits, signed };
}

/** What go-yaml v2 makes of a plain scalar that is not a boolean or null: a number, or a string (undefined). */
function resolveNumber(text: string): Resolved {
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return { tag: 'float', value: special };
  if (text[0] === '.') {
    return LEADING_DOT_FLOAT.test(text) ? { tag: 'float', value: Number(text.replace(/_/g, '')) } : undefined;
  }
  const first = text.charCodeAt(0);
  if (!(first >= 48 && first <= 57) && text[0] !== '+' && text[0] !== '-') return undefined;
  const plain = text.replace(/_/g, '');
  const integer = parseGoInteger(plain);
  if (integer?.fits) return { tag: 'int', value: Number(integer.value) };
  if (DECIMAL_FLOAT.test(plain)) {
    const value = Number(plain);
    if (Number.isFinite(value)) return { tag: 'float', value };
  }
  // An unsigned integer beyond 64 bits: go-yaml v2 falls back to a big integer (a signed one stays text).
  if (integer && !integer.signed) return { tag: 'int', value: Number(integer.value) };
  return undefined;
}

const boolType = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && BOOLEANS.has(data),
  construct: (data: string) => BOOLEANS.get(data),
  predicate: (value: unknown) => typeof value === 'boolean',
  represent: (value: object) => (value ? 'true' : 'false'),
});

const intType = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && resolveNumber(data)?.tag === 'int',
  construct: (data: string) => resolveNumber(data)!.value,
  predicate: (value: unknown) => typeof value === 'number' && Number.isInteger(value),
  represent: (value: object) => String(value),
});

/** Also accepts integers, for `!!float 1` (go-yaml v2 turns an int into a float for that tag). */
const floatType = new yaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && resolveNumber(data) !== undefined,
  construct: (data: string) => resolveNumber(data)!.value,
  predicate: (value: unknown) => typeof value === 'number' && !Number.isInteger(value),
  represent: (value: object) => {
    const number = Number(value);
    if (Number.isNaN(number)) return '.nan';
    if (!Number.isFinite(number)) return number > 0 ? '.inf' : '-.inf';
    return String(number);
  },
});

// js-yaml exports its built-in types at run time; @types/js-yaml does not declare them.
const builtIn = (yaml as unknown as { types: Record<'null' | 'merge', yaml.Type> }).types;

/**
 * The js-yaml schema that reads scalars as Kubernetes does (see above). Given to `yaml.dump`,
 * it also quotes every string Kubernetes would read as something else (`'1_000'`, `'y'`).
 *
 * @internal
 */
export const KUBERNETES_YAML_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [builtIn.null, boolType, intType, floatType, builtIn.merge],
});

/**
 * Whether Kubernetes reads `text`, written as a plain (unquoted) scalar, as that very string.
 * A writer quotes a string when not: `y`, `on` and `1_000` are a boolean and a number to
 * kubectl, Argo CD and Flux, though a YAML 1.2 writer leaves them plain.
 *
 * @public
 */
export function kubernetesReadsPlainAsString(text: string): boolean {
  if (text === '' || text === '~' || /^(null|Null|NULL)$/.test(text)) return false;
  return !BOOLEANS.has(text) && resolveNumber(text) === undefined;
}
