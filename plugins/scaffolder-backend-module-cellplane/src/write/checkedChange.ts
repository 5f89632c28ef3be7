import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult, BasicPermission } from '@backstage/plugin-permission-common';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { cellplaneComponentPromoteProductionPermission, publishModeOfEnvironment } from '@cellplane/backstage-plugin-common';
import { FileChange, RepositoryRevision } from '@cellplane/backstage-plugin-node';
import { EffectiveChange, effectiveChanges } from './diff';
import { findLikelySecrets, LikelySecret, refuseLikelySecrets } from './likelySecrets';
import { environmentChanges, ProductionChange } from './productionChanges';
import type { CellplaneActionOptions } from './actionOptions';

/** What CheckedChange needs of the write: the action's own permissions and how to compute its files. */
export interface CheckedChangeRequest {
  permissions: BasicPermission[];
  changes(base: RepositoryRevision): Promise<FileChange[]> | FileChange[];
}

/**
 * One write's change, computed and checked against a revision as often as the write needs it
 * (again on a retry after a race, and in a dry run), whatever the action:
 * - values that look like secrets are refused unless the input says `allowLikelySecrets: true`;
 * - the rendered manifests are brought up to date (the options' `rerender`, if any);
 * - a change that alters a production environment needs `cellplane.component.promote.production`;
 * - the environments it alters that publish by pull request are noted (see publishInput.ts).
 * It remembers what the last computation found, for the action's outputs and log.
 */
export class CheckedChange {
  private readonly allowLikelySecrets: boolean;
  private allowedSecrets: LikelySecret[] = [];
  private production: ProductionChange[] = [];
  private reviewed: ProductionChange[] = [];
  /** Asked once per run, and only when a change reaches production. */
  private mayChangeProduction: Promise<boolean> | undefined;

  constructor(
    private readonly ctx: ActionContext<any, any>,
    private readonly options: CellplaneActionOptions,
    private readonly request: CheckedChangeRequest,
    private readonly credentials: BackstageCredentials,
  ) {
    this.allowLikelySecrets = ctx.input?.allowLikelySecrets === true;
  }

  /**
   * The environments the last computed change targets (one of their bindings, or the
   * Environment itself) whose `cellplane.dev/publish` annotation says `pull-request`
   * (`<namespace>/<environment>`, with the files that alter them).
   */
  get pullRequestEnvironments(): ProductionChange[] {
    return this.reviewed;
  }

  /** Likely secrets the input allowed in the last computed change. */
  get secrets(): LikelySecret[] {
    return this.allowedSecrets;
  }

  /**
   * The change against `base`, checked: only the files it alters, rendered manifests included.
   * Throws when a check refuses it. An arrow, to be handed to GitOpsRepository.commit as is.
   */
  readonly compute = async (base: RepositoryRevision): Promise<EffectiveChange[]> => {
    const specs = await effectiveChanges(base, await this.request.changes(base));
    const secrets = await findLikelySecrets(specs);
    if (!this.allowLikelySecrets) refuseLikelySecrets(secrets);
    this.allowedSecrets = secrets;
    const { rerender } = this.options;
    const changes = rerender ? await effectiveChanges(base, [...specs, ...(await rerender(base, specs))]) : specs;
    const altered = await environmentChanges(base, changes);
    this.production = altered.where(environment => environment.spec.isProduction === true);
    // The publish mode is about what a change addresses (a binding, the environment), not about
    // bindings that chose to follow the component's live spec as it lands. (An Environment with
    // any other mode is a model problem, so it is not in the model to be written to.)
    this.reviewed = altered.where(environment => publishModeOfEnvironment(environment) === 'pull-request', 'targeted');
    await this.requireProductionPermission();
    return changes;
  };

  /** The production environments in the outputs, and a warning naming the allowed likely secrets' fields. */
  report(): void {
    if (this.production.length > 0) this.ctx.output('productionEnvironments', this.production.map(p => p.environment));
    if (this.allowedSecrets.length > 0) {
      // names the fields only: the values never reach a log line
      this.ctx.logger.warn(
        `Writing ${this.allowedSecrets.length} value(s) that look like secrets, as allowLikelySecrets asks: ${this.allowedSecrets.map(s => `${s.file}: ${s.field}`).join('; ')}`,
      );
    }
  }

  private async requireProductionPermission(): Promise<void> {
    const production = this.production;
    if (production.length === 0) return;
    if (this.request.permissions.some(p => p.name === cellplaneComponentPromoteProductionPermission.name)) return; // granted already
    this.mayChangeProduction ??= this.options.permissions
      .authorize([{ permission: cellplaneComponentPromoteProductionPermission }], { credentials: this.credentials })
      .then(([decision]) => decision?.result === AuthorizeResult.ALLOW);
    if (!(await this.mayChangeProduction)) {
      const named = production.map(p => `${p.environment} (${p.files.slice(0, 3).join(', ')}${p.files.length > 3 ? `, and ${p.files.length - 3} more` : ''})`);
      throw new NotAllowedError(
        `not allowed: this change alters the production environment${production.length > 1 ? 's' : ''} ${named.join('; ')}, ` +
          `and changing production needs the permission ${cellplaneComponentPromoteProductionPermission.name}, which you lack`,
      );
    }
  }
}
