/** What other modules may use of the case module. */
export { CaseModule } from './case.module';
export { ResolveCase } from './application/resolve-case/resolve-case.use-case';
