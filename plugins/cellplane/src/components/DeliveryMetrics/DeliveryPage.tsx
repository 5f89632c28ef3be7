import { Content, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { DeliveryMetricsView } from './DeliveryMetricsView';

/** The namespaces Cellplane published (each a Domain), sorted; or why they could not be read. */
function useCellplaneNamespaces() {
  const catalogApi = useApi(catalogApiRef);
  const [state, setState] = useState<{ namespaces?: string[]; error?: Error }>({});
  useEffect(() => {
    let active = true;
    catalogApi.getEntities({ filter: { kind: 'Domain' } }).then(
      ({ items }) => {
        const namespaces = [...new Set(items.map(entity => cellplaneCoordinatesOf(entity)?.namespace).filter((n): n is string => !!n))];
        if (active) setState({ namespaces: namespaces.sort() });
      },
      error => active && setState({ error }),
    );
    return () => {
      active = false;
    };
  }, [catalogApi]);
  return state;
}

/**
 * `/cellplane/delivery`: the organisation's delivery (DORA) metrics, a namespace at a time (each
 * Cellplane namespace is a Domain in the catalog).
 */
export function DeliveryPage() {
  const { namespaces, error } = useCellplaneNamespaces();
  const [chosen, setChosen] = useState<string | undefined>();
  const namespace = chosen ?? namespaces?.[0];
  let content;
  if (error) {
    content = <WarningPanel severity="error" title="The organisation's namespaces could not be read from the catalog" message={`${error.message}. Reload the page to try again.`} />;
  } else if (!namespaces) {
    content = <Progress aria-label="Loading the organisation's namespaces" />;
  } else if (!namespace) {
    content = (
      <Typography>
        The catalog has no Cellplane namespace yet. Once the catalog module has read the GitOps repository, each namespace shows here.
      </Typography>
    );
  } else {
    content = (
      <>
        {namespaces.length > 1 && (
          <FormControl size="small" sx={{ mb: 2, minWidth: 240 }}>
            <InputLabel id="delivery-namespace-label">Namespace</InputLabel>
            <Select labelId="delivery-namespace-label" label="Namespace" value={namespace} onChange={event => setChosen(String(event.target.value))}>
              {namespaces.map(n => (
                <MenuItem key={n} value={n}>
                  {n}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        )}
        <DeliveryMetricsView key={namespace} scope={{ kind: 'namespace', namespace, name: namespace }} />
      </>
    );
  }
  // The page's header (its title, Delivery) comes from the PageBlueprint.
  return <Content>{content}</Content>;
}
