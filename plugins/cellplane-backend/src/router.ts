import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { RESOURCE_KINDS, isResourceKind } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import express from 'express';
import Router from 'express-promise-router';

const SEVERITIES = ['error', 'warning'] as const;

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  repository: GitOpsRepository;
}): Promise<express.Router> {
  const { httpAuth, repository } = options;
  const router = Router();

  /** What the portal reads from the GitOps repository right now: where, which commit, how much. */
  router.get('/repository', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const model = await repository.model();
    const counts: Record<string, number> = {};
    for (const entry of model.entries()) {
      counts[entry.resource.kind] = (counts[entry.resource.kind] ?? 0) + 1;
    }
    res.json({
      url: repository.url,
      branch: repository.branch,
      revision: model.revision ?? null,
      namespaces: model.namespaces(),
      counts,
      problems: {
        errors: model.problems.filter(p => p.severity === 'error').length,
        warnings: model.problems.filter(p => p.severity === 'warning').length,
      },
    });
  });

  /** Every problem in the repository, optionally narrowed by severity and kind. */
  router.get('/repository/problems', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const severity = single(req.query.severity, 'severity');
    if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) {
      throw new InputError(`severity must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(severity)}`);
    }
    const kind = single(req.query.kind, 'kind');
    if (kind !== undefined && !isResourceKind(kind)) {
      throw new InputError(`kind must be one of ${RESOURCE_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
    }
    const model = await repository.model();
    res.json({
      revision: model.revision ?? null,
      items: model.problems.filter(
        p => (!severity || p.severity === severity) && (!kind || p.resource?.kind === kind),
      ),
    });
  });

  return router;
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InputError(`${name} must be given once, as a string`);
  }
  return value;
}
