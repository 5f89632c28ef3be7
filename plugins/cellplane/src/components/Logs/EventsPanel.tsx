import { ComponentEvent } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';

/** Kubernetes Events about the component's objects in the environment, newest first, live. */
export function EventsPanel(props: { events: ComponentEvent[]; component: string; environment: string }) {
  const { events, component, environment } = props;
  return (
    <Box component="section" aria-labelledby="cellplane-events-title">
      <Typography id="cellplane-events-title" variant="h6" component="h3" sx={{ mb: 1 }}>
        Events
      </Typography>
      {events.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No events about {component} in {environment}. Shown are the events that explain a status (back-offs, failed probes,
          pulls and scheduling); Kubernetes keeps them for about an hour.
        </Typography>
      ) : (
        <List dense aria-label={`Events of ${component} in ${environment}`}>
          {events.map(event => (
            <ListItem key={event.id} disableGutters sx={{ display: 'block' }} data-testid="kube-event">
              <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
                <Chip size="small" label={event.type} color={event.type === 'Warning' ? 'warning' : 'default'} />
                <strong>{event.reason}</strong>
                <Typography variant="caption" color="text.secondary">
                  {event.object.kind} {event.object.name}
                  {event.count > 1 ? ` · ×${event.count}` : ''}
                  {event.lastSeen ? ` · ${new Date(event.lastSeen).toLocaleString()}` : ''}
                </Typography>
              </Box>
              <Typography variant="body2">{event.message}</Typography>
            </ListItem>
          ))}
        </List>
      )}
    </Box>
  );
}
