// What a hosting platform puts in a project's database before its first migration runs: Supabase's auth, storage and
// extensions schemas. Engines built from the project's migrations (PGlite) apply it first, as the platform would have.
import type { Catalog } from '../catalog/types';
import type { ProjectLayout } from './types';

/**
 * Schemas a Supabase project's database has before its first migration: made by the platform's own services and
 * image (GoTrue's auth.users, the storage API's storage.objects, extensions enabled from the dashboard…), never by the
 * project's migrations.
 */
export const SUPABASE_SCHEMAS: ReadonlySet<string> = new Set([
  'auth',
  'storage',
  'extensions',
  'realtime',
  'vault',
  'graphql',
  'graphql_public',
  'pgsodium',
  'net',
  'cron',
  'supabase_functions',
  'supabase_migrations',
]);

/**
 * The part of the Supabase platform schema that migrations use: the API roles, auth.users and auth.identities, the JWT
 * helpers (auth.uid(), auth.role(), auth.email(), auth.jwt()), storage.buckets and storage.objects with their path
 * helpers, the extensions schema with uuid-ossp and pgcrypto, and the supabase_realtime publication. Columns and
 * definitions follow GoTrue's and the storage API's own migrations; tables the platform keeps for itself (sessions,
 * refresh tokens, storage migrations…) are left out.
 */
const SUPABASE_SQL = `-- The Supabase platform objects a project's migrations use, made before its first migration (pgdba).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS; END IF;
END
$$;
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;
CREATE SCHEMA IF NOT EXISTS auth;
CREATE TABLE auth.users (
  instance_id uuid,
  id uuid NOT NULL PRIMARY KEY,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255),
  email_change varchar(255),
  email_change_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz,
  updated_at timestamptz,
  phone text UNIQUE DEFAULT NULL,
  phone_confirmed_at timestamptz,
  phone_change text DEFAULT '',
  phone_change_token varchar(255) DEFAULT '',
  phone_change_sent_at timestamptz,
  confirmed_at timestamptz GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
  email_change_token_current varchar(255) DEFAULT '',
  email_change_confirm_status smallint DEFAULT 0 CHECK (email_change_confirm_status >= 0 AND email_change_confirm_status <= 2),
  banned_until timestamptz,
  reauthentication_token varchar(255) DEFAULT '',
  reauthentication_sent_at timestamptz,
  is_sso_user boolean NOT NULL DEFAULT false,
  deleted_at timestamptz,
  is_anonymous boolean NOT NULL DEFAULT false
);
CREATE INDEX users_instance_id_idx ON auth.users (instance_id);
CREATE INDEX users_is_anonymous_idx ON auth.users (is_anonymous);
CREATE TABLE auth.identities (
  provider_id text NOT NULL,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  identity_data jsonb NOT NULL,
  provider text NOT NULL,
  last_sign_in_at timestamptz,
  created_at timestamptz,
  updated_at timestamptz,
  email text GENERATED ALWAYS AS (lower(identity_data ->> 'email')) STORED,
  id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  CONSTRAINT identities_provider_id_provider_unique UNIQUE (provider_id, provider)
);
CREATE INDEX identities_user_id_idx ON auth.identities (user_id);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
$$;
CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.role', true), ''), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text
$$;
CREATE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.email', true), ''), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'))::text
$$;
CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', true), ''))::jsonb
$$;
CREATE SCHEMA IF NOT EXISTS storage;
CREATE TABLE storage.buckets (
  id text NOT NULL PRIMARY KEY,
  name text NOT NULL,
  owner uuid,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  public boolean DEFAULT false,
  avif_autodetection boolean DEFAULT false,
  file_size_limit bigint,
  allowed_mime_types text[],
  owner_id text
);
CREATE UNIQUE INDEX bname ON storage.buckets (name);
CREATE TABLE storage.objects (
  id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  bucket_id text REFERENCES storage.buckets (id),
  name text,
  owner uuid,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  last_accessed_at timestamptz DEFAULT now(),
  metadata jsonb,
  path_tokens text[] GENERATED ALWAYS AS (string_to_array(name, '/')) STORED,
  version text,
  owner_id text,
  user_metadata jsonb
);
CREATE UNIQUE INDEX bucketid_objname ON storage.objects (bucket_id, name);
CREATE INDEX name_prefix_search ON storage.objects (name text_pattern_ops);
ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
CREATE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  _parts text[];
BEGIN
  SELECT string_to_array(name, '/') INTO _parts;
  RETURN _parts[1 : array_length(_parts, 1) - 1];
END
$$;
CREATE FUNCTION storage.filename(name text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  _parts text[];
BEGIN
  SELECT string_to_array(name, '/') INTO _parts;
  RETURN _parts[array_length(_parts, 1)];
END
$$;
CREATE FUNCTION storage.extension(name text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  _parts text[];
  _filename text;
BEGIN
  SELECT string_to_array(name, '/') INTO _parts;
  SELECT _parts[array_length(_parts, 1)] INTO _filename;
  RETURN reverse(split_part(reverse(_filename), '.', 1));
END
$$;
CREATE SCHEMA IF NOT EXISTS realtime;
CREATE PUBLICATION supabase_realtime;
GRANT USAGE ON SCHEMA public, auth, storage, extensions TO anon, authenticated, service_role;
`;

/**
 * Where the catalog locates what a platform makes: no workspace file (a NUL never occurs in a path), so definitions
 * and workspace symbols leave it out, and hovers name the platform instead of linking to a file.
 */
export function platformFile(platform: string): string {
  return `\u0000platform:${platform}`;
}

/** The platform that made an object located in `file` (see platformFile), or undefined for a workspace file. */
export function platformOf(file: string): string | undefined {
  return file.startsWith('\u0000platform:') ? file.slice('\u0000platform:'.length) : undefined;
}

export interface PlatformPrelude {
  /** The platform's name, e.g. `Supabase`. */
  platform: string;
  /** Names it where the engine reports on its inputs (the statements it skipped, the status bar), e.g. `Supabase platform schema`. */
  id: string;
  sql: string;
}

/**
 * Schemas whose tables only the platform's own services write: Supabase's auth (GoTrue writes auth.users; the API
 * roles anon and authenticated have no privileges there). A trigger on such a table is fired by the platform alone.
 */
export function platformWrittenSchema(platform: string, schema: string): boolean {
  return platform === 'Supabase' && schema === 'auth';
}

/** The schemas a platform makes and owns (see SUPABASE_SCHEMAS); empty for a platform pgdba does not know. */
export function platformSchemas(platform: string): ReadonlySet<string> {
  return platform === 'Supabase' ? SUPABASE_SCHEMAS : new Set();
}

/** What the platform of a project's layout makes before the project's first migration, if it makes anything. */
export function platformPrelude(layout: ProjectLayout): PlatformPrelude | undefined {
  return layout === 'supabase' ? { platform: 'Supabase', id: 'Supabase platform schema', sql: SUPABASE_SQL } : undefined;
}

const platformSchemaSets = new WeakMap<Catalog, ReadonlySet<string>>();

/**
 * The schemas of the platforms whose objects the catalog holds (a project's catalog starts from them, see
 * platformCatalog): pgdba models the part of them migrations use, so a name it lacks there is no missing name.
 */
export function platformSchemasOf(catalog: Catalog): ReadonlySet<string> {
  let set = platformSchemaSets.get(catalog);
  if (!set) {
    set = new Set([...catalog.tables.values()].flatMap((t) => [...platformSchemas(platformOf(t.loc.file) ?? '')]));
    platformSchemaSets.set(catalog, set);
  }
  return set;
}
