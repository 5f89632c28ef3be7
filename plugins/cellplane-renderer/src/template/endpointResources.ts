import * as yaml from 'js-yaml';

/**
 * The routes an endpoint's API schema declares, as OpenChoreo's `workload.toEndpointResources()`
 * exposes them (`internal/schemaextract`): one entry per OpenAPI (path, operation) of an HTTP
 * endpoint, one per protobuf (service, rpc) of a gRPC endpoint. Best effort, as OpenChoreo's:
 * a missing, blank or unparseable schema gives no routes and a note saying why, never a failed
 * render.
 */

/** One route. Empty fields are absent, as in OpenChoreo's JSON (`omitempty`). */
export interface EndpointResource {
  kind: 'HTTP' | 'gRPC';
  /** The package-qualified gRPC service (`greeter.Greeter`). */
  service?: string;
  /** The HTTP verb (`GET`) or the gRPC method (`SayHello`). */
  method?: string;
  /** The OpenAPI path template (`/books/{id}`). */
  path?: string;
}

export interface ExtractedRoutes {
  resources: EndpointResource[];
  /** Why there are no routes although a schema was given; OpenChoreo logs it as a warning. */
  note?: string;
}

type SchemaFormat = 'openapi' | 'proto' | 'graphql' | 'asyncapi';

/** `normalizeSchemaType`: the explicit `schema.type`, canonical; undefined means "infer". */
function explicitFormat(raw: string | undefined): SchemaFormat | string | undefined {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '') return undefined;
  if (['openapi', 'openapiv3', 'oas', 'oas3', 'swagger'].includes(value)) return 'openapi';
  if (['proto', 'protobuf', 'grpc'].includes(value)) return 'proto';
  if (['graphql', 'gql'].includes(value)) return 'graphql';
  return value;
}

/** The format an endpoint type implies when the schema does not say (`inferenceByEndpointType`). */
const INFERRED: Record<string, SchemaFormat> = { HTTP: 'openapi', gRPC: 'proto', GraphQL: 'graphql' };

/** Extracts the routes of one endpoint from its `schema`, with OpenChoreo's inference rules. */
export function extractEndpointResources(
  endpointType: string,
  schema: { type?: string; content?: string } | undefined,
): ExtractedRoutes {
  if (!schema?.content?.trim()) return { resources: [] };
  const format = explicitFormat(schema.type) ?? INFERRED[endpointType];
  // TCP, UDP, Websocket without an explicit type: nothing to extract, and nothing to say.
  if (!format) return { resources: [] };
  try {
    let resources: EndpointResource[];
    if (format === 'openapi') resources = openApiRoutes(schema.content);
    else if (format === 'proto') resources = protoRoutes(schema.content);
    else return { resources: [], note: `no route extractor for schema type '${format}' (OpenAPI and protobuf are supported)` };
    return { resources: sortRoutes(resources) };
  } catch (error) {
    // js-yaml's messages go on with a snippet of the document: its first line says enough.
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { resources: [], note: `the ${format} schema cannot be read: ${reason}` };
  }
}

/** kin-openapi's `PathItem.Operations()`: every HTTP method an OpenAPI path item may hold. */
const OPERATIONS = ['connect', 'delete', 'get', 'head', 'options', 'patch', 'post', 'put', 'trace'];

