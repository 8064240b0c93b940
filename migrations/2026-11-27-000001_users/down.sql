DROP TABLE users;
DROP TYPE berth_role;
