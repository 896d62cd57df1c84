import { accessLogProjection } from './access-log/access-log-projection.js';
import { casefileProjection } from './casefile/casefile-projection.js';
import { erasuresProjection } from './erasures/erasures-projection.js';
import { familiesProjection } from './families/families-projection.js';
import { organizationsProjection } from './organizations/organizations-projection.js';

/**
 * Every projection the tracker runs, in the order the projector applies them. Its own module,
 * so that the command line and the projector's child processes in tests load the read side
 * without the GraphQL server (about a second per process start).
 */
export const PROJECTIONS = [organizationsProjection, familiesProjection, casefileProjection, accessLogProjection, erasuresProjection];
