-- sqlite
create table "persons" ("subject_id" text primary key);
create table "warning_markers" ("subject_id" text not null references "persons" ("subject_id"), "marker" text not null, constraint "warning_markers_pk" primary key ("subject_id", "marker"));
create table "incidents" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "occurred_at" text not null, "category" text not null, "summary" text not null, "child_present" integer not null, constraint "incidents_pk" primary key ("subject_id", "id"));
create table "intelligence" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "grading" text not null, "handling_code" text not null, "summary" text not null, "source" text not null, constraint "intelligence_pk" primary key ("subject_id", "id"));
-- postgres
create table "persons" ("subject_id" text primary key);
create table "warning_markers" ("subject_id" text not null references "persons" ("subject_id"), "marker" text not null, constraint "warning_markers_pk" primary key ("subject_id", "marker"));
create table "incidents" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "occurred_at" text not null, "category" text not null, "summary" text not null, "child_present" integer not null, constraint "incidents_pk" primary key ("subject_id", "id"));
create table "intelligence" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "grading" text not null, "handling_code" text not null, "summary" text not null, "source" text not null, constraint "intelligence_pk" primary key ("subject_id", "id"));
