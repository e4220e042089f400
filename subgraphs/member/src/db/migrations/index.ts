import { Migration20261126000000Initial } from './Migration20261126000000Initial';

/** Every migration, in order. New migrations are appended here and committed. */
export const migrationsList = [{ name: 'Migration20261126000000Initial', class: Migration20261126000000Initial }];
