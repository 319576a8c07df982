-- sqlite
create table "persons" ("subject_id" text primary key, "on_licence" integer, "mappa_level" integer check (mappa_level is null or mappa_level between 1 and 3), "risk_of_serious_harm" text);
create table "offences" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "date" text not null, "category" text not null, constraint "offences_pk" primary key ("subject_id", "id"));
-- postgres
create table "persons" ("subject_id" text primary key, "on_licence" integer, "mappa_level" integer check (mappa_level is null or mappa_level between 1 and 3), "risk_of_serious_harm" text);
create table "offences" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "date" text not null, "category" text not null, constraint "offences_pk" primary key ("subject_id", "id"));
