import { DataSource } from 'typeorm';
import { configOrExit } from './src/platform/config/config-or-exit';
import { loadEnvFile } from './src/platform/config/load-env';
import { dataSourceOptions } from './src/platform/database/data-source-options';

// `.env` as the api reads it (the environment wins); a wrong setting ends the CLI with the
// same message as the api, exit code 1, before it connects.
loadEnvFile();

/** The data source the TypeORM CLI uses: `npm run migration:run`. */
export default new DataSource(dataSourceOptions(configOrExit()));
