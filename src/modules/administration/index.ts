/** What the rest of the code may use of the administration module. */
export { AdministrationModule } from './administration.module';
export { mountQueueDashboard, queueDashboardPath } from './interface/queue-dashboard';
