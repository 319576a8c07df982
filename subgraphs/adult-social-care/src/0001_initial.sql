-- sqlite
create table "persons" ("subject_id" text primary key, "care_needs" text);
create table "safeguarding_enquiries" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "opened_at" text not null, "concern" text not null, "status" text not null, constraint "safeguarding_enquiries_pk" primary key ("subject_id", "id"));
-- postgres
create table "persons" ("subject_id" text primary key, "care_needs" text);
create table "safeguarding_enquiries" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "opened_at" text not null, "concern" text not null, "status" text not null, constraint "safeguarding_enquiries_pk" primary key ("subject_id", "id"));
