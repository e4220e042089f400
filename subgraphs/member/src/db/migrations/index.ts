import { Migration20261126000000Initial } from './Migration20261126000000Initial';
import { Migration20261126010000Network } from './Migration20261126010000Network';

/** Every migration, in order. New migrations are appended here and committed. */
export const migrationsList = [
  { name: 'Migration20261126000000Initial', class: Migration20261126000000Initial },
  { name: 'Migration20261126010000Network', class: Migration20261126010000Network },
];
