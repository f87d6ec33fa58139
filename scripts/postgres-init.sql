-- docker compose: one PostgreSQL server, one database per service (see ARCHITECTURE: Services).
create database users;
create database orders;
create database payments;
