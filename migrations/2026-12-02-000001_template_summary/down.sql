ALTER TABLE template_versions DROP COLUMN summary;
DROP FUNCTION template_summary(JSONB);