function openApiRoutes(content: string): EndpointResource[] {
  // JSON is YAML; js-yaml's JSON-compatible schema refuses nothing OpenAPI documents use.
  const document = yaml.load(content, { schema: yaml.JSON_SCHEMA });
  if (!isRecord(document)) throw new Error('the document is not a map');
  if (document.paths === undefined || document.paths === null) return [];
  if (!isRecord(document.paths)) throw new Error('paths is not a map');
  const routes: EndpointResource[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    if (!isRecord(item)) continue;
    for (const method of OPERATIONS) {
      if (item[method] !== undefined && item[method] !== null) routes.push({ kind: 'HTTP', method: method.toUpperCase(), path });
    }
  }
  return routes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Go's `sort.Slice` by kind, service, path, method (byte order: the names are ASCII). */
function sortRoutes(routes: EndpointResource[]): EndpointResource[] {
  const key = (r: EndpointResource) => [r.kind, r.service ?? '', r.path ?? '', r.method ?? ''];
  return routes.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
}

/** The tokens of a .proto file, with the few moves the statement walk needs. */
class ProtoTokens {
  private readonly tokens: string[];
  private at = 0;

  constructor(content: string) {
    // Comments out, then strings, identifiers (with dots), numbers and single symbols.
    const text = content.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
    this.tokens = text.match(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[A-Za-z_][\w.]*|\.[A-Za-z_][\w.]*|[0-9][\w.+-]*|\S/g) ?? [];
  }

  done(): boolean {
    return this.at >= this.tokens.length;
  }

  next(): string {
    if (this.done()) throw new Error('unexpected end of file');
    return this.tokens[this.at++];
  }

  expect(token: string): void {
    const got = this.next();
    if (got !== token) throw new Error(`expected '${token}', got '${got}'`);
  }

  identifier(what: string): string {
    const got = this.next();
    if (!/^[A-Za-z_]\w*$/.test(got)) throw new Error(`expected a ${what}, got '${got}'`);
    return got;
  }

  /** The tokens up to `end` (consumed, not returned), balancing nothing. */
  until(end: string): string[] {
    const out: string[] = [];
    for (let token = this.next(); token !== end; token = this.next()) out.push(token);
    return out;
  }

  /** Skips a statement to its ';' (an option value may hold a `{...}` literal). */
  skipStatement(): void {
    for (let token = this.next(); token !== ';'; token = this.next()) if (token === '{') this.skipBlock();
  }

  /** Skips to the brace closing one already opened. */
  skipBlock(): void {
    let depth = 1;
    while (depth > 0) {
      const token = this.next();
      if (token === '{') depth++;
      else if (token === '}') depth--;
    }
  }
}

/**
 * The services and rpcs of one inline .proto file. OpenChoreo compiles it with protocompile;
 * this reads the same declarations with a tokenizer and a statement walk (Cellplane has no
 * protobuf compiler among its dependencies): comments, strings, options and message bodies are
 * skipped, a statement that is not protobuf is an error, and so is an import other than
 * protobuf's well-known types (protocompile cannot resolve those either). Message types are not
 * linked: an rpc naming an undefined message still counts (protocompile would refuse the file).
 */
function protoRoutes(content: string): EndpointResource[] {
  const tokens = new ProtoTokens(content);
  let packageName = '';
  const routes: EndpointResource[] = [];
  while (!tokens.done()) {
    const word = tokens.next();
    if (word === ';') continue;
    if (word === 'syntax' || word === 'edition' || word === 'option') tokens.skipStatement();
    else if (word === 'package') packageName = tokens.until(';').join('');
    else if (word === 'import') {
      const path = tokens.until(';').filter(t => t.startsWith('"')).join('');
      if (!/^"google\/protobuf\//.test(path)) throw new Error(`import ${path} cannot be resolved (only protobuf's well-known types can)`);
    } else if (word === 'message' || word === 'enum' || word === 'extend') {
      tokens.until('{');
      tokens.skipBlock();
    } else if (word === 'service') {
      const name = tokens.identifier('service name');
      tokens.expect('{');
      const service = packageName ? `${packageName}.${name}` : name;
      for (const method of serviceMethods(tokens)) routes.push({ kind: 'gRPC', service, method });
    } else {
      throw new Error(`unexpected '${word}' at the top level`);
    }
  }
  return routes;
}

/** The rpc names of a service body, up to its closing brace. */
function serviceMethods(tokens: ProtoTokens): string[] {
  const methods: string[] = [];
  for (;;) {
    const word = tokens.next();
    if (word === '}') return methods;
    if (word === ';') continue;
    if (word === 'option') tokens.skipStatement();
    else if (word === 'rpc') {
      methods.push(tokens.identifier('rpc name'));
      tokens.expect('(');
      tokens.until(')');
      tokens.expect('returns');
      tokens.expect('(');
      tokens.until(')');
      const end = tokens.next();
      if (end === '{') tokens.skipBlock();
      else if (end !== ';') throw new Error(`expected ';' or '{' after rpc, got '${end}'`);
    } else throw new Error(`unexpected '${word}' in a service`);
  }
}
