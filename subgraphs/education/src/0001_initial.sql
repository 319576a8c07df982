-- sqlite
create table "persons" ("subject_id" text primary key, "school_name" text, "school_urn" text, "attendance_percent" double precision, "send_status" text, "missing_education" integer);
create table "exclusions" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "date" text not null, "kind" text not null, "reason" text not null, constraint "exclusions_pk" primary key ("subject_id", "id"));
-- postgres
create table "persons" ("subject_id" text primary key, "school_name" text, "school_urn" text, "attendance_percent" double precision, "send_status" text, "missing_education" integer);
create table "exclusions" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "date" text not null, "kind" text not null, "reason" text not null, constraint "exclusions_pk" primary key ("subject_id", "id"));
