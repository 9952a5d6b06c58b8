import { defineWriteRouteFuzz } from '@test/security/support/fuzz';

await defineWriteRouteFuzz(0, 3);
