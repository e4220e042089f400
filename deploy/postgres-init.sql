-- Runs once, when the postgres service starts on an empty data volume (docker-entrypoint-initdb.d).
-- One database per member, so no member's tables share a database with another's.
-- Each member subgraph creates its own schema and tables in its database on start.
CREATE DATABASE member_kafshata;
CREATE DATABASE member_nodo_sur;
CREATE DATABASE member_ironweed;
