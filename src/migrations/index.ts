import { InitialSchema1764150000000 } from './1764150000000-initial-schema';
import { ActivityWaitingSince1764175000000 } from './1764175000000-activity-waiting-since';

/** Listed explicitly so the same array works from compiled code, the CLI and tests. */
export const MIGRATIONS = [InitialSchema1764150000000, ActivityWaitingSince1764175000000];
