import { DataSource } from 'typeorm';
import { validateEnv } from './src/platform/config/app-config';
import { dataSourceOptions } from './src/platform/database/data-source-options';

try {
  process.loadEnvFile();
} catch {
  // no .env file: the environment alone configures the CLI
}

/** The data source the TypeORM CLI uses: `npm run migration:run`. */
export default new DataSource(dataSourceOptions(validateEnv(process.env)));
