-- What the catalog shows of a template version, kept beside its spec. Read from the spec itself,
-- each field detoasts (fetches and decompresses) the whole spec again, once per field and row:
-- most of the catalog page's cost. A generated column is computed on insert and can never
-- disagree with the spec.

-- jsonb_build_object is only STABLE because some argument types print differently by setting;
-- on jsonb values it is deterministic, which is what a generated column needs.
CREATE FUNCTION template_summary(spec JSONB) RETURNS JSONB
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'name', spec -> 'name',
        'title', spec -> 'title',
        'description', spec -> 'description',
        'icon', spec -> 'icon',
        'category', spec -> 'category',
        'tags', spec -> 'tags',
        'os_template', spec -> 'os_template'))
$$;

ALTER TABLE template_versions
    ADD COLUMN summary JSONB NOT NULL GENERATED ALWAYS AS (template_summary(spec)) STORED;
