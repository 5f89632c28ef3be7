/**
 * Something wrong in a GitOps repository, said in the user's terms: which file, which resource,
 * which field, and what the rule is. The rest of the repository still loads.
 *
 * @public
 */
export interface ModelProblem {
  /** `error` leaves the resource out of the model; `warning` keeps it. */
  severity: 'error' | 'warning';
  /** Repository-relative path of the file, when the problem comes from one. */
  file?: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  /** The resource concerned, when it could be identified. */
  resource?: { kind: string; name: string; namespace?: string };
  /** Dotted field path inside the document, e.g. `spec.endpoints.http.port`. */
  field?: string;
  /** What is wrong and, where it helps, what to do. */
  message: string;
}

/**
 * One line a person can read, e.g.
 * `namespaces/acme/.../workload.yaml:14: Workload acme/cart: spec.endpoints.http.port: must be 1-65535`.
 *
 * @public
 */
export function formatProblem(problem: ModelProblem): string {
  const where = problem.file
    ? `${problem.file}${problem.line ? `:${problem.line}` : ''}: `
    : '';
  const what = problem.resource
    ? `${problem.resource.kind} ${
        problem.resource.namespace ? `${problem.resource.namespace}/` : ''
      }${problem.resource.name}: `
    : '';
  const field = problem.field ? `${problem.field}: ` : '';
  return `${where}${what}${field}${problem.message}`;
}
