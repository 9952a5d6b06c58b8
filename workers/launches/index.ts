/** The launches domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { admissionGate, reserveAdmitted } from './admission';
export type { AdmissionGate } from './admission';
export type { AdmissionDeps } from './service';
export { admissionHeaderSchema } from './schema';
