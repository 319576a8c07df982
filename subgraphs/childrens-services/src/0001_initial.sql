-- sqlite
create table "persons" ("subject_id" text primary key, "open_case" integer, "looked_after" integer, "child_in_need" integer, "previous_referrals" integer, "worker_name" text, "worker_team" text, "worker_phone" text, "cp_category" text, "cp_start_date" text, constraint "persons_worker_whole" check ((worker_name is null and worker_team is null and worker_phone is null)
            or (worker_name is not null and worker_team is not null and worker_phone is not null)), constraint "persons_cp_plan_whole" check ((cp_category is null) = (cp_start_date is null)));
create table "case_notes" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "recorded_at" text not null, "text" text not null, constraint "case_notes_pk" primary key ("subject_id", "id"));
-- postgres
create table "persons" ("subject_id" text primary key, "open_case" integer, "looked_after" integer, "child_in_need" integer, "previous_referrals" integer, "worker_name" text, "worker_team" text, "worker_phone" text, "cp_category" text, "cp_start_date" text, constraint "persons_worker_whole" check ((worker_name is null and worker_team is null and worker_phone is null)
            or (worker_name is not null and worker_team is not null and worker_phone is not null)), constraint "persons_cp_plan_whole" check ((cp_category is null) = (cp_start_date is null)));
create table "case_notes" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "recorded_at" text not null, "text" text not null, constraint "case_notes_pk" primary key ("subject_id", "id"));
