import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { ComponentReleaseList, ComponentReleaseSummary } from '@cellplane/backstage-plugin-common';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import InputLabel from '@mui/material/InputLabel';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo } from 'react';
import { shortCommit } from '../common/revisions';
import { useComponentReleases } from './useComponentReleases';

/** ui:options of the field. @public */
export interface ReleasePickerUiOptions {
  /** The form field holding the component's entity ref (default `component`). */
  componentField?: string;
}

/** @public */
export type ReleasePickerProps = FieldExtensionComponentProps<string, ReleasePickerUiOptions>;

/** The component a form names, as `namespace/name`, or why it cannot be read. */
function componentOf(ref: unknown): { namespace: string; name: string } | { problem: string } | undefined {
  if (ref === undefined || ref === null || ref === '') return undefined;
  if (typeof ref !== 'string') return { problem: 'the component field does not hold an entity reference' };
  try {
    const { kind, namespace, name } = parseEntityRef(ref, { defaultKind: 'component', defaultNamespace: 'default' });
    if (kind.toLocaleLowerCase('en-US') !== 'component') {
      return { problem: `${ref} is a ${kind}, not a Component` };
    }
    return { namespace, name };
  } catch (error) {
    return { problem: `${JSON.stringify(ref)} is not an entity reference` };
  }
}

/** Where a release runs: the environments that pin it, and, when it is the component's current state, those that pin nothing. */
export function environmentsRunning(release: ComponentReleaseSummary, list: Pick<ComponentReleaseList, 'unpinnedEnvironments'>) {
  return [...release.environments, ...(release.current ? list.unpinnedEnvironments : [])];
}

/** `payments-api-1a2b3c4d5e · ghcr.io/acme/payments:1.4 · running in staging` */
export function releaseLabel(release: ComponentReleaseSummary, list: Pick<ComponentReleaseList, 'unpinnedEnvironments'>): string {
  const running = environmentsRunning(release, list);
  return [
    release.name,
    ...release.images,
    running.length ? `running in ${running.join(', ')}` : 'not running',
  ].join(' · ');
}

function releaseDetail(release: ComponentReleaseSummary): string | undefined {
  const parts = [
    release.createdAt ? `created ${new Date(release.createdAt).toLocaleString()}` : undefined,
    release.commit ? `in commit ${shortCommit(release.commit)}` : undefined,
    release.current ? 'the component as it is now' : undefined,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

function errorMessage(error: Error): string {
  return error instanceof ResponseError ? (error.body?.error?.message ?? error.message) : error.message;
}

/**
 * `ui:field: CellplaneReleasePicker`: choose one of a component's ComponentReleases, newest
 * first, seeing for each its image and where it runs now. The component comes from another
 * field of the form (`ui:options.componentField`, default `component`); the value is the
 * release's name.
 *
 * @public
 */
export function ReleasePicker(props: ReleasePickerProps) {
  const { formData, onChange, uiSchema, formContext, schema, required, rawErrors, idSchema, disabled } = props;
  const componentField = uiSchema['ui:options']?.componentField ?? 'component';
  const component = useMemo(
    () => componentOf((formContext?.formData as Record<string, unknown> | undefined)?.[componentField]),
    [formContext, componentField],
  );
  const target = component && 'name' in component ? component : undefined;
  const releases = useComponentReleases(target);
  const list = releases.state === 'loaded' ? releases.list : undefined;

  // A release of the component chosen before is no release of this one.
  useEffect(() => {
    if (list && formData && !list.items.some(item => item.name === formData)) onChange(undefined);
  }, [list, formData, onChange]);

  const id = idSchema?.$id ?? 'cellplane-release-picker';
  const title = schema.title ?? 'Release';
  let helper: string | undefined = schema.description;
  let failed = Boolean(rawErrors?.length);
  if (!component) {
    helper = 'Choose a component first';
  } else if ('problem' in component) {
    helper = `Cannot list releases: ${component.problem}`;
    failed = true;
  } else if (releases.state === 'loading') {
    helper = `Loading the releases of ${component.name}…`;
  } else if (releases.state === 'error') {
    helper = `Cannot list the releases of ${component.name}: ${errorMessage(releases.error)}`;
    failed = true;
  } else if (list && list.items.length === 0) {
    helper = `${component.name} has no releases yet: Cellplane makes one each time the component or its workload changes`;
  }

  return (
    <FormControl fullWidth margin="normal" required={required} error={failed} disabled={disabled || !list?.items.length}>
      <InputLabel id={`${id}-label`}>{title}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        // The outlined field's notch is as wide as this label.
        label={title}
        value={list && formData && list.items.some(item => item.name === formData) ? formData : ''}
        onChange={event => onChange(event.target.value || undefined)}
        aria-describedby={`${id}-helper`}
        renderValue={value => {
          const release = list?.items.find(item => item.name === value);
          return release && list ? releaseLabel(release, list) : String(value);
        }}
      >
        {list?.items.map(release => {
          const detail = releaseDetail(release);
          return (
            <MenuItem key={release.name} value={release.name}>
              <div>
                <Typography variant="body2">{releaseLabel(release, list)}</Typography>
                {detail && (
                  <Typography variant="caption" color="text.secondary">
                    {detail}
                  </Typography>
                )}
              </div>
            </MenuItem>
          );
        })}
      </Select>
      {releases.state === 'loading' && <LinearProgress aria-label={`Loading the releases of ${target?.name}`} />}
      {helper && <FormHelperText id={`${id}-helper`}>{helper}</FormHelperText>}
    </FormControl>
  );
}
