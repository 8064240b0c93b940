DROP TABLE builtin_seeds;
DROP TABLE template_buckets;
DROP TABLE template_versions;
DROP FUNCTION template_versions_immutable();
DROP TABLE templates;
DROP TABLE package_buckets;
