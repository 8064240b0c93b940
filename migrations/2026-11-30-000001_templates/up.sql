-- Package buckets and templates. A bucket's and a template version's content is kept as the JSON
-- form of berth-domain's PackageBucket / TemplateSpec (validated by Berth before it is written);
-- the columns beside it are what queries, uniqueness and references need.

CREATE TABLE package_buckets (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name TEXT NOT NULL
        CONSTRAINT package_buckets_name_unique UNIQUE
        CONSTRAINT package_buckets_name_slug CHECK (name ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    spec JSONB NOT NULL CONSTRAINT package_buckets_spec_matches
        CHECK (jsonb_typeof(spec) = 'object' AND spec ->> 'name' = name),
    builtin BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE templates (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    -- The slug never changes: URLs, the API, files and runs refer to it.
    name TEXT NOT NULL
        CONSTRAINT templates_name_unique UNIQUE
        CONSTRAINT templates_name_slug CHECK (name ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    builtin BOOLEAN NOT NULL DEFAULT false,
    current_version INTEGER NOT NULL CONSTRAINT templates_current_version_positive
        CHECK (current_version >= 1),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every save is a new row; rows are never changed (trigger below). `buckets` is a snapshot of the
-- buckets the version installs, so a run of version N installs what N said, even after a bucket
-- is edited (editing a bucket writes a new version of each template that uses it).
CREATE TABLE template_versions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    template_id UUID NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
    version INTEGER NOT NULL CONSTRAINT template_versions_version_positive CHECK (version >= 1),
    spec JSONB NOT NULL CONSTRAINT template_versions_spec_object CHECK (jsonb_typeof(spec) = 'object'),
    buckets JSONB NOT NULL CONSTRAINT template_versions_buckets_array CHECK (jsonb_typeof(buckets) = 'array'),
    note TEXT NOT NULL DEFAULT '' CONSTRAINT template_versions_note_length CHECK (char_length(note) <= 500),
    created_by UUID REFERENCES users (id) ON DELETE RESTRICT,
    created_by_name TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT template_versions_unique UNIQUE (template_id, version)
);

-- Which buckets the current version of each template installs, in order: what makes deleting a
-- bucket in use fail (RESTRICT), and what lists "used by".
CREATE TABLE template_buckets (
    template_id UUID NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
    bucket_id UUID NOT NULL CONSTRAINT template_buckets_bucket_in_use
        REFERENCES package_buckets (id) ON DELETE RESTRICT,
    position INTEGER NOT NULL,
    PRIMARY KEY (template_id, bucket_id)
);
CREATE INDEX template_buckets_bucket ON template_buckets (bucket_id);

CREATE FUNCTION template_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'template versions are immutable'
        USING HINT = 'Save a new version instead.';
END;
$$;

CREATE TRIGGER template_versions_no_update
    BEFORE UPDATE ON template_versions
    FOR EACH ROW EXECUTE FUNCTION template_versions_immutable();

-- The built-in templates Berth has seeded, so each is added once: one an admin deleted stays
-- deleted, and a built-in that ships with a later version is still added on its first start.
CREATE TABLE builtin_seeds (
    name TEXT PRIMARY KEY,
    seeded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
