import { defineWriteRouteFuzz } from '@test/security/support/fuzz';

await defineWriteRouteFuzz(1, 3);
