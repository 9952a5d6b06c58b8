import { defineWriteRouteFuzz } from '@test/security/support/fuzz';

await defineWriteRouteFuzz(2, 3);
