import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy*/waitFor wait for their condition up to this long. The default (1 s) is a guess at how
// fast a page renders, and a busy 2-core machine rendering a whole test app misses it; a
// condition that holds returns as soon as it does, so only a failing test pays the full wait.
configure({ asyncUtilTimeout: 30_000 });
