import { PlatformSchemaField } from '@cellplane/backstage-plugin-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';

/** A parameter schema as a table a developer reads: field, type, default, description. */
export function SchemaTable(props: { title: string; fields: PlatformSchemaField[] }) {
  const { title, fields } = props;
  if (fields.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {title}: none
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={title}>
      <caption style={{ captionSide: 'top', padding: '4px 0', fontWeight: 600 }}>{title}</caption>
      <TableHead>
        <TableRow>
          <TableCell>Field</TableCell>
          <TableCell>Type</TableCell>
          <TableCell>Default</TableCell>
          <TableCell>Description</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {fields.map(field => (
          <TableRow key={field.path}>
            <TableCell>
              <code>{field.path}</code>
              {field.required && <Typography component="span" variant="caption" color="error.main"> required</Typography>}
            </TableCell>
            <TableCell>{field.type}</TableCell>
            <TableCell>{field.default !== undefined ? <code>{field.default}</code> : '—'}</TableCell>
            <TableCell>
              {field.description ?? ''}
              {field.enum && (
                <Typography variant="caption" component="div" color="text.secondary">
                  One of {field.enum.join(', ')}
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
