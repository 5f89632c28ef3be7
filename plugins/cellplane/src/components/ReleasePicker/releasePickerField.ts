import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ReleasePicker } from './ReleasePicker';

/** The value (a release name) and the ui:options the field takes, as the template editor shows them. */
export const ReleasePickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      componentField: z
        .string()
        .optional()
        .describe('The form field holding the entity ref of the component whose releases to list (default: component)'),
    }),
});

/** `ui:field: CellplaneReleasePicker`. */
export const releasePickerField = createFormField({
  name: 'CellplaneReleasePicker',
  component: ReleasePicker,
  schema: ReleasePickerFieldSchema,
});
