import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// As in plugins/cellplane: wait for conditions long enough for a busy 2-core machine.
configure({ asyncUtilTimeout: 30_000 });
