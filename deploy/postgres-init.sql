-- Runs once, when the postgres service starts on an empty data volume (docker-entrypoint-initdb.d,
-- through psql as the superuser). Each member gets its own role and its own database, owned by
-- that role, and no right on anything else: a member's container holds only its own password, so
-- a compromised member cannot read another member's data, nor the superuser's database.
-- The passwords come from the postgres service's environment (docker-compose.yml, set in .env).
\set ON_ERROR_STOP on

-- Nobody but the superuser connects to the maintenance databases.
REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE infrared FROM PUBLIC;

\getenv member_kafshata_password MEMBER_KAFSHATA_DB_PASSWORD
CREATE ROLE member_kafshata LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 20 PASSWORD :'member_kafshata_password';
CREATE DATABASE member_kafshata OWNER member_kafshata;
REVOKE ALL ON DATABASE member_kafshata FROM PUBLIC;

\getenv member_nodo_sur_password MEMBER_NODO_SUR_DB_PASSWORD
CREATE ROLE member_nodo_sur LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 20 PASSWORD :'member_nodo_sur_password';
CREATE DATABASE member_nodo_sur OWNER member_nodo_sur;
REVOKE ALL ON DATABASE member_nodo_sur FROM PUBLIC;

\getenv member_ironweed_password MEMBER_IRONWEED_DB_PASSWORD
CREATE ROLE member_ironweed LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 20 PASSWORD :'member_ironweed_password';
CREATE DATABASE member_ironweed OWNER member_ironweed;
REVOKE ALL ON DATABASE member_ironweed FROM PUBLIC;
