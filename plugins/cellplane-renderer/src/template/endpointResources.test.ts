import { extractEndpointResources } from './endpointResources';

/**
 * `workload.toEndpointResources()`'s route extraction, case by case as OpenChoreo's
 * docs/templating/configuration_helpers.md ("workload.toEndpointResources(endpointName)") and its
 * schemaextract package describe it.
 */

const PROTO = `
// The greeter service.
syntax = "proto3";
package demo.greeter;
import "google/protobuf/empty.proto";
option go_package = "example.com/greeter;greeter";

/* Two services; rpcs with streams and options. */
service Greeter {
  option deprecated = false;
  rpc SayHello (HelloRequest) returns (HelloReply);
  rpc Chat (stream HelloRequest) returns (stream HelloReply) {
    option idempotency_level = NO_SIDE_EFFECTS;
  }
}
service Admin { rpc Ping (google.protobuf.Empty) returns (google.protobuf.Empty) {} }
message HelloRequest { string name = 1; map<string, string> labels = 2; }
message HelloReply { string message = 1; }
enum Mood { MOOD_UNSPECIFIED = 0; }
`;

const OPENAPI = JSON.stringify({
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: { '/pets/{id}': { get: {}, delete: {}, parameters: [] }, '/pets': { post: {}, get: {}, summary: 'x' } },
});

describe('workload.toEndpointResources() route extraction', () => {
  it('gRPC: one route per (package-qualified service, rpc), sorted by service then method', () => {
    expect(extractEndpointResources('gRPC', { content: PROTO })).toEqual({
      resources: [
        { kind: 'gRPC', service: 'demo.greeter.Admin', method: 'Ping' },
        { kind: 'gRPC', service: 'demo.greeter.Greeter', method: 'Chat' },
        { kind: 'gRPC', service: 'demo.greeter.Greeter', method: 'SayHello' },
      ],
    });
    // Without a package the service name is bare.
    expect(extractEndpointResources('gRPC', { content: 'syntax = "proto3"; service S { rpc M (A) returns (B); }' }).resources).toEqual([
      { kind: 'gRPC', service: 'S', method: 'M' },
    ]);
  });

  it('HTTP: one route per OpenAPI (path, operation), upper-case verbs, sorted by path then method; YAML or JSON', () => {
    expect(extractEndpointResources('HTTP', { content: OPENAPI }).resources).toEqual([
      { kind: 'HTTP', method: 'GET', path: '/pets' },
      { kind: 'HTTP', method: 'POST', path: '/pets' },
      { kind: 'HTTP', method: 'DELETE', path: '/pets/{id}' },
      { kind: 'HTTP', method: 'GET', path: '/pets/{id}' },
    ]);
    expect(extractEndpointResources('HTTP', { content: 'openapi: 3.0.0\npaths:\n  /ping: {get: {}}\n' }).resources).toEqual([
      { kind: 'HTTP', method: 'GET', path: '/ping' },
    ]);
  });

  it('an explicit schema.type wins over the endpoint type; swagger and oas3 mean OpenAPI', () => {
    expect(extractEndpointResources('HTTP', { type: 'protobuf', content: PROTO }).resources).toHaveLength(3);
    expect(extractEndpointResources('HTTP', { type: 'Swagger', content: OPENAPI }).resources).toHaveLength(4);
    expect(extractEndpointResources('HTTP', { type: 'OAS3', content: OPENAPI }).resources).toHaveLength(4);
  });

  it('no schema, a blank one, or a type with nothing to infer: no routes and nothing to say', () => {
    expect(extractEndpointResources('gRPC', undefined)).toEqual({ resources: [] });
    expect(extractEndpointResources('gRPC', { type: 'proto', content: '   ' })).toEqual({ resources: [] });
    expect(extractEndpointResources('TCP', { content: PROTO })).toEqual({ resources: [] });
  });

  it('an unreadable schema or a format without an extractor: no routes, and a note saying why', () => {
    expect(extractEndpointResources('gRPC', { content: 'not a proto' })).toEqual({
      resources: [],
      note: "the proto schema cannot be read: unexpected 'not' at the top level",
    });
    expect(extractEndpointResources('gRPC', { content: 'syntax = "proto3"; import "common/types.proto";' }).note).toBe(
      'the proto schema cannot be read: import "common/types.proto" cannot be resolved (only protobuf\'s well-known types can)',
    );
    expect(extractEndpointResources('gRPC', { content: 'service S { rpc M (A) returns (B) }' }).note).toMatch(/expected ';' or '\{' after rpc/);
    expect(extractEndpointResources('HTTP', { content: '{"paths": [' }).note).toMatch(/^the openapi schema cannot be read: /);
    expect(extractEndpointResources('GraphQL', { content: 'type Query { hello: String }' })).toEqual({
      resources: [],
      note: "no route extractor for schema type 'graphql' (OpenAPI and protobuf are supported)",
    });
  });
});
