import { Migration20261126000000Initial } from './Migration20261126000000Initial';
import { Migration20261126010000Network } from './Migration20261126010000Network';
import { Migration20261130100000AssertionReplay } from './Migration20261130100000AssertionReplay';
import { Migration20261130120000Training } from './Migration20261130120000Training';
import { Migration20261130130000ChangeFeed } from './Migration20261130130000ChangeFeed';
import { Migration20261130140000RecordVersionSource } from './Migration20261130140000RecordVersionSource';

/** Every migration, in order. New migrations are appended here and committed. */
export const migrationsList = [
  { name: 'Migration20261126000000Initial', class: Migration20261126000000Initial },
  { name: 'Migration20261126010000Network', class: Migration20261126010000Network },
  { name: 'Migration20261130100000AssertionReplay', class: Migration20261130100000AssertionReplay },
  { name: 'Migration20261130120000Training', class: Migration20261130120000Training },
  { name: 'Migration20261130130000ChangeFeed', class: Migration20261130130000ChangeFeed },
  { name: 'Migration20261130140000RecordVersionSource', class: Migration20261130140000RecordVersionSource },
];
