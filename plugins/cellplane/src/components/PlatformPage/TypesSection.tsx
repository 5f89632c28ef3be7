import { InfoCard } from '@backstage/core-components';
import { PlatformComponentRef, PlatformComponentType, PlatformTrait } from '@cellplane/backstage-plugin-common';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { ComponentLink } from './entityLinks';
import { SchemaTable } from './SchemaTable';

type Definition = (PlatformComponentType | PlatformTrait) & { workloadType?: string; allowedTraits?: string[] };

const qualifiedName = (d: { kind: string; name: string; namespace?: string }) => `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}`;

function UsedBy(props: { components: PlatformComponentRef[] }) {
  const { components } = props;
  if (components.length === 0) return <Typography variant="body2">Used by no component yet.</Typography>;
  return (
    <Box component="section" aria-label="Used by">
      <Typography variant="body2" component="h4" sx={{ fontWeight: 600 }}>
        Used by
      </Typography>
      <Box component="ul" sx={{ pl: 2, my: 0.5 }}>
        {components.map(c => (
          <Typography component="li" variant="body2" key={`${c.namespace}/${c.name}`}>
            <ComponentLink component={c} /> ({c.project})
          </Typography>
        ))}
      </Box>
    </Box>
  );
}

/** One type or trait: a summary line (a real button, keyboard reachable), its schemas and users inside. */
function DefinitionAccordion(props: { definition: Definition }) {
  const { definition: d } = props;
  const id = `platform-${d.kind}-${d.namespace ?? ''}-${d.name}`;
  const uses = `${d.components.length} ${d.components.length === 1 ? 'component' : 'components'}`;
  return (
    <Accordion disableGutters TransitionProps={{ unmountOnExit: true }}>
      <AccordionSummary expandIcon={<ExpandMoreIcon />} aria-controls={`${id}-details`} id={`${id}-summary`}>
        <Typography sx={{ flexGrow: 1 }}>
          <strong>{d.displayName ?? d.name}</strong>{' '}
          <Typography component="span" variant="body2" color="text.secondary">
            {qualifiedName(d)}
            {d.workloadType ? ` · ${d.workloadType}` : ''}
          </Typography>
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mr: 1 }}>
          used by {uses}
        </Typography>
      </AccordionSummary>
      <AccordionDetails id={`${id}-details`}>
        {d.description && (
          <Typography variant="body2" sx={{ mb: 1 }}>
            {d.description}
          </Typography>
        )}
        {d.allowedTraits && (
          <Typography variant="body2" sx={{ mb: 1 }}>
            Allowed traits: {d.allowedTraits.length ? d.allowedTraits.join(', ') : 'none'}
          </Typography>
        )}
        <SchemaTable title="Parameters (the same in every environment)" fields={d.parameters} />
        <Box sx={{ mt: 1 }}>
          <SchemaTable title="Environment configs (per environment)" fields={d.environmentConfigs} />
        </Box>
        <Box sx={{ mt: 1 }}>
          <UsedBy components={d.components} />
        </Box>
      </AccordionDetails>
    </Accordion>
  );
}

/** Component types and traits: the platform team's templates, their schemas, and who uses them. */
export function TypesSection(props: { componentTypes: PlatformComponentType[]; traits: PlatformTrait[] }) {
  const { componentTypes, traits } = props;
  return (
    <InfoCard title="Component types and traits">
      <Typography variant="subtitle1" component="h3">
        Component types
      </Typography>
      {componentTypes.length === 0 ? (
        <Typography variant="body2" sx={{ mb: 2 }}>
          No ComponentType or ClusterComponentType yet: add one under platform-shared/component-types/ and its "New …"
          template appears in Create.
        </Typography>
      ) : (
        <Box sx={{ mb: 2 }}>
          {componentTypes.map(t => (
            <DefinitionAccordion key={qualifiedName(t)} definition={t} />
          ))}
        </Box>
      )}
      <Typography variant="subtitle1" component="h3">
        Traits
      </Typography>
      {traits.length === 0 ? (
        <Typography variant="body2">No Trait or ClusterTrait yet: add one under platform-shared/traits/.</Typography>
      ) : (
        traits.map(t => <DefinitionAccordion key={qualifiedName(t)} definition={t} />)
      )}
    </InfoCard>
  );
}
