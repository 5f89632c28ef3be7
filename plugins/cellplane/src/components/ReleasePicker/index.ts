export { ReleasePicker, releaseLabel } from './ReleasePicker';
export type { ReleasePickerProps, ReleasePickerUiOptions } from './ReleasePicker';
