DROP TABLE container_actions;
