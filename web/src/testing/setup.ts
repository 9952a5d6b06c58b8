import { configure } from '@testing-library/react';

// CI shares two cores between workerd, the database and jsdom: give `findBy…`/`waitFor` room beyond the 1 s default
// so a slow machine does not fail a page that does render.
configure({ asyncUtilTimeout: 5_000 });
